import type { Actor, TenantContext } from "../../context";
import { AppError } from "../../errors";
import type { ConversationOwner, ConversationRow } from "../../storage/repositories/conversations.repo";

/**
 * Who a conversation started by this actor belongs to. The development bypass acts as a user
 * (its fixed user id), so that switching to real sign-in keeps the rule the same.
 */
export function ownerOf(actor: Actor): ConversationOwner {
  switch (actor.type) {
    case "user":
    case "dev":
      return { type: "user", id: actor.userId };
    case "api_key":
      return { type: "api_key", id: actor.keyId };
    case "visitor":
      return { type: "visitor", id: actor.visitorId };
  }
}

/** Owners and admins (API keys act as admins) oversee every conversation of the tenant; widget visitors act as members. */
export const readsAllConversations = (ctx: TenantContext): boolean =>
  ctx.role === "owner" || ctx.role === "admin";

export const startedBy = (conversation: ConversationRow, owner: ConversationOwner): boolean =>
  conversation.ownerType === owner.type && conversation.ownerId === owner.id;

/** Whether the caller may see the conversation: its starter, or an owner or admin. */
export const canRead = (ctx: TenantContext, conversation: ConversationRow): boolean =>
  startedBy(conversation, ownerOf(ctx.actor)) || readsAllConversations(ctx);

/**
 * Refuses a message into a conversation the caller did not start: a conversation is one
 * person's (or one integration's) exchange, and an answer is written from its history.
 */
export function assertCanWrite(ctx: TenantContext, conversation: ConversationRow): void {
  if (!startedBy(conversation, ownerOf(ctx.actor))) {
    throw new AppError(
      "forbidden",
      "Only the one who started this conversation can send messages into it; start a new conversation instead",
    );
  }
}
