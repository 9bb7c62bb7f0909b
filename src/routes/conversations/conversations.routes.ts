import { createRoute, type z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import { ownerOf } from "../../services/chat/ownership";
import {
  type ConversationsQuery,
  exportConversations,
  listWorkspaceConversations,
} from "../../services/conversations/conversations.service";
import { jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import {
  csvHeader,
  csvRows,
  presentExportedConversation,
  presentWorkspaceConversation,
} from "./conversations.presenters";
import {
  ConversationExportSchema,
  type ConversationFilterQuery,
  ExportConversationsQuery,
  ListConversationsQuery,
  WorkspaceConversationPageSchema,
} from "./conversations.schemas";

const DAY_MS = 86_400_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The query's filter as instants: a `to` day runs to its end (UTC). */
function conversationsQuery(query: z.infer<typeof ConversationFilterQuery>): ConversationsQuery {
  const instant = (value: string) => new Date(isDay(value) ? `${value}T00:00:00Z` : value);
  return {
    assistantId: query.assistant_id,
    from: query.from && instant(query.from).toISOString(),
    until: query.to && new Date(instant(query.to).getTime() + (isDay(query.to) ? DAY_MS : 0)).toISOString(),
    startedByMe: query.started_by === "me",
  };
}

export const conversationsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/conversations",
      tags: ["Conversations"],
      summary: "The workspace's conversations, newest first",
      description:
        "Owners and admins (and admin API keys) see every conversation of the workspace, with who started it (a member, an API key, a website visitor); members see their own. Read one with GET /chat/{assistant_id}/conversations/{conversation_id}.",
      security: tenantSecurity,
      request: { query: ListConversationsQuery },
      responses: {
        200: jsonContent(WorkspaceConversationPageSchema, "A page of conversations"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const call = tenantCall(c);
      const page = toPageRequest(query);
      const rows = await listWorkspaceConversations({ ...call, input: conversationsQuery(query), page });
      const caller = ownerOf(call.ctx.actor);
      return c.json(
        toPage(rows, page, (row) => presentWorkspaceConversation(row, caller)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/conversations/export",
      tags: ["Conversations"],
      summary: "Export the conversations with their messages, as JSON or CSV",
      description:
        "The same conversations as the list (same filters, same rule: members export their own), every one with its messages. CSV has one row per message (RFC 4180; a cell starting like a formula is prefixed with `'`). Streamed.",
      security: tenantSecurity,
      request: { query: ExportConversationsQuery },
      responses: {
        200: {
          description: "The export, as an attachment",
          content: {
            "application/json": { schema: ConversationExportSchema },
            "text/csv": { schema: { type: "string" } },
          },
        },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const call = tenantCall(c);
      const format = query.format ?? (/\btext\/csv\b/.test(c.req.header("accept") ?? "") ? "csv" : "json");
      const pages = await exportConversations({ ...call, input: conversationsQuery(query) });
      const caller = ownerOf(call.ctx.actor);
      const exportedAt = nowIso();
      const encoder = new TextEncoder();
      let first = true;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(
            encoder.encode(
              format === "csv"
                ? csvHeader()
                : `{"exported_at":${JSON.stringify(exportedAt)},"conversations":[`,
            ),
          );
        },
        async pull(controller) {
          try {
            const next = await pages.next();
            if (next.done) {
              if (format === "json") controller.enqueue(encoder.encode("]}"));
              controller.close();
              return;
            }
            let text = "";
            for (const { conversation, messages } of next.value) {
              const presented = presentExportedConversation(conversation, messages, caller);
              if (format === "csv") {
                const { messages: presentedMessages, ...rest } = presented;
                text += csvRows(rest, presentedMessages);
              } else {
                text += `${first ? "" : ","}${JSON.stringify(presented)}`;
                first = false;
              }
            }
            if (text) controller.enqueue(encoder.encode(text));
          } catch (error) {
            // The status is sent: the stream breaks off rather than end as a complete file.
            console.error(`[${c.var.requestId}] conversation export failed`, error);
            controller.error(error);
          }
        },
      });
      const day = exportedAt.slice(0, 10);
      return new Response(stream, {
        headers: {
          "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="conversations-${day}.${format}"`,
          "x-request-id": c.var.requestId,
        },
      });
    },
  );
