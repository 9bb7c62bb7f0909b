import { countTokens } from "../../ingest/tokens";
import { splitSentences } from "../../lib/text/sentences";
import { contentTerms } from "../../lib/text/terms";
import { tokenize } from "../embeddings/local";
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
/** Shorter "sentences" are headings and table cells, not answers. */
const MIN_SENTENCE_WORDS = 3;

export const DONT_KNOW_ANSWER = "I don't know: the available sources do not answer this question.";

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
    const promptTokens =
      countTokens(request.question) + request.sources.reduce((sum, s) => sum + countTokens(s.text), 0);
    const completionTokens = countTokens(parts.join(""));
    yield {
      type: "done",
      finishReason: "stop",
      model: "extractive",
      usage: {
        promptTokens,
        completionTokens,
        totalTokens: promptTokens + completionTokens,
        estimated: true,
      },
    };
  }
}
