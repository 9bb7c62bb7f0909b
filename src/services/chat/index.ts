import type { Deps, TenantContext, Verb } from "../../context";
import type { TurnOutcome } from "../../durable-objects/conversation.do";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  type ConversationRow,
  deleteConversationRow,
  findConversation,
  insertConversation,
  listConversations as listConversationRows,
  listMessages,
} from "../../storage/repositories/conversations.repo";
import { getAssistant } from "../assistants";
import type { TurnSpec } from "./turn";
import { reserveTurn, settleTurn } from "./usage";

const TITLE_CHARS = 80;

function conversationObject(deps: Deps, conversationId: string) {
  return deps.conversations.get(deps.conversations.idFromName(conversationId));
}

/** The conversation, if it is the tenant's and the assistant's (the assistant itself is not checked). */
async function findConversationOf(deps: Deps, tenantId: string, assistantId: string, conversationId: string) {
  const conversation = await findConversation(deps.db, tenantId, assistantId, conversationId);
  if (!conversation) throw notFound("Conversation", conversationId);
  return conversation;
}

async function getConversationRow(
  ctx: TenantContext,
  deps: Deps,
  assistantId: string,
  conversationId: string,
) {
  await getAssistant({ ctx, deps, input: { assistantId } });
  return findConversationOf(deps, ctx.tenantId, assistantId, conversationId);
}

export interface StartedTurn {
  conversation: ConversationRow;
  spec: TurnSpec;
  firstEventId: number;
}

/**
 * Sends a message to an assistant: every check happens here, before any stream opens (the
 * assistant and conversation are the tenant's, the plan has a message and tokens left — reserved
 * under the turn's id, settled when the turn ends —, no other turn is generating), then the
 * conversation's Durable Object starts the turn. A second message while one is still being
 * answered is refused with 409 `conflict`.
 */
export async function sendMessage({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; message: string; conversationId?: string }>): Promise<StartedTurn> {
  const assistant = await getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
  const existing = input.conversationId
    ? await findConversationOf(deps, ctx.tenantId, assistant.id, input.conversationId)
    : undefined;
  const turnId = newId("msg");
  // The quota is the last check before anything is written: a refused message leaves no trace.
  await reserveTurn(ctx, deps, { assistant, message: input.message, reservationId: turnId });
  const now = nowIso();
  let conversation: ConversationRow;
  if (existing) {
    conversation = existing;
  } else {
    conversation = {
      id: newId("cnv"),
      tenantId: ctx.tenantId,
      assistantId: assistant.id,
      title: input.message.slice(0, TITLE_CHARS),
      createdAt: now,
      updatedAt: now,
    };
    await insertConversation(deps.db, conversation);
  }
  const spec: TurnSpec = {
    turnId,
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    requestId: ctx.requestId,
    assistantId: assistant.id,
    conversationId: conversation.id,
    userMessageId: newId("msg"),
    assistantMessageId: newId("msg"),
    message: input.message,
    createdAt: now,
  };
  const started = await conversationObject(deps, conversation.id)
    .startTurn(spec)
    .catch(async (error: unknown) => {
      await settleTurn(ctx, deps, turnId, { answered: false });
      throw error;
    });
  if (!started.accepted) {
    await settleTurn(ctx, deps, turnId, { answered: false });
    throw new AppError(
      "conflict",
      "A message of this conversation is still being answered; wait for its answer (or follow its stream) and send again",
    );
  }
  return { conversation, spec, firstEventId: started.firstEventId };
}

/** The SSE stream of a turn just started: from its first event to its end. */
export function streamTurn(deps: Deps, turn: StartedTurn): Promise<ReadableStream<Uint8Array>> {
  return conversationObject(deps, turn.conversation.id).subscribe({
    afterEventId: turn.firstEventId - 1,
    turnId: turn.spec.turnId,
    pingIntervalMs: deps.config.chat.pingIntervalMs,
  });
}

/** Waits for a turn's answer; an upstream failure comes back as its problem. */
export function awaitTurn(deps: Deps, turn: StartedTurn): Promise<TurnOutcome> {
  return conversationObject(deps, turn.conversation.id).awaitTurn(turn.spec.turnId);
}

/** Follows a conversation's current (or last) turn, replaying what came after `lastEventId`. */
export async function followConversation({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string; lastEventId: number | null }>) {
  await getConversationRow(ctx, deps, input.assistantId, input.conversationId);
  return conversationObject(deps, input.conversationId).subscribe({
    afterEventId: input.lastEventId,
    pingIntervalMs: deps.config.chat.pingIntervalMs,
  });
}

export async function getConversation({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string }>) {
  const conversation = await getConversationRow(ctx, deps, input.assistantId, input.conversationId);
  return { conversation, messages: await listMessages(deps.db, ctx.tenantId, conversation.id) };
}

export async function listConversations({
  ctx,
  deps,
  input,
  page,
}: Verb<{ assistantId: string }> & { page: PageRequest }) {
  await getAssistant({ ctx, deps, input });
  return listConversationRows(deps.db, ctx.tenantId, input.assistantId, page);
}

/** Deletes a conversation and its messages; refused (409) while a turn is generating. */
export async function deleteConversation({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string }>) {
  const conversation = await getConversationRow(ctx, deps, input.assistantId, input.conversationId);
  const object = conversationObject(deps, conversation.id);
  if (await object.isGenerating()) {
    throw new AppError(
      "conflict",
      "The conversation is generating an answer; delete it once the answer is done",
    );
  }
  await deleteConversationRow(deps.db, ctx.tenantId, conversation.id);
  await object.forget();
}
