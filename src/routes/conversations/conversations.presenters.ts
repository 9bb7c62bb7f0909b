import type {
  ConversationOwner,
  ListedConversationRow,
  MessageRow,
} from "../../storage/repositories/conversations.repo";
import { presentMessage } from "../chat/chat.presenters";

export const presentWorkspaceConversation = (row: ListedConversationRow, caller: ConversationOwner) => ({
  id: row.id,
  assistant_id: row.assistantId,
  assistant_name: row.assistantName,
  title: row.title,
  started_by:
    row.ownerType && row.ownerId ? { type: row.ownerType, id: row.ownerId, name: row.starterLabel } : null,
  started_by_me: row.ownerType === caller.type && row.ownerId === caller.id,
  message_count: row.messageCount,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

export type PresentedConversation = ReturnType<typeof presentWorkspaceConversation>;
type PresentedMessage = ReturnType<typeof presentMessage>;

/** One conversation of a JSON export: the listed conversation and its messages. */
export const presentExportedConversation = (
  row: ListedConversationRow,
  messages: MessageRow[],
  caller: ConversationOwner,
) => ({ ...presentWorkspaceConversation(row, caller), messages: messages.map(presentMessage) });

/**
 * The columns of a CSV export, one row per message; a column added here (feedback, say) lands in
 * every export. The conversation's columns repeat on each of its messages so that any row stands alone.
 */
export const CSV_COLUMNS: {
  header: string;
  value: (c: PresentedConversation, m: PresentedMessage) => string;
}[] = [
  { header: "conversation_id", value: (c) => c.id },
  { header: "conversation_title", value: (c) => c.title },
  { header: "assistant_id", value: (c) => c.assistant_id },
  { header: "assistant_name", value: (c) => c.assistant_name },
  { header: "started_by_type", value: (c) => c.started_by?.type ?? "" },
  { header: "started_by_id", value: (c) => c.started_by?.id ?? "" },
  { header: "started_by_name", value: (c) => c.started_by?.name ?? "" },
  { header: "conversation_created_at", value: (c) => c.created_at },
  { header: "message_id", value: (_, m) => m.id },
  { header: "message_created_at", value: (_, m) => m.created_at },
  { header: "role", value: (_, m) => m.role },
  { header: "status", value: (_, m) => m.status },
  { header: "content", value: (_, m) => m.content },
  {
    header: "citations",
    value: (_, m) =>
      m.citations
        .map(
          (citation) =>
            `[${citation.index}] ${citation.filename}${citation.page ? ` #${citation.page}` : ""}`,
        )
        .join("; "),
  },
  { header: "model", value: (_, m) => m.model ?? "" },
  { header: "total_tokens", value: (_, m) => (m.usage ? String(m.usage.total_tokens) : "") },
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet
 * would read as a formula (=, +, -, @, tab, carriage return first) is prefixed with `'`: a visitor's
 * message must not run in the reader's spreadsheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (fields: string[]): string => `${fields.map(csvField).join(",")}\r\n`;

export const csvHeader = (): string => csvLine(CSV_COLUMNS.map((column) => column.header));

/** The CSV lines of one conversation: one per message. */
export const csvRows = (conversation: PresentedConversation, messages: PresentedMessage[]): string =>
  messages
    .map((message) => csvLine(CSV_COLUMNS.map((column) => column.value(conversation, message))))
    .join("");
