import type { TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { log } from "../../lib/log";
import { nowIso } from "../../lib/time";
import { ProviderError } from "../../providers/errors";
import { findAssistant } from "../../storage/repositories/assistants.repo";
import {
  type ConversationRecords,
  findMessage,
  type MessageRow,
  recentCompletedMessages,
  upsertConversationRecords,
} from "../../storage/repositories/conversations.repo";
import { answerQuestion } from "./answer";
import type { AnswerEvent, Json, TurnEvent, TurnFailure, TurnSpec } from "./conversation.interface";
import type { TurnSettlement } from "./usage";

/** Messages of history a turn reads: enough for the prompt's history budget to choose from. */
const HISTORY_MESSAGES = 20;

/** The context a turn runs in: its caller's, as the request that started it had it. */
export const turnContext = (spec: TurnSpec): TenantContext => ({
  tenantId: spec.tenantId,
  actor: spec.actor,
  role: spec.role,
  requestId: spec.requestId,
  region: spec.region,
});

/** A turn's error as plain data, to be stored and sent over RPC. */
const failureOf = (error: AppError): TurnFailure => ({
  code: error.code,
  detail: error.detail,
  // AppError extensions become members of the problem JSON, so they are JSON.
  extensions: error.extensions as Record<string, Json>,
});

/** The AppError a turn failed with. */
export const appErrorOf = (failure: TurnFailure): AppError =>
  new AppError(failure.code, failure.detail, failure.extensions);

/** The turn's two messages as they start: the question (complete) and a placeholder answer (`generating`). */
export function turnStartMessages(spec: TurnSpec): [MessageRow, MessageRow] {
  const base = {
    tenantId: spec.tenantId,
    conversationId: spec.conversationId,
    citations: null,
    usage: null,
    model: null,
    finishReason: null,
    error: null,
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
  };
  return [
    { ...base, id: spec.userMessageId, role: "user", content: spec.message, status: "complete" },
    { ...base, id: spec.assistantMessageId, role: "assistant", content: "", status: "generating" },
  ];
}

/** A turn's answer as it ends: the fields of its message that change. */
export type AnswerRecord = Pick<
  MessageRow,
  "content" | "status" | "citations" | "usage" | "model" | "finishReason" | "error" | "updatedAt"
>;

/**
 * Where a turn keeps what it did before D1 has it: the conversation object's own storage, written
 * to D1 after the fact (idempotently, retried until it lands). The object implements it.
 */
export interface TurnStore {
  /** The conversation's latest messages the object holds (those of its turns), oldest first. */
  recentMessages(limit: number): MessageRow[];
  /** Whether the object holds every message of the conversation (it started the conversation). */
  holdsWholeConversation(): boolean;
  /**
   * Keeps the turn's answer and how its quota is to be settled, in one write of the object's
   * storage, with the documents it was retrieved from (written to D1 with the answer).
   */
  keepAnswer(answer: AnswerRecord, settlement: TurnSettlement, retrievedDocumentIds?: string[]): void;
  /** The turn's answer, if it was kept complete. */
  keptAnswer(): MessageRow | undefined;
  /**
   * Waits (briefly) for the D1 writes already under way, and returns D1's bookmark after them;
   * undefined when they have not landed.
   */
  writesLanded(): Promise<string | undefined>;
}

/**
 * The messages before a turn's question, oldest first: from the object alone when it holds the
 * whole conversation (no D1 read), else from D1 through the object's session with what the object
 * holds laid over (its messages may not have reached D1 yet).
 */
export async function turnHistory({ ctx, deps, input }: Verb<TurnRun>): Promise<MessageRow[]> {
  const { spec, store } = input;
  const kept = store.recentMessages(HISTORY_MESSAGES + 2);
  let messages = kept;
  if (!store.holdsWholeConversation()) {
    const stored = await recentCompletedMessages(
      deps.db,
      ctx.tenantId,
      spec.conversationId,
      HISTORY_MESSAGES + 2,
    );
    const byId = new Map(stored.map((message) => [message.id, message]));
    for (const message of kept) byId.set(message.id, message);
    messages = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return messages
    .filter(
      (message) =>
        message.status === "complete" &&
        message.id !== spec.userMessageId &&
        message.id !== spec.assistantMessageId,
    )
    .slice(-HISTORY_MESSAGES);
}

function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  log("error", "chat_turn_error", { request_id: requestId }, error);
  return new AppError("internal_error", `The answer could not be generated; quote request id ${requestId}`);
}

/** The sentence stored on a failed answer. */
function failureSentence(error: AppError): string {
  if (error instanceof ProviderError) {
    return error.transient
      ? "the answer could not be generated: the language model did not respond in time or failed; try again"
      : "the answer could not be generated: the language model refused the request";
  }
  return error.detail;
}

/** The documents an answer cites, most cited first (ties in order of first citation). */
function mostCitedFirst(citations: { document_id: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { document_id } of citations) counts.set(document_id, (counts.get(document_id) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
}

interface TurnRun {
  spec: TurnSpec;
  /** Receives every event of the turn as it happens. */
  emit: (event: TurnEvent) => void;
  store: TurnStore;
}

/**
 * Runs a turn to its end: retrieval, generation, then the answer and its citations kept in the
 * object with the quota settlement it owes, and `done` (see completeTurn); the object then writes
 * D1 and settles the quota. Every event goes to `emit` as it happens; the last one is `done` or
 * `error`. Never throws: a failure is kept on the answer (the question stays) and emitted as an
 * `error` event.
 */
export async function runTurn({ ctx, deps, input }: Verb<TurnRun>): Promise<void> {
  const { spec, emit } = input;
  let answer = "";
  try {
    const assistant = spec.assistant ?? (await findAssistant(deps.db, ctx.tenantId, spec.assistantId));
    if (!assistant) throw notFound("Assistant", spec.assistantId);
    const earlier = await turnHistory({ ctx, deps, input });
    const history = earlier.map((message) => ({ role: message.role, content: message.content }));
    const lastAnswer = earlier.findLast((message) => message.role === "assistant");

    for await (const event of answerQuestion({
      ctx,
      deps,
      input: {
        assistant,
        question: spec.message,
        history,
        citedDocumentIds: mostCitedFirst(lastAnswer?.citations ?? []),
      },
    })) {
      if (event.type === "delta") answer += event.text;
      if (event.type !== "done") {
        emit(event);
        continue;
      }
      await completeTurn({ ctx, deps, input: { ...input, answer: event } });
    }
  } catch (thrown) {
    await failTurn({
      ctx,
      deps,
      input: { ...input, error: toAppError(thrown, ctx.requestId), partialAnswer: answer },
    });
  }
}

type AnswerDone = Extract<AnswerEvent, { type: "done" }>;

/** A stored answer message as the `done` that ended its turn. */
const doneOf = (message: MessageRow): AnswerDone => ({
  type: "done",
  answer: message.content,
  citations: message.citations ?? [],
  usage: message.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false },
  model: message.model ?? "",
  finishReason: message.finishReason ?? "stop",
});

/**
 * Ends an answered turn: the answer is kept with the commit it owes (one write of the object's
 * storage: from then on the turn is answered and will be charged, once, by its id, whatever
 * happens to its run), then `done` is emitted with the bookmark of the writes that have landed.
 * The quota commit and the answer's D1 write, with the documents it was retrieved from, follow
 * `done` (the object's bookkeeping).
 */
async function completeTurn({ input }: Verb<TurnRun & { answer: AnswerDone }>): Promise<void> {
  const { answer, store } = input;
  store.keepAnswer(
    {
      content: answer.answer,
      status: "complete",
      citations: answer.citations,
      usage: answer.usage,
      model: answer.model,
      finishReason: answer.finishReason,
      error: null,
      updatedAt: nowIso(),
    },
    { answered: true, totalTokens: answer.usage.totalTokens },
    answer.retrievedDocumentIds,
  );
  const bookmark = await store.writesLanded();
  input.emit(bookmark ? { ...answer, bookmark } : answer);
}

/**
 * Ends a turn whose run was lost (the object was reset mid-turn, or its start never finished): a
 * turn whose answer was kept is completed and charged (once), any other fails and is released.
 * An answer kept only in D1 (a turn started before the object kept its own) counts as kept.
 * Throws only when it cannot tell (that D1 answer unreadable): the caller retries later.
 */
export async function endInterruptedTurn({ ctx, deps, input }: Verb<TurnRun>): Promise<void> {
  const kept =
    input.store.keptAnswer() ??
    (await findMessage(deps.db, ctx.tenantId, input.spec.conversationId, input.spec.assistantMessageId));
  if (kept?.status === "complete")
    return completeTurn({ ctx, deps, input: { ...input, answer: doneOf(kept) } });
  const error = new AppError("service_unavailable", "The answer was interrupted; send the message again");
  await failTurn({ ctx, deps, input: { ...input, error } });
}

/**
 * Ends a turn that cannot be answered: the answer is kept as failed (the question stays) with the
 * release of its reservation owed, and an `error` event is emitted. Never throws.
 */
export async function failTurn({
  input,
}: Verb<TurnRun & { error: AppError; partialAnswer?: string }>): Promise<void> {
  const { error } = input;
  input.store.keepAnswer(
    {
      content: input.partialAnswer ?? "",
      status: "failed",
      citations: null,
      usage: null,
      model: null,
      finishReason: null,
      error: failureSentence(error),
      updatedAt: nowIso(),
    },
    { answered: false },
  );
  input.emit({ type: "error", error: failureOf(error) });
}

/**
 * Writes what a conversation object kept to D1, in the tenant of the turn: idempotent (see
 * upsertConversationRecords), so the object sends it again until it lands.
 */
export async function writeConversationRecords({
  ctx,
  deps,
  input,
}: Verb<Omit<ConversationRecords, "tenantId">>): Promise<void> {
  await upsertConversationRecords(deps.db, { ...input, tenantId: ctx.tenantId });
}
