import type { z } from "@hono/zod-openapi";
import {
  type ChatRequestSchema,
  ChatResponseSchema,
  ConversationHistorySchema,
} from "../../src/routes/chat/chat.schemas";
import type { ApiClient } from "./api";

/** Sends a message through POST /chat/{assistant_id} and returns the answer (200 expected). */
export const ask = (client: ApiClient, assistantId: string, body: z.input<typeof ChatRequestSchema>) =>
  client.expectJson(200, "POST", `chat/${assistantId}`, ChatResponseSchema, { json: body });

/** A conversation and its messages, from GET /chat/{assistant_id}/conversations/{conversation_id}. */
export const conversationHistory = (client: ApiClient, assistantId: string, conversationId: string) =>
  client.expectJson(
    200,
    "GET",
    `chat/${assistantId}/conversations/${conversationId}`,
    ConversationHistorySchema,
  );
