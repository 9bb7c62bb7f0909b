import type { Language } from "./language";

/** The fixed sentences an answer may hold, written by Ancre rather than quoted from a document. */
export interface AnswerMessages {
  /** The extractive answerer found sources, but none answers the question. */
  sourcesDoNotAnswer: string;
  /** Retrieval found nothing in the assistant's documents. */
  nothingFound: string;
  /** The assistant has no ready document to summarise. */
  nothingToSummarise: string;
  /** Opens an extractive summary of the named documents (`names` already quoted and joined). */
  summaryOf: (names: string) => string;
  /** Joins the last two document names of a list ("a, b and c"). */
  and: string;
  /** The language's name in English, for model instructions ("Answer in French."). */
  englishName: string;
}

// Quotation marks and the space before a colon follow each language's typography.
const CATALOGUE: Record<Language, AnswerMessages> = {
  en: {
    sourcesDoNotAnswer: "I don't know: the available sources do not answer this question.",
    nothingFound: "I don't know: nothing in this assistant's documents answers the question.",
    nothingToSummarise: "I cannot summarise: this assistant has no document ready yet.",
    summaryOf: (names) => `Summary of ${names}, in its most central sentences:`,
    and: "and",
    englishName: "English",
  },
  fr: {
    sourcesDoNotAnswer: "Je ne sais pas : les sources disponibles ne répondent pas à cette question.",
    nothingFound: "Je ne sais pas : rien dans les documents de cet assistant ne répond à la question.",
    nothingToSummarise: "Je ne peux rien résumer : cet assistant n'a encore aucun document prêt.",
    summaryOf: (names) => `Résumé de ${names}, en ses phrases les plus centrales :`,
    and: "et",
    englishName: "French",
  },
  de: {
    sourcesDoNotAnswer: "Ich weiß es nicht: Die verfügbaren Quellen beantworten diese Frage nicht.",
    nothingFound: "Ich weiß es nicht: Nichts in den Dokumenten dieses Assistenten beantwortet die Frage.",
    nothingToSummarise: "Ich kann nichts zusammenfassen: Dieser Assistent hat noch kein fertiges Dokument.",
    summaryOf: (names) => `Zusammenfassung von ${names} in seinen zentralsten Sätzen:`,
    and: "und",
    englishName: "German",
  },
  es: {
    sourcesDoNotAnswer: "No lo sé: las fuentes disponibles no responden a esta pregunta.",
    nothingFound: "No lo sé: nada en los documentos de este asistente responde a la pregunta.",
    nothingToSummarise: "No puedo resumir nada: este asistente aún no tiene ningún documento listo.",
    summaryOf: (names) => `Resumen de ${names}, en sus frases más centrales:`,
    and: "y",
    englishName: "Spanish",
  },
  it: {
    sourcesDoNotAnswer: "Non lo so: le fonti disponibili non rispondono a questa domanda.",
    nothingFound: "Non lo so: nulla nei documenti di questo assistente risponde alla domanda.",
    nothingToSummarise:
      "Non posso riassumere nulla: questo assistente non ha ancora nessun documento pronto.",
    summaryOf: (names) => `Riassunto di ${names}, nelle sue frasi più centrali:`,
    and: "e",
    englishName: "Italian",
  },
  pt: {
    sourcesDoNotAnswer: "Não sei: as fontes disponíveis não respondem a esta pergunta.",
    nothingFound: "Não sei: nada nos documentos deste assistente responde à pergunta.",
    nothingToSummarise: "Não posso resumir nada: este assistente ainda não tem nenhum documento pronto.",
    summaryOf: (names) => `Resumo de ${names}, nas suas frases mais centrais:`,
    and: "e",
    englishName: "Portuguese",
  },
  nl: {
    sourcesDoNotAnswer: "Ik weet het niet: de beschikbare bronnen beantwoorden deze vraag niet.",
    nothingFound: "Ik weet het niet: niets in de documenten van deze assistent beantwoordt de vraag.",
    nothingToSummarise: "Ik kan niets samenvatten: deze assistent heeft nog geen document klaarstaan.",
    summaryOf: (names) => `Samenvatting van ${names}, in de meest centrale zinnen:`,
    and: "en",
    englishName: "Dutch",
  },
};

/** Answers fall back to English when neither the assistant nor the question names a language. */
export const DEFAULT_ANSWER_LANGUAGE: Language = "en";

/** The fixed sentences of answers in `language`. */
export const answerMessages = (language: Language): AnswerMessages => CATALOGUE[language];

const QUOTES: Record<Language, (name: string) => string> = {
  en: (name) => `“${name}”`,
  fr: (name) => `« ${name} »`,
  de: (name) => `„${name}“`,
  es: (name) => `«${name}»`,
  it: (name) => `«${name}»`,
  pt: (name) => `«${name}»`,
  nl: (name) => `‘${name}’`,
};

/** Document names quoted and listed as the language writes them: « a », « b » et « c ». */
export function listNames(names: string[], language: Language): string {
  const quoted = names.map(QUOTES[language]);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${CATALOGUE[language].and} ${quoted.at(-1)}`;
}
