import { z } from "@hono/zod-openapi";
import {
  MAX_CONVERSATION_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGES_PER_REQUEST,
} from "../../services/chat/limits";
import { CitationSchema } from "../chat/chat.schemas";

const ContentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

type MessageContent = string | z.infer<typeof ContentPart>[] | null;

/** The text of a message's content, whether a string or an array of parts. */
export function textOf(content: MessageContent): string {
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

export const CompletionRequestSchema = z
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
