import { STOPWORDS, stem, tokenize } from "../embeddings/local";
import { NO_USAGE } from "./prompt";
import type { AnswerGenerator, GenerateRequest, GenerationEvent, Source } from "./types";

/** Sentences quoted in one answer at most: enough to answer, short enough to read. */
const MAX_SENTENCES = 3;
/** A further sentence must score at least this share of the best one, or it is padding. */
const MIN_SHARE_OF_BEST = 0.5;
/**
 * The best sentence must carry this share of the question's term weight. One shared word of a
 * question about something else ("United" in "president of the United States") is not an answer.
 */
const MIN_QUESTION_COVERAGE = 0.4;
/** A term already quoted counts this much in the next sentences, so that they add something new. */
const REPEATED_TERM_WEIGHT = 0.5;
/** Longer "sentences" are tables or unpunctuated PDF text: cut them at line breaks or spaces. */
const MAX_SENTENCE_CHARS = 400;
const MIN_SENTENCE_WORDS = 3;

export const DONT_KNOW_ANSWER = "I don't know: the available sources do not answer this question.";

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

// Hard-wrapped text would end a sentence at every line break, and footnote references right
// after a full stop ("fan.[2] He") confuse the segmenter. Segment a copy where both are spaces:
// it has the same length, so its offsets still cut the original.
const LONE_LINE_BREAK = /(?<!\n[ \t]*)\r?\n(?![ \t]*\r?\n)/g;
const FOOTNOTE_REFERENCE = /\[\d+\]/g;
// Footnote references around a sentence, as in Wikipedia text: not ours to cite.
const LEADING_REFERENCES = /^(?:\[\d+\]\s*)+/;
const TRAILING_REFERENCES = /(?<=[.!?]["')\]]?)(?:\s*\[\d+\])+$/;

/** Splits text into sentences, each an exact substring of it. */
export function splitSentences(text: string): string[] {
  const blank = (match: string) => " ".repeat(match.length);
  const unwrapped = text.replace(LONE_LINE_BREAK, blank).replace(FOOTNOTE_REFERENCE, blank);
  const sentences: string[] = [];
  for (const { index, segment } of segmenter.segment(unwrapped)) {
    for (const piece of capLength(text.slice(index, index + segment.length))) {
      const sentence = piece.trim().replace(LEADING_REFERENCES, "").replace(TRAILING_REFERENCES, "");
      if (sentence) sentences.push(sentence);
    }
  }
  return sentences;
}

function capLength(text: string): string[] {
  if (text.trim().length <= MAX_SENTENCE_CHARS) return [text];
  const lines = text.split("\n");
  if (lines.length > 1) return lines.flatMap(capLength);
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > MAX_SENTENCE_CHARS) {
    const cut = rest.lastIndexOf(" ", MAX_SENTENCE_CHARS);
    const end = cut > 0 ? cut : MAX_SENTENCE_CHARS;
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Content terms of a text: lowercased words without stop words, lightly stemmed. */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of tokenize(text)) {
    if (STOPWORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    // "retire" and "retiring" stem to "retire" and "retir": a final e never tells words apart here.
    terms.add(stem(word).replace(/e$/, ""));
  }
  return terms;
}

interface Candidate {
  text: string;
  source: Source;
  terms: Set<string>;
}

/**
 * The sentences that best answer the question, best first, each with its source: term overlap
 * weighted by rarity among the candidates, ties broken by source rank then position.
 */
export function selectSentences(question: string, sources: Source[]): { text: string; source: Source }[] {
  const questionTerms = contentTerms(question);
  if (questionTerms.size === 0) return [];
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  // Sources are best first and the sort below is stable, so ties keep source rank and position.
  for (const source of sources) {
    for (const text of splitSentences(source.text)) {
      // Overlapping chunks repeat sentences: quote each once, from the better-ranked source.
      const key = text.replace(/\s+/g, " ");
      if (seen.has(key)) continue;
      seen.add(key);
      // Headings and table cells are not answers.
      if (tokenize(text).length < MIN_SENTENCE_WORDS) continue;
      candidates.push({ text, source, terms: contentTerms(text) });
    }
  }

  // Rarer terms say more: weigh each question term by its inverse frequency among candidates.
  const weight = new Map<string, number>();
  for (const term of questionTerms) {
    const frequency = candidates.filter((candidate) => candidate.terms.has(term)).length;
    weight.set(term, Math.log(1 + candidates.length / Math.max(frequency, 0.5)));
  }
  const questionWeight = [...weight.values()].reduce((sum, w) => sum + w, 0);

  const covered = new Set<string>();
  const score = (candidate: Candidate) => {
    let total = 0;
    for (const [term, w] of weight) {
      if (candidate.terms.has(term)) total += covered.has(term) ? w * REPEATED_TERM_WEIGHT : w;
    }
    return total;
  };

  const chosen: { text: string; source: Source }[] = [];
  const remaining = [...candidates];
  let best = 0;
  while (chosen.length < MAX_SENTENCES && remaining.length > 0) {
    const scored = remaining.map((candidate) => ({ candidate, score: score(candidate) }));
    const top = scored.reduce((a, b) => (b.score > a.score ? b : a));
    if (chosen.length === 0) {
      if (top.score < questionWeight * MIN_QUESTION_COVERAGE) break;
      best = top.score;
    } else if (top.score < best * MIN_SHARE_OF_BEST) {
      break;
    }
    chosen.push({ text: top.candidate.text, source: top.candidate.source });
    for (const term of top.candidate.terms) covered.add(term);
    remaining.splice(remaining.indexOf(top.candidate), 1);
  }
  return chosen;
}

/**
 * The default answer generator: no model, no network, deterministic. It quotes the sentences of
 * the sources that share the most telling words with the question, verbatim, each followed by
 * its `[n]` marker, or says it does not know.
 */
export class ExtractiveAnswerGenerator implements AnswerGenerator {
  readonly provider = "extractive" as const;
  readonly callsModel = false;

  async *stream(request: GenerateRequest): AsyncGenerator<GenerationEvent> {
    const sentences = selectSentences(request.question, request.sources);
    const parts =
      sentences.length > 0
        ? sentences.map(({ text, source }, i) => `${i === 0 ? "" : " "}${text} [${source.index}]`)
        : [DONT_KNOW_ANSWER];
    for (const text of parts) {
      request.signal?.throwIfAborted();
      yield { type: "delta", text };
    }
    // No model read or wrote anything: no tokens to count or to charge.
    yield { type: "done", finishReason: "stop", model: "extractive", usage: NO_USAGE };
  }
}
