import { AppError, toProblem } from "../../errors";
import { log } from "../../lib/log";
import type { Usage } from "../../providers/llm/types";
import type { AnswerEvent } from "../../services/chat/conversation.interface";
import { presentUsage } from "../chat/chat.presenters";

/** Chat Completions usage: Ancre's, without the `estimated` flag OpenAI clients do not know. */
export function completionUsage(usage: Usage) {
  const { estimated: _estimated, ...counts } = presentUsage(usage);
  return counts;
}

export const finishReasonOf = (reason: string) => (reason === "length" ? "length" : "stop");

/** Streams Chat Completions chunks (`data: {...}` lines, then `data: [DONE]`). */
export function chunkStream(
  events: AsyncGenerator<AnswerEvent>,
  meta: { id: string; created: number; model: string; includeUsage: boolean; requestId: string },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const base = { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model };
  const line = (payload: unknown) => encoder.encode(`data: ${JSON.stringify(payload)}\n\n`);
  return new ReadableStream({
    async start(controller) {
      let first = true;
      try {
        for await (const event of events) {
          if (event.type === "delta") {
            const delta = first ? { role: "assistant", content: event.text } : { content: event.text };
            first = false;
            controller.enqueue(
              line({ ...base, choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] }),
            );
          } else if (event.type === "done") {
            controller.enqueue(
              line({
                ...base,
                choices: [
                  { index: 0, delta: {}, finish_reason: finishReasonOf(event.finishReason), logprobs: null },
                ],
                citations: event.citations,
              }),
            );
            if (meta.includeUsage) {
              controller.enqueue(
                line({
                  ...base,
                  choices: [],
                  usage: completionUsage(event.usage),
                }),
              );
            }
          }
        }
      } catch (thrown) {
        // OpenAI clients recognise an `error` member in a stream; it holds the usual problem.
        const error =
          thrown instanceof AppError ? thrown : new AppError("internal_error", "The answer failed");
        if (!(thrown instanceof AppError))
          log("error", "completion_failed", { request_id: meta.requestId }, thrown);
        controller.enqueue(line({ error: toProblem(error, meta.requestId) }));
      }
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
}
