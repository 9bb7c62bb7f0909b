import type { Verb } from "../../context";
import type { PageRequest } from "../../lib/pagination";
import {
  type ConversationFilter,
  type ListedConversationRow,
  listMessagesOf,
  listTenantConversations,
  type MessageRow,
} from "../../storage/repositories/conversations.repo";
import { getAssistant } from "../assistants/assistants.service";
import { ownerOf, readsAllConversations } from "../chat/ownership";

// Conversations exported per read: their messages come in one more query.
const EXPORT_PAGE_SIZE = 50;

export interface ConversationsQuery {
  assistantId?: string;
  /** Started at or after this instant (ISO 8601). */
  from?: string;
  /** Started before this instant (ISO 8601). */
  until?: string;
  /** Only the caller's own conversations, whatever its role. */
  startedByMe: boolean;
}

/** A conversation with its messages, as an export writes it. */
export interface ExportedConversation {
  conversation: ListedConversationRow;
  messages: MessageRow[];
}

/**
 * The filter the caller may list with: owners and admins (and admin API keys) see every
 * conversation of the workspace, members only theirs; a named assistant must be the tenant's.
 */
async function filterFor({ ctx, deps, input }: Verb<ConversationsQuery>): Promise<ConversationFilter> {
  if (input.assistantId) await getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
  const ownOnly = input.startedByMe || !readsAllConversations(ctx);
  return {
    assistantId: input.assistantId,
    from: input.from,
    until: input.until,
    startedBy: ownOnly ? ownerOf(ctx.actor) : undefined,
  };
}

/** A page of the workspace's conversations the caller may read, newest first. */
export async function listWorkspaceConversations({
  ctx,
  deps,
  input,
  page,
}: Verb<ConversationsQuery> & { page: PageRequest }): Promise<ListedConversationRow[]> {
  const filter = await filterFor({ ctx, deps, input });
  return listTenantConversations(deps.db, ctx.tenantId, filter, page);
}

/**
 * Every conversation the caller may read that matches, newest first, with its messages, a page at
 * a time: an export streams them without holding the workspace's history in memory. Checks happen
 * on the first call, before anything is written.
 */
export async function exportConversations({
  ctx,
  deps,
  input,
}: Verb<ConversationsQuery>): Promise<AsyncGenerator<ExportedConversation[]>> {
  const filter = await filterFor({ ctx, deps, input });
  return (async function* pages() {
    let after: string | undefined;
    for (;;) {
      const rows = await listTenantConversations(deps.db, ctx.tenantId, filter, {
        limit: EXPORT_PAGE_SIZE,
        after,
      });
      const conversations = rows.slice(0, EXPORT_PAGE_SIZE);
      const messages = await listMessagesOf(
        deps.db,
        ctx.tenantId,
        conversations.map((conversation) => conversation.id),
      );
      yield conversations.map((conversation) => ({
        conversation,
        messages: messages.filter((message) => message.conversationId === conversation.id),
      }));
      if (rows.length <= EXPORT_PAGE_SIZE) return;
      after = conversations.at(-1)?.id;
    }
  })();
}
