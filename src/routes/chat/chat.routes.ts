import { createRoute, z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { SSE_HEADERS } from "../../lib/sse";
import { BOOKMARK_HEADER } from "../../middleware/d1-session";
import { meteredByService } from "../../middleware/rate-limit";
import {
  awaitAnswer,
  deleteConversation,
  followConversation,
  getConversation,
  listConversations,
  sendMessage,
  streamTurn,
} from "../../services/chat/chat.service";
import { rateAnswer, withdrawFeedback } from "../../services/chat/feedback";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentAnswer, presentConversation, presentFeedback, presentMessage } from "./chat.presenters";
import {
  ChatRequestSchema,
  ChatResponseSchema,
  ConversationHistorySchema,
  ConversationPageSchema,
  FeedbackRequestSchema,
  FeedbackSchema,
} from "./chat.schemas";

const assistantParams = idParams("assistant_id", "ast_01jd3v9k2m4n5p6q7r8s9t0v1w");
const conversationParams = assistantParams.extend(
  idParams("conversation_id", "cnv_01jd3v9k2m4n5p6q7r8s9t0v1w").shape,
);

const messageParams = conversationParams.extend(
  idParams("message_id", "msg_01jd3v9k2m4n5p6q7r8s9t0v1w").shape,
);

const sseResponse = (stream: ReadableStream<Uint8Array>, requestId: string) =>
  new Response(stream, { headers: { ...SSE_HEADERS, "x-request-id": requestId } });

const eventStreamContent = (description: string) => ({
  description,
  content: {
    "text/event-stream": {
      schema: z.string().openapi({
        description:
          "Events, each with an `id:`: `meta` {conversation_id, message_id}, `citations` {citations}, `delta` {text}, `done` {usage, finish_reason, citations, model, answer_mode, message_id, bookmark}, `error` (a problem). `done` comes as soon as the answer is kept, before D1 has it; its `bookmark`, sent as `X-D1-Bookmark`, makes the next read see the conversation as the turn left it (the conversation listed, its messages, the answer even while D1 is still being written). A `: ping` comment every 15 s while idle.",
      }),
    },
  },
});

export const chatRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/chat/{assistant_id}",
      tags: ["Chat"],
      summary: "Ask an assistant; the answer cites its sources",
      security: tenantSecurity,
      middleware: [meteredByService] as const,
      request: { params: assistantParams, body: jsonBody(ChatRequestSchema) },
      responses: {
        200: jsonContent(ChatResponseSchema, "The answer with its citations"),
        ...problemResponses(404, 409, 429, 502),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const call = tenantCall(c);
      const turn = await sendMessage({
        ...call,
        input: {
          assistantId: c.req.valid("param").assistant_id,
          message: body.message,
          conversationId: body.conversation_id,
        },
      });
      const done = await awaitAnswer({ ...call, input: turn });
      // The turn's writes are the object's: its bookmark, not this request's session, covers them.
      if (done.bookmark) c.header(BOOKMARK_HEADER, done.bookmark);
      return c.json(presentAnswer(turn, done), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/chat/{assistant_id}/stream",
      tags: ["Chat"],
      summary: "Ask an assistant and stream the answer (Server-Sent Events)",
      middleware: [meteredByService] as const,
      description:
        "Every check happens before the stream opens. Closing the connection does not stop the answer: follow it again with GET …/conversations/{conversation_id}/stream and Last-Event-ID.",
      security: tenantSecurity,
      request: { params: assistantParams, body: jsonBody(ChatRequestSchema) },
      responses: { 200: eventStreamContent("The turn's events"), ...problemResponses(404, 409, 429) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const call = tenantCall(c);
      const turn = await sendMessage({
        ...call,
        input: {
          assistantId: c.req.valid("param").assistant_id,
          message: body.message,
          conversationId: body.conversation_id,
          stream: true,
        },
      });
      return sseResponse(await streamTurn({ ...call, input: turn }), c.var.requestId);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/chat/{assistant_id}/conversations",
      tags: ["Chat"],
      summary: "An assistant's conversations",
      security: tenantSecurity,
      request: { params: assistantParams, query: PageQuerySchema },
      responses: {
        200: jsonContent(ConversationPageSchema, "A page of conversations"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listConversations({
        ...tenantCall(c),
        input: { assistantId: c.req.valid("param").assistant_id },
        page,
      });
      return c.json(toPage(rows, page, presentConversation), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/chat/{assistant_id}/conversations/{conversation_id}",
      tags: ["Chat"],
      summary: "A conversation's history: every message with its citations and status",
      security: tenantSecurity,
      request: { params: conversationParams },
      responses: {
        200: jsonContent(ConversationHistorySchema, "The conversation"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const { conversation, messages } = await getConversation({
        ...tenantCall(c),
        input: { assistantId: params.assistant_id, conversationId: params.conversation_id },
      });
      return c.json({ ...presentConversation(conversation), messages: messages.map(presentMessage) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/chat/{assistant_id}/conversations/{conversation_id}",
      tags: ["Chat"],
      summary: "Delete a conversation and its messages",
      security: tenantSecurity,
      request: { params: conversationParams },
      responses: { 204: { description: "Deleted" }, ...problemResponses(404, 409) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      await deleteConversation({
        ...tenantCall(c),
        input: { assistantId: params.assistant_id, conversationId: params.conversation_id },
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/chat/{assistant_id}/conversations/{conversation_id}/stream",
      tags: ["Chat"],
      summary: "Follow a conversation's current turn; replays the events after Last-Event-ID",
      security: tenantSecurity,
      request: {
        params: conversationParams,
        headers: z.object({
          "last-event-id": z
            .string()
            .regex(/^\d{1,15}$/)
            .optional(),
        }),
        query: z.object({
          last_event_id: z
            .string()
            .regex(/^\d{1,15}$/)
            .optional()
            .openapi({ description: "Same as the Last-Event-ID header" }),
        }),
      },
      responses: {
        200: eventStreamContent("The turn's events after Last-Event-ID, then live ones"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const lastEventId = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").last_event_id;
      const stream = await followConversation({
        ...tenantCall(c),
        input: {
          assistantId: params.assistant_id,
          conversationId: params.conversation_id,
          lastEventId: lastEventId ? Number(lastEventId) : null,
        },
      });
      return sseResponse(stream, c.var.requestId);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/chat/{assistant_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
      tags: ["Chat"],
      summary: "Rate an answer: thumb up or down, with an optional comment",
      description:
        "Whoever started the conversation (a user, an API key, a widget visitor with its token) rates its answers, and can change the rating later: the last one stands. An absent `comment` keeps the one given before; `null` clears it. Thumbed-down answers appear in the report of unanswered questions.",
      security: tenantSecurity,
      request: { params: messageParams, body: jsonBody(FeedbackRequestSchema) },
      responses: {
        200: jsonContent(FeedbackSchema, "The feedback as stored"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const params = c.req.valid("param");
      const body = c.req.valid("json");
      const feedback = await rateAnswer({
        ...tenantCall(c),
        input: {
          assistantId: params.assistant_id,
          conversationId: params.conversation_id,
          messageId: params.message_id,
          rating: body.rating,
          comment: body.comment,
        },
      });
      return c.json(presentFeedback(feedback), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/chat/{assistant_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
      tags: ["Chat"],
      summary: "Withdraw the feedback on an answer",
      security: tenantSecurity,
      request: { params: messageParams },
      responses: { 204: { description: "Withdrawn" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      const params = c.req.valid("param");
      await withdrawFeedback({
        ...tenantCall(c),
        input: {
          assistantId: params.assistant_id,
          conversationId: params.conversation_id,
          messageId: params.message_id,
        },
      });
      return c.body(null, 204);
    },
  );
