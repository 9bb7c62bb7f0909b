import { createRoute, z } from "@hono/zod-openapi";
import { AppError, toProblem } from "../../errors";
import { log } from "../../lib/log";
import { SSE_HEADERS } from "../../lib/sse";
import { meteredRoute } from "../../middleware/rate-limit";
import { tenantContext } from "../../middleware/tenant-context";
import type { Usage } from "../../providers/llm/types";
import { completeChat } from "../../services/chat/completions";
import type { AnswerEvent } from "../../services/chat/conversation.interface";
import {
  MAX_CONVERSATION_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGES_PER_REQUEST,
} from "../../services/chat/limits";
import { presentUsage } from "../chat/chat.presenters";
import { CitationSchema } from "../chat/chat.schemas";
import { jsonBody, newRouter, problemResponses, tenantSecurity } from "../openapi";

const ContentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

type MessageContent = string | z.infer<typeof ContentPart>[] | null;

/** The text of a message's content, whether a string or an array of parts. */
function textOf(content: MessageContent): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content
    .filter((part) => part.type === "text" && part.text)
    .map((part) => part.text)
    .join("\n");
}

const CompletionMessagesSchema = z
  .array(
    z
      .object({
        role: z.enum(["system", "developer", "user", "assistant", "tool"]),
        content: z.union([z.string(), z.array(ContentPart)]).nullable(),
      })
      .passthrough(),
  )
  .min(1)
  .max(MAX_MESSAGES_PER_REQUEST)
  // The bounds of /chat, on the text a message carries whether a string or parts.
  .superRefine((messages, ctx) => {
    let total = 0;
    messages.forEach((message, index) => {
      const length = textOf(message.content).length;
      total += length;
      if (length > MAX_MESSAGE_CHARS) {
        ctx.addIssue({
          code: "custom",
          path: [index, "content"],
          message: `must be at most ${MAX_MESSAGE_CHARS} characters`,
        });
      }
    });
    if (total > MAX_CONVERSATION_CHARS) {
      ctx.addIssue({
        code: "custom",
        message: `the messages must total at most ${MAX_CONVERSATION_CHARS} characters`,
      });
    }
  })
  .openapi({
    description: `At most ${MAX_MESSAGES_PER_REQUEST} messages of at most ${MAX_MESSAGE_CHARS} characters each, ${MAX_CONVERSATION_CHARS} in all`,
  });

const CompletionRequestSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "The id of the assistant to ask", example: "ast_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    messages: CompletionMessagesSchema,
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
  })
  .passthrough()
  .openapi("ChatCompletionRequest");

export const CompletionResponseSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
        finish_reason: z.string(),
        logprobs: z.null(),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
    citations: z
      .array(CitationSchema)
      .openapi({ description: "Ancre's extra field: the sources the answer cites" }),
  })
  .openapi("ChatCompletion");

/** Chat Completions usage: Ancre's, without the `estimated` flag OpenAI clients do not know. */
function completionUsage(usage: Usage) {
  const { estimated: _estimated, ...counts } = presentUsage(usage);
  return counts;
}

const finishReasonOf = (reason: string) => (reason === "length" ? "length" : "stop");

/** Streams Chat Completions chunks (`data: {...}` lines, then `data: [DONE]`). */
function chunkStream(
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

export const openaiRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/openai/chat/completions",
    tags: ["OpenAI-compatible"],
    summary: "Chat Completions with an assistant as the model",
    description:
      "Point any OpenAI client at `/api/v1/openai` with an Ancre API key and an assistant id as `model`. The assistant's system prompt applies (the client's system messages are ignored); citations travel in an extra `citations` field (on the final chunk when streaming). Nothing is stored.",
    security: tenantSecurity,
    middleware: [meteredRoute] as const,
    request: { body: jsonBody(CompletionRequestSchema) },
    responses: {
      200: {
        description: "A chat.completion, or chat.completion.chunk events when `stream` is true",
        content: {
          "application/json": { schema: CompletionResponseSchema },
          "text/event-stream": { schema: z.string() },
        },
      },
      ...problemResponses(404, 429, 502),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const events = await completeChat({
      ctx: tenantContext(c),
      deps: c.var.deps,
      input: {
        assistantId: body.model,
        messages: body.messages.map((message) => ({ role: message.role, content: textOf(message.content) })),
        signal: c.req.raw.signal,
      },
    });
    const meta = {
      id: `chatcmpl-${c.var.requestId}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      includeUsage: body.stream_options?.include_usage ?? false,
      requestId: c.var.requestId,
    };
    if (body.stream) {
      return new Response(chunkStream(events, meta), {
        headers: { ...SSE_HEADERS, "x-request-id": c.var.requestId },
      });
    }
    for await (const event of events) {
      if (event.type !== "done") continue;
      return c.json(
        {
          id: meta.id,
          object: "chat.completion" as const,
          created: meta.created,
          model: meta.model,
          choices: [
            {
              index: 0,
              message: { role: "assistant" as const, content: event.answer, refusal: null },
              finish_reason: finishReasonOf(event.finishReason),
              logprobs: null,
            },
          ],
          usage: completionUsage(event.usage),
          citations: event.citations,
        },
        200,
      );
    }
    throw new AppError("upstream_error", "The answer ended without finishing");
  },
);
