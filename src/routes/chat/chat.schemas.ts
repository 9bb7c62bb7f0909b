import { z } from "@hono/zod-openapi";
import { MAX_MESSAGE_CHARS } from "../../services/chat/limits";
import { conversationOwnerTypes, feedbackRatings } from "../../storage/schema";
import { pageOf } from "../openapi";

export const CitationSchema = z
  .object({
    index: z.number().int().openapi({ description: "The `[n]` marker of this source in the answer" }),
    document_id: z.string(),
    filename: z.string(),
    page: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Page (PDF) or slide (PPTX); null for formats without pages" }),
    section: z.string().nullable(),
    excerpt: z.string().openapi({ description: "A verbatim excerpt of the cited chunk" }),
    score: z.number(),
    chunk_id: z.string(),
  })
  .openapi("Citation");

export const TokenUsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    estimated: z
      .boolean()
      .openapi({ description: "true when counted locally rather than reported by the provider" }),
  })
  .openapi("TokenUsage");

export const AnswerModeSchema = z
  .enum(["extractive", "model", "none"])
  .describe(
    "How the answer was made: `extractive` quoted from the documents without a language model (Ancre's default when none is configured), `model` written by a language model from the sources, `none` nothing in the documents matched (a fixed sentence, neither quoted nor generated).",
  )
  .openapi("AnswerMode");

export type AnswerMode = z.infer<typeof AnswerModeSchema>;

export const FEEDBACK_COMMENT_CHARS = 2000;

export const FeedbackRequestSchema = z
  .object({
    rating: z.enum(feedbackRatings).openapi({ description: "`up`: the answer helped; `down`: it did not" }),
    comment: z.string().trim().max(FEEDBACK_COMMENT_CHARS).nullable().optional(),
  })
  .openapi("FeedbackRequest");

export const FeedbackSchema = z
  .object({
    rating: z.enum(feedbackRatings),
    comment: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  // The feedback of whoever started the conversation on an answer; they can change it.
  .openapi("MessageFeedback");

export const ChatRequestSchema = z
  .object({
    message: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
    conversation_id: z.string().min(1).max(64).optional(),
  })
  .openapi("ChatRequest");

export const ChatResponseSchema = z
  .object({
    conversation_id: z.string(),
    message_id: z.string(),
    answer: z.string(),
    citations: z.array(CitationSchema),
    usage: TokenUsageSchema,
    model: z.string(),
    answer_mode: AnswerModeSchema,
    finish_reason: z.string(),
  })
  .openapi("ChatResponse");

export const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant"]),
    content: z.string(),
    status: z.enum(["generating", "complete", "failed"]),
    citations: z.array(CitationSchema),
    usage: TokenUsageSchema.nullable(),
    model: z.string().nullable(),
    finish_reason: z.string().nullable(),
    error: z.string().nullable(),
    // Null for questions and for answers not (yet) complete.
    answer_mode: z.union([AnswerModeSchema, z.null()]),
    // Null until the answer is rated.
    feedback: z.union([FeedbackSchema, z.null()]),
    created_at: z.string().datetime(),
  })
  .openapi("Message");

export const ConversationSchema = z
  .object({
    id: z.string(),
    assistant_id: z.string(),
    title: z.string(),
    owner: z
      .object({ type: z.enum(conversationOwnerTypes), id: z.string() })
      .nullable()
      .openapi({
        description:
          "Who started the conversation (a user, an API key): only they send messages into it. Null for conversations older than owners, which only owners and admins see.",
      }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Conversation");

export const ConversationPageSchema = pageOf(ConversationSchema, "ConversationPage");

export const ConversationHistorySchema = ConversationSchema.extend({
  messages: z.array(MessageSchema),
}).openapi("ConversationHistory");
