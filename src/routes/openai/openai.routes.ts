import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { SSE_HEADERS } from "../../lib/sse";
import { meteredByService } from "../../middleware/rate-limit";
import { completeChat } from "../../services/chat/completions";
import { jsonBody, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { chunkStream, completionUsage, finishReasonOf } from "./openai.presenters";
import { CompletionRequestSchema, CompletionResponseSchema, textOf } from "./openai.schemas";

export const openaiRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/openai/chat/completions",
    tags: ["OpenAI-compatible"],
    summary: "Chat Completions with an assistant as the model",
    description:
      "Point any OpenAI client at `/api/v1/openai` with an Ancre API key and an assistant id as `model`. The assistant's system prompt applies (the client's system messages are ignored); citations travel in an extra `citations` field (on the final chunk when streaming). Nothing is stored.",
    security: tenantSecurity,
    middleware: [meteredByService] as const,
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
      ...tenantCall(c),
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
