import type { Verb } from "../../context";
import { ProviderError } from "../../providers/errors";
import { ANSWER_MAX_TOKENS, addUsage, NO_USAGE, sourcesWithinBudget } from "../../providers/llm/prompt";
import type { ChatTurn, Source, Usage } from "../../providers/llm/types";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import { type SearchHit, searchChunks } from "../search";
import { candidateCitations, MarkerFilter, usedCitations } from "./citations";
import type { AnswerEvent } from "./conversation.interface";

export const NO_SOURCES_ANSWER = "I don't know: nothing in this assistant's documents answers the question.";

export interface Question {
  assistant: AssistantWithCollections;
  question: string;
  /** Earlier turns of the conversation, oldest first. */
  history: ChatTurn[];
  signal?: AbortSignal;
}

interface Retrieval {
  hits: SearchHit[];
  /** What rewriting a follow-up used of the model, if it ran. */
  rewriteUsage: Usage;
}

async function retrieve({ ctx, deps, input }: Verb<Question>): Promise<Retrieval> {
  if (input.assistant.collectionIds.length === 0) return { hits: [], rewriteUsage: NO_USAGE };
  let query = input.question;
  let rewriteUsage = NO_USAGE;
  if (input.history.length > 0 && deps.answerGenerator.rewriteQuery) {
    // A follow-up ("and the second one?") searches badly on its own. Rewriting is a nicety:
    // if it fails, the question itself is searched.
    const rewritten = await deps.answerGenerator
      .rewriteQuery(input.question, input.history, input.signal)
      .catch(() => undefined);
    if (rewritten) ({ query, usage: rewriteUsage } = rewritten);
  }
  const hits = await searchChunks({
    ctx,
    deps,
    input: {
      query,
      collectionIds: input.assistant.collectionIds,
      topK: input.assistant.topK,
      mode: "hybrid",
    },
  });
  return { hits, rewriteUsage };
}

const toSource = (hit: SearchHit, i: number): Source => ({
  index: i + 1,
  text: hit.text,
  filename: hit.filename,
  page: hit.pageStart,
  section: hit.section,
});

/**
 * Answers a question from an assistant's collections: hybrid retrieval restricted to the tenant and
 * the assistant's collections, then the configured generator with the sources numbered. Markers
 * that point at no source are removed as the text streams, and the citations used are resolved
 * with verbatim excerpts. Upstream failures are thrown as ProviderError.
 */
export async function* answerQuestion({ ctx, deps, input }: Verb<Question>): AsyncGenerator<AnswerEvent> {
  const retrieval = await retrieve({ ctx, deps, input });
  // A model reads only the sources its prompt can hold (what the quota reserved for); the
  // citations offered are those same sources.
  const sources = deps.answerGenerator.callsModel
    ? sourcesWithinBudget(retrieval.hits.map(toSource))
    : retrieval.hits.map(toSource);
  const hits = retrieval.hits.slice(0, sources.length);
  const candidates = candidateCitations(hits);
  yield { type: "citations", citations: candidates };

  if (hits.length === 0) {
    yield { type: "delta", text: NO_SOURCES_ANSWER };
    yield {
      type: "done",
      answer: NO_SOURCES_ANSWER,
      citations: [],
      usage: retrieval.rewriteUsage,
      model: "none",
      finishReason: "no_sources",
    };
    return;
  }

  const filter = new MarkerFilter(hits.length);
  let answer = "";
  const stream = deps.answerGenerator.stream({
    systemPrompt: input.assistant.systemPrompt,
    question: input.question,
    sources,
    history: input.history,
    model: input.assistant.model,
    temperature: input.assistant.temperature,
    maxTokens: ANSWER_MAX_TOKENS,
    signal: input.signal,
  });
  for await (const event of stream) {
    if (event.type === "delta") {
      const text = filter.push(event.text);
      if (text) {
        answer += text;
        yield { type: "delta", text };
      }
      continue;
    }
    const rest = filter.flush();
    if (rest) {
      answer += rest;
      yield { type: "delta", text: rest };
    }
    yield {
      type: "done",
      answer,
      citations: usedCitations(answer, candidates, hits),
      usage: addUsage(event.usage, retrieval.rewriteUsage),
      model: event.model,
      finishReason: event.finishReason,
    };
    return;
  }
  throw new ProviderError("llm", true, "the answer stream ended without finishing");
}
