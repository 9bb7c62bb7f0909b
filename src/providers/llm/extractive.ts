import { answerMessages, DEFAULT_ANSWER_LANGUAGE } from "../../lib/text/answer-messages";
import { detectLanguage, type Language, loadLanguageDetector } from "../../lib/text/language";
import { QUESTION_WORDS, questionStopTerms } from "../../lib/text/question-words";
import { splitSentences } from "../../lib/text/sentences";
import { contentTerms } from "../../lib/text/terms";
import { tokenize } from "../../lib/text/words";
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
 * States") is not an answer.
 */
const MIN_QUESTION_COVERAGE = 0.4;
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
 * The parts of a question, each as its content terms: one part for a simple question, one per
 * joined question for a compound one ("What is X and which language does Y target?").
 */
export function questionParts(question: string, language?: Language): Set<string>[] {
  const parts: Set<string>[] = [];
  for (const clause of question.split(CLAUSE_BREAK)) {
    const terms = clauseTerms(clause, language);
    if (terms.size === 0) continue;
    const previous = parts.at(-1);
    if (previous && (previous.size < MIN_PART_TERMS || terms.size < MIN_PART_TERMS)) {
      for (const term of terms) previous.add(term);
    } else {
      parts.push(terms);
    }
  }
  return parts;
}

interface Candidate {
  text: string;
  source: Source;
  terms: Set<string>;
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
): { text: string; source: Source }[] {
  const parts = questionParts(question, language);
  if (parts.length === 0) return [];
  const questionTerms = new Set(parts.flatMap((part) => [...part]));
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  // Sources are best first and the sort below is stable, so ties keep source rank and position.
  for (const source of sources) {
    for (const text of splitSentences(source.text)) {
      // Overlapping chunks repeat sentences: quote each once, from the better-ranked source.
      const key = text.replace(/\s+/g, " ");
      if (seen.has(key)) continue;
      seen.add(key);
      if (tokenize(text).length < MIN_SENTENCE_WORDS) continue;
      candidates.push({ text, source, terms: contentTerms(text, language) });
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
  const bestFor = (terms: Set<string>) =>
    remaining.reduce<{ candidate?: Candidate; score: number }>(
      (top, candidate) => {
        const value = score(candidate, terms);
        return value > top.score ? { candidate, score: value } : top;
      },
      { score: 0 },
    );
  const quote = (candidate: Candidate) => {
    best = Math.max(best, score(candidate, questionTerms));
    chosen.push({ text: candidate.text, source: candidate.source });
    for (const term of candidate.terms) covered.add(term);
    remaining.splice(remaining.indexOf(candidate), 1);
  };

  for (const part of parts) {
    const partWeight = weightOf(part);
    // A sentence quoted for an earlier part may already answer this one.
    if (weightOf([...part].filter((term) => covered.has(term))) >= partWeight * MIN_QUESTION_COVERAGE)
      continue;
    const top = bestFor(part);
    if (top.candidate && top.score >= partWeight * MIN_QUESTION_COVERAGE) quote(top.candidate);
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
    await loadLanguageDetector();
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
