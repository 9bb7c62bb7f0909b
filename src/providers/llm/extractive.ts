import { loadStemmers } from "../../lib/text/analyzer";
import { answerMessages, DEFAULT_ANSWER_LANGUAGE } from "../../lib/text/answer-messages";
import { detectLanguage, type Language, loadLanguageDetector } from "../../lib/text/language";
import { QUESTION_WORDS, questionStopTerms } from "../../lib/text/question-words";
import { quotableBlocks, unquotableReason, withoutListMarker } from "../../lib/text/quotable";
import { splitSentences } from "../../lib/text/sentences";
import { contentTerms } from "../../lib/text/terms";
import { STOPWORDS, tokenize } from "../../lib/text/words";
import { foundByBoth, missingNameRuns, missingNames, missingNumbers, negationMismatch } from "./abstention";
import { NO_USAGE } from "./prompt";
import type { AnswerGenerator, GenerateRequest, GenerationEvent, Source } from "./types";

/**
 * Sentences quoted in one answer at most: enough to answer, short enough to read. A question in
 * more parts gets at least one sentence per part it answers.
 */
const MAX_SENTENCES = 3;
/** A further sentence must score at least this share of the best one, or it is padding. */
const MIN_SHARE_OF_BEST = 0.5;
/**
 * The best sentence for a part of the question must carry this share of that part's term weight.
 * One shared word of a question about something else ("United" in "president of the United
 * States") is not an answer. 0.4 alone; 0.35 with the names rule, which refuses what a looser
 * coverage lets through (docs/performance.md).
 */
const MIN_QUESTION_COVERAGE = 0.35;
/** A clause with fewer content terms leans on the rest of the question ("and who wrote it?"). */
const MIN_PART_TERMS = 2;
// Where one question joins another: "…, and which…", "…; how…", "…? Who…", "…, et quelle…". A bare
// comma is left alone: ", which" usually opens a relative clause, "In 1730, what" a question with a
// preamble. Conjunctions and question words of the supported languages; JavaScript's \b knows no
// accents, hence the letter lookahead.
const CONJUNCTION = "and|et|und|y|e|en";
const CLAUSE_BREAK = new RegExp(
  `(?:,?\\s+(?:${CONJUNCTION})\\s+|\\s*;\\s*|[?¿]\\s+¿?)(?=(?:${Object.values(QUESTION_WORDS).flat().join("|")})(?!\\p{L}))`,
  "iu",
);
/** The terms of a clause of a question, without those no question is about ("comment", "peut"). */
function clauseTerms(clause: string, language: Language | undefined): Set<string> {
  const terms = contentTerms(clause, language);
  if (!language) return terms;
  const stop = questionStopTerms(language);
  return new Set([...terms].filter((term) => !stop.has(term)));
}
/** A term already quoted counts this much in the next sentences, so that they add something new. */
const REPEATED_TERM_WEIGHT = 0.5;
/** Shorter "sentences" are headings and table cells, not answers. */
const MIN_SENTENCE_WORDS = 3;

/**
 * What kind of answer a question asks for, by its opening words in the supported languages: a
 * person or body ("who"), a time ("when", "what year"), a quantity ("how many"). Other questions
 * ask for anything.
 */
export type AnswerType = "name" | "time" | "quantity";

// The opening of a clause: after a preamble set off by a comma ("In 1860, how many…"), an
// approximation ("About how many…") and a preposition ("By whom", "À qui", "In what year").
const OPENING =
  "^[\\s¿¡]*(?:[^,;?¿]{1,60},\\s*)?(?:(?:about|approximately|roughly|around|nearly|environ|etwa|ungefähr|aproximadamente|circa|ongeveer)\\s+)?(?:(?:by|to|for|with|from|in|à|a|de|par|pour|avec|en|von|mit|für|in|por|con|da|di|per|door|met|voor)\\s+)?";
// Or its end, where a question that keeps the statement's order asks ("…married who?", "…finished
// in what year?", "…killed whose mother?").
const ENDING = "(?:\\s+\\p{L}+)?\\s*[?.!]*\\s*$";
const ANSWER_TYPES: [AnswerType, RegExp, RegExp | undefined][] = [
  // "How many" asks for a count wherever it stands ("…gave the film how many out of five stars?").
  [
    "quantity",
    /(?:how (?:many|much)|combien|wie viele?|cu[aá]nt[oa]s?|quant[ioae]s?|hoeveel)(?!\p{L})/iu,
    /(?<!\p{L})(?:how (?:many|much)|combien|wie viele?|hoeveel)(?!\p{L})/iu,
  ],
  [
    "time",
    /(?:when|what year|which year|quand|quelle année|wann|welchem jahr|cu[aá]ndo|qu[eé] año|quando|che anno|qual ano|wanneer|welk jaar)(?!\p{L})/iu,
    /(?<!\p{L})(?:when|what year|which year|quelle année|welchem jahr)\s*[?.!]*\s*$/iu,
  ],
  [
    "name",
    /(?:who|whom|whose|qui|wer|wem|wessen|qui[eé]n(?:es)?|chi|quem|wie)(?!\p{L})/iu,
    new RegExp(`(?<!\\p{L})(?:who|whom|whose)${ENDING}`, "iu"),
  ],
];

/** The answer type a clause of a question asks for, if its opening words (or its last) say one. */
export function answerTypeOf(clause: string): AnswerType | undefined {
  for (const [type, words, elsewhere] of ANSWER_TYPES) {
    if (new RegExp(OPENING + words.source, "iu").test(clause)) return type;
    if (elsewhere?.test(clause)) return type;
  }
  return undefined;
}

const TIME_WORDS =
  /\d|(?<!\p{L})(?:january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|century|centuries|siècle|jahrhundert|siglo|secolo|século|eeuw|decade|ago|today|yesterday|spring|summer|autumn|fall|winter|dynasty|era|reign|age)(?!\p{L})/iu;
const QUANTITY_WORDS =
  /\d|(?<!\p{L})(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|dozens?|hundreds?|thousands?|millions?|billions?|several|few|many|single|both|half|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|cent|mille|ein|eine|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert|tausend|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cien|mil|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|cento|mille|um|uma|dois|duas|três|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|honderd|duizend)(?!\p{L})/iu;
const CAPITALISED = /\p{Lu}[\p{L}\p{M}'’.-]*/gu;

/**
 * Whether `sentence` holds an answer of the type the question asks for: a time, a quantity, or a
 * name (a capitalised word that is not in the question, as "who" is answered by someone new).
 */
export function holdsAnswerType(sentence: string, type: AnswerType | undefined, question: string): boolean {
  if (type === "time") return TIME_WORDS.test(sentence);
  if (type === "quantity") return QUANTITY_WORDS.test(sentence);
  if (type === "name") {
    const asked = new Set(tokenize(question));
    return (sentence.match(CAPITALISED) ?? []).some((word) =>
      tokenize(word).some((token) => !asked.has(token)),
    );
  }
  return true;
}

interface QuestionPart {
  terms: Set<string>;
  /** The answer type its opening asks for, if any. */
  type: AnswerType | undefined;
  /** Its words as asked: the names, numbers and negations it holds are its own, not the other parts'. */
  text: string;
}

function questionClauses(question: string, language?: Language): QuestionPart[] {
  const parts: QuestionPart[] = [];
  for (const clause of question.split(CLAUSE_BREAK)) {
    const terms = clauseTerms(clause, language);
    if (terms.size === 0) continue;
    const previous = parts.at(-1);
    if (previous && (previous.terms.size < MIN_PART_TERMS || terms.size < MIN_PART_TERMS)) {
      for (const term of terms) previous.terms.add(term);
      previous.text += ` ${clause}`;
    } else {
      parts.push({ terms, type: answerTypeOf(clause), text: clause });
    }
  }
  return parts;
}

/**
 * The parts of a question, each as its content terms: one part for a simple question, one per
 * joined question for a compound one ("What is X and which language does Y target?").
 */
export function questionParts(question: string, language?: Language): Set<string>[] {
  return questionClauses(question, language).map((part) => part.terms);
}

/**
 * The passages of a source it may quote, block by block: the sentences of its quotable blocks
 * (lib/text/quotable.ts), without a list marker they open with.
 */
function quotableSentences(text: string): string[][] {
  return quotableBlocks(text).map((block) =>
    splitSentences(block)
      .map((sentence) => withoutListMarker(sentence).trim())
      .filter((sentence) => sentence !== "" && unquotableReason(sentence) === undefined),
  );
}

/** How strict the answerer is about what it quotes; the defaults are the ones it answers with. */
export interface SelectionOptions {
  /** Share of a part's term weight the sentence quoted for it must carry. */
  minCoverage?: number;
  /** Whether the sentence quoted for a "who", "when" or "how many" must hold a name, a time or a number. */
  answerTypes?: boolean;
  /** Whether the sentence quoted for a part must hold the part's rarest term (a word no source has is rarest). */
  rarestTerm?: boolean;
  /** Whether a sentence that says no where the question does not (or the reverse) is left out. */
  negation?: boolean;
  /** Whether the question's names and numbers must all be in the quoted sentence, or in its source. */
  names?: "sentence" | "source";
  /**
   * Agreement of the keyword and vector rankings: a sentence of a source that is not among the
   * first `maxRank` of both lists must carry `coverage` of the part's weight (above minCoverage).
   */
  agreement?: { maxRank: number; coverage: number };
  /** Whether the question's names of several words must be in the sentence's source as one run. */
  nameRuns?: boolean;
  /** Whether the question's numbers (figures and counts in words) must be in the quoted sentence itself. */
  numbers?: boolean;
  /**
   * Whether a "who", "when" or "how many" may be answered by two sentences of a block, the first
   * with the question's terms, the next with the answer's type ("…Irish immigrants. Over 200,000
   * were living in New York by 1860"): when no one sentence answers ("fallback"), or also when the
   * pair covers more than the best one does ("better").
   */
  window?: "fallback" | "better";
}

/**
 * The selection the answerer answers with, chosen on half of a SQuAD 2.0 sample as the setting
 * that refuses most there without answering less than the previous default, and checked on the
 * other half (docs/performance.md, "Default answers").
 */
export const DEFAULT_SELECTION: Readonly<SelectionOptions> = {
  minCoverage: MIN_QUESTION_COVERAGE,
  answerTypes: true,
  rarestTerm: false,
  negation: true,
  names: "source",
  nameRuns: true,
  numbers: true,
  window: "fallback",
};

interface Candidate {
  text: string;
  source: Source;
  terms: Set<string>;
  /** The sentence after it in its block, if that is a candidate too. */
  next?: Candidate;
  /** A window's sentences, quoted each in turn. */
  sentences?: Candidate[];
}

/**
 * The sentences that best answer the question, each with its source: term overlap weighted by
 * rarity among the candidates, ties broken by source rank then position. Each part of the question
 * gets the sentence that best covers it, if one covers enough of it; then sentences nearly as good
 * as the best are added. None (a refusal) only when no part of the question is covered. Question
 * and sentences are read in `language` (the question's), with its stop words and stemmer.
 */
export function selectSentences(
  question: string,
  sources: Source[],
  language?: Language,
  selection: SelectionOptions = DEFAULT_SELECTION,
): { text: string; source: Source }[] {
  const options = { ...DEFAULT_SELECTION, ...selection };
  const minCoverage = options.minCoverage ?? MIN_QUESTION_COVERAGE;
  const checkTypes = options.answerTypes ?? true;
  const checkRarest = options.rarestTerm ?? false;
  const clauses = questionClauses(question, language);
  if (clauses.length === 0) return [];
  const questionTerms = new Set(clauses.flatMap((part) => [...part.terms]));
  // Capitalised words of a question that name nothing ("What", "Which", "In").
  const stopTokens = new Set([...STOPWORDS, ...(language ? QUESTION_WORDS[language] : QUESTION_WORDS.en)]);
  const namesScope = (scope: "sentence" | "source", candidate: Candidate) =>
    scope === "sentence" ? candidate.text : candidate.source.text;
  // German capitalises every noun: there only numbers name what is asked.
  const missing = (asked: string, text: string) =>
    missingNames(asked, text, stopTokens).filter((name) => language !== "de" || /\p{N}/u.test(name));
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  // Sources are best first and the sort below is stable, so ties keep source rank and position.
  for (const source of sources) {
    for (const block of quotableSentences(source.text)) {
      let previous: Candidate | undefined;
      for (const text of block) {
        // Overlapping chunks repeat sentences: quote each once, from the better-ranked source.
        const key = text.replace(/\s+/g, " ");
        const skip = seen.has(key) || tokenize(text).length < MIN_SENTENCE_WORDS;
        seen.add(key);
        if (skip) {
          previous = undefined;
          continue;
        }
        const candidate: Candidate = { text, source, terms: contentTerms(text, language) };
        if (previous) previous.next = candidate;
        candidates.push(candidate);
        previous = candidate;
      }
    }
  }

  // Rarer terms say more: weigh each question term by its inverse frequency among candidates.
  const weight = new Map<string, number>();
  for (const term of questionTerms) {
    const frequency = candidates.filter((candidate) => candidate.terms.has(term)).length;
    weight.set(term, Math.log(1 + candidates.length / Math.max(frequency, 0.5)));
  }
  const weightOf = (terms: Iterable<string>) => {
    let total = 0;
    for (const term of terms) total += weight.get(term) ?? 0;
    return total;
  };

  const covered = new Set<string>();
  const score = (candidate: Candidate, terms: Set<string>) => {
    let total = 0;
    for (const term of terms) {
      if (!candidate.terms.has(term)) continue;
      total += covered.has(term) ? weight.get(term)! * REPEATED_TERM_WEIGHT : weight.get(term)!;
    }
    return total;
  };
  const remaining = [...candidates];
  const chosen: { text: string; source: Source }[] = [];
  let best = 0;
  const bestOf = (pool: Candidate[], terms: Set<string>, fits: (candidate: Candidate) => boolean) =>
    pool.reduce<{ candidate?: Candidate; score: number }>(
      (top, candidate) => {
        const value = score(candidate, terms);
        return value > top.score && fits(candidate) ? { candidate, score: value } : top;
      },
      { score: 0 },
    );
  const bestFor = (terms: Set<string>, fits: (candidate: Candidate) => boolean = () => true) =>
    bestOf(remaining, terms, fits);
  const quote = (candidate: Candidate) => {
    best = Math.max(best, score(candidate, questionTerms));
    for (const sentence of candidate.sentences ?? [candidate]) {
      chosen.push({ text: sentence.text, source: sentence.source });
      remaining.splice(remaining.indexOf(sentence), 1);
    }
    for (const term of candidate.terms) covered.add(term);
  };
  // A sentence without the answer's type and the next one, which has it, read as one.
  const windows = (type: AnswerType | undefined): Candidate[] =>
    remaining.flatMap((first) => {
      const next = first.next;
      if (!next || !remaining.includes(next)) return [];
      if (holdsAnswerType(first.text, type, question) || !holdsAnswerType(next.text, type, question))
        return [];
      return [
        {
          text: `${first.text} ${next.text}`,
          source: first.source,
          terms: new Set([...first.terms, ...next.terms]),
          sentences: [first, next],
        },
      ];
    });

  for (const { terms: part, type, text: asked } of clauses) {
    const partWeight = weightOf(part);
    // A sentence quoted for an earlier part may already answer this one.
    if (weightOf([...part].filter((term) => covered.has(term))) >= partWeight * minCoverage) continue;
    // A "who" is answered by a sentence that names someone, a "when" by one that says a time: the
    // best-covering sentence without one is about the topic but does not answer.
    const rarest = Math.max(...[...part].map((term) => weight.get(term)!));
    const fits = (candidate: Candidate) =>
      (!checkTypes || holdsAnswerType(candidate.text, type, question)) &&
      (!checkRarest || [...part].some((term) => weight.get(term) === rarest && candidate.terms.has(term))) &&
      (!options.negation || !negationMismatch(asked, candidate.text)) &&
      (!options.names || missing(asked, namesScope(options.names, candidate)).length === 0) &&
      (!options.nameRuns ||
        language === "de" ||
        missingNameRuns(asked, candidate.source.text, stopTokens).length === 0) &&
      (!options.numbers || missingNumbers(asked, candidate.text).length === 0) &&
      (!options.agreement ||
        foundByBoth(candidate.source.lists, options.agreement.maxRank) ||
        score(candidate, part) >= partWeight * options.agreement.coverage);
    let top = bestFor(part, fits);
    const enough = (found: { candidate?: Candidate; score: number }) =>
      found.candidate !== undefined && found.score >= partWeight * minCoverage;
    if (options.window && type && (options.window === "better" || !enough(top))) {
      const pair = bestOf(windows(type), part, fits);
      if (enough(pair) && (!enough(top) || pair.score > top.score)) top = pair;
    }
    if (top.candidate && enough(top)) quote(top.candidate);
  }
  if (chosen.length === 0) return [];
  const limit = Math.max(MAX_SENTENCES, chosen.length);
  while (chosen.length < limit) {
    const top = bestFor(questionTerms);
    if (!top.candidate || top.score < best * MIN_SHARE_OF_BEST) break;
    quote(top.candidate);
  }
  return chosen;
}

/**
 * The default answer generator: no model, no network, deterministic. It quotes the sentences of
 * the sources that share the most telling words with the question, verbatim, each followed by
 * its `[n]` marker, or says it does not know in the answer's language (the request's, else the
 * question's).
 */
export class ExtractiveAnswerGenerator implements AnswerGenerator {
  readonly provider = "extractive" as const;
  readonly callsModel = false;

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    await Promise.all([loadLanguageDetector(), loadStemmers()]);
    const questionLanguage = detectLanguage(request.question);
    const sentences = selectSentences(request.question, request.sources, questionLanguage);
    const language = request.language ?? questionLanguage ?? DEFAULT_ANSWER_LANGUAGE;
    const parts =
      sentences.length > 0
        ? sentences.map(({ text, source }, i) => `${i === 0 ? "" : " "}${text} [${source.index}]`)
        : [answerMessages(language).sourcesDoNotAnswer];
    for (const text of parts) {
      request.signal?.throwIfAborted();
      yield { type: "delta", text };
    }
    // No model read or wrote anything: no tokens to count or to charge.
    yield { type: "done", finishReason: "stop", model: "extractive", usage: NO_USAGE };
  }
}
