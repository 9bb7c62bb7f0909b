import { z } from "@hono/zod-openapi";
import { conversationOwnerTypes } from "../../storage/schema";
import { MessageSchema } from "../chat/chat.schemas";
import { PageQuerySchema, pageOf } from "../openapi";

const dayOrInstant = (description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .optional()
    .openapi({ description, example: "2026-12-01" });

/** What narrows a list or an export of the workspace's conversations. */
export const ConversationFilterQuery = z.object({
  assistant_id: z.string().min(1).max(64).optional().openapi({ description: "One assistant's only" }),
  from: dayOrInstant("Started on or after this day (UTC) or instant"),
  to: dayOrInstant("Started on or before this day (UTC, the whole day), or before this instant"),
  started_by: z
    .enum(["me"])
    .optional()
    .openapi({ description: "`me`: only the caller's own conversations, whatever its role" }),
});

export const ListConversationsQuery = PageQuerySchema.extend(ConversationFilterQuery.shape);

export const ExportConversationsQuery = ConversationFilterQuery.extend({
  format: z.enum(["csv", "json"]).optional().openapi({
    description: "Without it, the Accept header decides (`text/csv` for CSV), JSON otherwise",
  }),
});

export const ConversationStarterSchema = z
  .object({
    type: z.enum(conversationOwnerTypes),
    id: z.string(),
    name: z.string().nullable().openapi({
      description:
        "The member's e-mail or the API key's name; null for website visitors and unknown starters",
    }),
  })
  .openapi("ConversationStarter");

export const WorkspaceConversationSchema = z
  .object({
    id: z.string(),
    assistant_id: z.string(),
    assistant_name: z.string(),
    title: z.string(),
    started_by: ConversationStarterSchema.nullable().openapi({
      description: "Null for conversations older than recorded starters",
    }),
    started_by_me: z
      .boolean()
      .openapi({ description: "Whether the caller started it (and may continue it)" }),
    message_count: z.number().int(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("WorkspaceConversation");

export const WorkspaceConversationPageSchema = pageOf(
  WorkspaceConversationSchema,
  "WorkspaceConversationPage",
);

export const ExportedConversationSchema = WorkspaceConversationSchema.extend({
  messages: z.array(MessageSchema),
}).openapi("ExportedConversation");

export const ConversationExportSchema = z
  .object({
    exported_at: z.string().datetime(),
    conversations: z.array(ExportedConversationSchema),
  })
  .openapi("ConversationExport");
