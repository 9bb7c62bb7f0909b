import { documentWords } from "./summary-request";
import { tokenize } from "./words";

// Questions about a document itself ("Who wrote this paper?", "Qui sont les auteurs de
// l'article ?", "What is the title?") are answered from its title page, not by searching its text
// for "wrote". They are recognised by what they ask: a word of the fact (author, title,
// institution, date) or a "who" with a verb of writing, then nothing left but stop words and words
// that name the document (as for a summary request).

/** A fact about a document that its title page states. */
export type DocumentFact = "authors" | "title" | "affiliations" | "date";

/** Word starts (accent-folded, lowercase) that ask for each fact, in the supported languages. */
const FACT_STEMS: Record<DocumentFact, string[]> = {
  // Institutions first: "Which institutions are the authors from?" asks for institutions.
  affiliations: [
    "institution",
    "affiliat",
    "organi",
    "universit",
    "laborator",
    "einrichtung",
    "institut",
    "istituzion",
    "instelling",
    "organisme",
    "company",
    "entreprise",
    "empresa",
    "azienda",
  ],
  title: ["title", "titre", "titel", "titulo", "titolo"],
  authors: ["author", "auteur", "autor", "autore", "autori", "verfasser", "schrijver", "writer", "redacteur"],
  date: [],
};
/** Short words of a date, matched whole: as word starts they would catch "another", "database". */
const DATE_WORDS = new Set(
  "date dates datum fecha data year annee jahr ano anno jaar published publication".split(" "),
);

/** Verbs of writing and publishing (accent-folded word starts): "who wrote", "quand a-t-il été publié". */
const WRITING_STEMS = [
  "wrot",
  "writ",
  "author",
  "ecri",
  "redig",
  "schrieb",
  "geschrieben",
  "verfasst",
  "escrib",
  "escrit",
  "scriss",
  "scritt",
  "escrev",
  "schreef",
  "geschreven",
  "publi",
  "veroffentlich",
  "pubblic",
  "gepubliceerd",
  "releas",
  "pars",
  "sorti",
];
const WHO = new Set(["who", "whom", "qui", "wer", "quien", "quienes", "chi", "quem", "wie"]);
const WHEN = new Set(["when", "quand", "wann", "cuando", "quando", "wanneer"]);
/** Words of the question besides the fact and what names the document: "from", "work", "ont". */
const FACT_WORDS = new Set(
  (
    "come comes from work works worked travaillent viennent venaient proviennent kommen arbeiten vienen " +
    "trabajan vengono lavorano vem trabalham komen werken belong belongs appartiennent main principal " +
    "principale principaux full complet exact"
  ).split(" "),
);

const starts = (word: string, stems: string[]) => stems.some((stem) => word.startsWith(stem));

/**
 * The fact about a document that `question` asks for, with the words it holds besides (which may
 * name the document, as a filename does), or undefined when it asks about something else.
 */
export function documentFactRequest(question: string): { fact: DocumentFact; rest: string[] } | undefined {
  const words = tokenize(question);
  const writing = words.some((word) => starts(word, WRITING_STEMS));
  let fact: DocumentFact | undefined = (Object.keys(FACT_STEMS) as DocumentFact[]).find((candidate) =>
    words.some(
      (word) => starts(word, FACT_STEMS[candidate]) || (candidate === "date" && DATE_WORDS.has(word)),
    ),
  );
  if (!fact && writing && words.some((word) => WHO.has(word))) fact = "authors";
  if (!fact && writing && words.some((word) => WHEN.has(word))) fact = "date";
  if (!fact) return undefined;
  const rest = documentWords(
    words.filter(
      (word) =>
        !starts(word, FACT_STEMS[fact]) &&
        !DATE_WORDS.has(word) &&
        !Object.values(FACT_STEMS).some((stems) => starts(word, stems)) &&
        !starts(word, WRITING_STEMS) &&
        !WHO.has(word) &&
        !WHEN.has(word) &&
        !FACT_WORDS.has(word),
    ),
  );
  return { fact, rest };
}
