import type { Verb } from "../../context";
import { ProviderError } from "../../providers/errors";
import type { ChatTurn } from "../../providers/llm/types";
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

async function retrieve({ ctx, deps, input }: Verb<Question>): Promise<SearchHit[]> {
  if (input.assistant.collectionIds.length === 0) return [];
  let query = input.question;
  if (input.history.length > 0 && deps.answerGenerator.rewriteQuery) {
    // A follow-up ("and the second one?") searches badly on its own. Rewriting is a nicety:
    // if it fails, the question itself is searched.
    query = await deps.answerGenerator
      .rewriteQuery(input.question, input.history, input.signal)
      .catch(() => query);
  }
  return searchChunks({
    ctx,
    deps,
    input: {
      query,
      collectionIds: input.assistant.collectionIds,
      topK: input.assistant.topK,
      mode: "hybrid",
    },
  });
}

/**
 * Answers a question from an assistant's collections: hybrid retrieval restricted to the tenant and
 * the assistant's collections, then the configured generator with the sources numbered. Markers
 * that point at no source are removed as the text streams, and the citations used are resolved
 * with verbatim excerpts. Upstream failures are thrown as ProviderError.
 */
export async function* answerQuestion({ ctx, deps, input }: Verb<Question>): AsyncGenerator<AnswerEvent> {
  const hits = await retrieve({ ctx, deps, input });
  const candidates = candidateCitations(hits);
  yield { type: "citations", citations: candidates };

  if (hits.length === 0) {
    yield { type: "delta", text: NO_SOURCES_ANSWER };
    yield {
      type: "done",
      answer: NO_SOURCES_ANSWER,
      citations: [],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: true },
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
    sources: hits.map((hit, i) => ({
      index: i + 1,
      text: hit.text,
      filename: hit.filename,
      page: hit.pageStart,
      section: hit.section,
    })),
    history: input.history,
    model: input.assistant.model,
    temperature: input.assistant.temperature,
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
      usage: event.usage,
      model: event.model,
      finishReason: event.finishReason,
    };
    return;
  }
  throw new ProviderError("llm", true, "the answer stream ended without finishing");
}
