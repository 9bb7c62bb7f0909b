import type { Deps, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import {
  type ConversationRow,
  deleteConversationRow,
  findConversation,
  listConversations as listConversationRows,
  listMessages,
} from "../../storage/repositories/conversations.repo";
import { feedbackOfConversation } from "../../storage/repositories/feedback.repo";
import { getAssistant, getAssistantCached } from "../assistants/assistants.service";
import { isRateLimited } from "../quotas/quotas.service";
import { emitWebhookEvent } from "../webhooks/webhook-events";
import { visitorBudgets } from "../widgets/budgets";
import type { TurnOutcome, TurnSpec } from "./conversation.interface";
import { assertCanWrite, canRead, ownerOf, readsAllConversations } from "./ownership";
import { appErrorOf } from "./turn";
import { reserveTurn, settleTurn } from "./usage";

const TITLE_CHARS = 80;

function conversationObject(deps: Deps, conversationId: string) {
  return deps.conversations.get(deps.conversations.idFromName(conversationId));
}

/**
 * The conversation, if it is the tenant's and the assistant's (the assistant itself is not checked)
 * and the caller may read it. One it may not read is a 404, exactly like another tenant's.
 */
async function findConversationOf({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string }>): Promise<ConversationRow> {
  const conversation = await findConversation(deps.db, ctx.tenantId, input.assistantId, input.conversationId);
  if (!conversation || !canRead(ctx, conversation)) throw notFound("Conversation", input.conversationId);
  return conversation;
}

/** The conversation, once its assistant is checked to be the tenant's. */
export async function getConversationRow({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string }>): Promise<ConversationRow> {
  await getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
  return findConversationOf({ ctx, deps, input });
}

export interface StartedTurn {
  conversation: ConversationRow;
  spec: TurnSpec;
  firstEventId: number;
  /** The turn's SSE stream, when it was started with one (`stream`). */
  stream?: ReadableStream<Uint8Array>;
}

/**
 * Sends a message to an assistant: every check happens here, before any stream opens (the
 * assistant and conversation are the tenant's, the caller started the conversation, the plan has a message and tokens left — reserved
 * under the turn's id, settled when the turn ends —, no other turn is generating), then the
 * conversation's Durable Object starts the turn. A second message while one is still being
 * answered is refused with 409 `conflict`. Nothing is written to D1 here: a new conversation's
 * row goes with the turn to its object, which writes it with the messages (listable by the
 * turn's `done`, whose bookmark covers it).
 *
 * The tenant's object is called once (the rate-limit draw, a visitor's widget budgets and the
 * reservation together: reserveTurn), concurrently with the reads of the assistant and the
 * conversation; when one of those then fails, the reservation is given back.
 */
export async function sendMessage({
  ctx,
  deps,
  input,
}: Verb<{
  assistantId: string;
  message: string;
  conversationId?: string;
  stream?: boolean;
}>): Promise<StartedTurn> {
  const assistantRead = getAssistantCached({ ctx, deps, input: { assistantId: input.assistantId } });
  const existingRead = input.conversationId
    ? findConversationOf({
        ctx,
        deps,
        input: { assistantId: input.assistantId, conversationId: input.conversationId },
      })
    : Promise.resolve(undefined);
  const turnId = newId("msg");
  const conversationId = input.conversationId ?? newId("cnv");
  const object = conversationObject(deps, conversationId);
  // A new conversation's object is made ready while the quota is admitted (created then, not after
  // the admission): it writes nothing, so a refused request leaves nothing behind. A follow-up's
  // object has served the turns before: the call would only add a round trip beside the others.
  if (!input.conversationId) void object.prepare().catch(() => {});
  const admission = reserveTurn({
    ctx,
    deps,
    input: {
      assistant: assistantRead,
      message: input.message,
      withHistory: input.conversationId !== undefined,
      reservationId: turnId,
      budgets:
        ctx.actor.type === "visitor"
          ? visitorBudgets({
              ctx,
              deps,
              input: { assistantId: input.assistantId, visitorId: ctx.actor.visitorId },
            })
          : undefined,
    },
  });
  const giveBack = () =>
    settleTurn({ ctx, deps, input: { reservationId: turnId, outcome: { answered: false } } });
  const [assistantResult, existingResult, admitted] = await Promise.allSettled([
    assistantRead,
    existingRead,
    admission,
  ]);
  let assistant: AssistantWithCollections;
  let existing: ConversationRow | undefined;
  try {
    // A refused request is refused first, as when the rate limit was drawn before anything else.
    if (admitted.status === "rejected" && isRateLimited(admitted.reason)) throw admitted.reason;
    if (assistantResult.status === "rejected") throw assistantResult.reason;
    if (existingResult.status === "rejected") throw existingResult.reason;
    assistant = assistantResult.value;
    existing = existingResult.value;
    if (existing) assertCanWrite(ctx, existing);
  } catch (error) {
    if (admitted.status === "fulfilled") await giveBack();
    throw error;
  }
  // The quota is the last check before anything is written: a refused message leaves no trace.
  if (admitted.status === "rejected") throw admitted.reason;
  const now = nowIso();
  let conversation: ConversationRow;
  if (existing) {
    conversation = existing;
  } else {
    const owner = ownerOf(ctx.actor);
    conversation = {
      id: conversationId,
      tenantId: ctx.tenantId,
      assistantId: assistant.id,
      title: input.message.slice(0, TITLE_CHARS),
      ownerType: owner.type,
      ownerId: owner.id,
      createdAt: now,
      updatedAt: now,
    };
  }
  const spec: TurnSpec = {
    turnId,
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    role: ctx.role,
    requestId: ctx.requestId,
    region: ctx.region,
    assistantId: assistant.id,
    assistant,
    conversationId: conversation.id,
    // Written to D1 by the conversation's object with the turn's messages, after the first byte.
    newConversation: existing ? undefined : conversation,
    userMessageId: newId("msg"),
    assistantMessageId: newId("msg"),
    message: input.message,
    createdAt: now,
  };
  const started = await object
    .startTurn(spec, input.stream ? { pingIntervalMs: deps.config.chat.pingIntervalMs } : undefined)
    // The object may have accepted the turn all the same (the call failed on its way back): were
    // it answered, its commit would count it even so.
    .catch(async (error: unknown) => {
      await giveBack();
      throw error;
    });
  if (!started.accepted) {
    await giveBack();
    throw new AppError(
      "conflict",
      "A message of this conversation is still being answered; wait for its answer (or follow its stream) and send again",
    );
  }
  return { conversation, spec, firstEventId: started.firstEventId, stream: started.stream };
}

/**
 * The SSE stream of a turn just started (by this tenant): from its first event to its end. A turn
 * started with `stream` brought it back from its start; another is subscribed to.
 */
export async function streamTurn({
  deps,
  input: turn,
}: Verb<StartedTurn>): Promise<ReadableStream<Uint8Array>> {
  if (turn.stream) return turn.stream;
  return conversationObject(deps, turn.conversation.id).subscribe({
    afterEventId: turn.firstEventId - 1,
    turnId: turn.spec.turnId,
    pingIntervalMs: deps.config.chat.pingIntervalMs,
  });
}

/**
 * Waits for the answer of a turn just started (by this tenant), and for its D1 writes to be tried:
 * its bookmark then covers the answer. Throws the AppError it failed with.
 */
export async function awaitAnswer({
  deps,
  input: turn,
}: Verb<StartedTurn>): Promise<Extract<TurnOutcome, { type: "done" }>> {
  const outcome = await conversationObject(deps, turn.conversation.id).awaitTurn(turn.spec.turnId);
  if (outcome.type === "error") throw appErrorOf(outcome.error);
  return outcome;
}

/** Follows a conversation's current (or last) turn, replaying what came after `lastEventId`. */
export async function followConversation({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string; lastEventId: number | null }>) {
  await getConversationRow({ ctx, deps, input });
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
  const conversation = await getConversationRow({ ctx, deps, input });
  const [messages, feedback] = await Promise.all([
    listMessages(deps.db, ctx.tenantId, conversation.id),
    feedbackOfConversation(deps.db, ctx.tenantId, conversation.id),
  ]);
  // An answer still generating in D1 may be done in the object, which writes D1 after the fact.
  const pending = messages.some((message) => message.status === "generating")
    ? new Map(
        (await conversationObject(deps, conversation.id).pendingMessages())
          .filter((message) => message.tenantId === ctx.tenantId)
          .map((message) => [message.id, message]),
      )
    : new Map<string, (typeof messages)[number]>();
  // Each answer carries the feedback given on it, if any.
  return {
    conversation,
    messages: messages.map((message) => ({
      ...(pending.get(message.id) ?? message),
      feedback: feedback.get(message.id),
    })),
  };
}

/** An assistant's conversations: all of them for owners and admins, a member's own otherwise. */
export async function listConversations({
  ctx,
  deps,
  input,
  page,
}: Verb<{ assistantId: string }> & { page: PageRequest }) {
  await getAssistant({ ctx, deps, input });
  const startedBy = readsAllConversations(ctx) ? undefined : ownerOf(ctx.actor);
  return listConversationRows(deps.db, ctx.tenantId, input.assistantId, page, startedBy);
}

/**
 * Deletes a conversation and its messages, for whoever may read it (its starter, owners, admins);
 * refused (409) while a turn is generating.
 */
export async function deleteConversation({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; conversationId: string }>) {
  const conversation = await getConversationRow({ ctx, deps, input });
  const object = conversationObject(deps, conversation.id);
  if (await object.isGenerating()) {
    throw new AppError(
      "conflict",
      "The conversation is generating an answer; delete it once the answer is done",
    );
  }
  // The object first: it writes what is pending before it forgets, so nothing lands after the rows go.
  await object.forget();
  await deleteConversationRow(deps.db, ctx.tenantId, conversation.id);
}

/**
 * Announces a widget visitor's new conversation (`conversation.created`). Called by the
 * conversation's object once the conversation's row has reached D1, so that a receiver that reads
 * the conversation back finds it; other owners' conversations are not announced.
 */
export async function announceConversation({ ctx, deps, input: conversation }: Verb<ConversationRow>) {
  if (ctx.actor.type !== "visitor") return;
  await emitWebhookEvent({
    ctx,
    deps,
    input: {
      type: "conversation.created",
      data: {
        conversation: {
          id: conversation.id,
          assistant_id: conversation.assistantId,
          visitor_id: ctx.actor.visitorId,
          title: conversation.title,
          created_at: conversation.createdAt,
        },
      },
    },
  });
}
