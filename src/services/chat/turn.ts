import type { Deps, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { log } from "../../lib/log";
import { nowIso } from "../../lib/time";
import { ProviderError } from "../../providers/errors";
import { findAssistant } from "../../storage/repositories/assistants.repo";
import {
  findMessage,
  insertTurnMessages,
  recentCompletedMessages,
  updateMessage,
} from "../../storage/repositories/conversations.repo";
import { recordAnswerRetrieval } from "../../storage/repositories/feedback.repo";
import { answerQuestion } from "./answer";
import type { Json, TurnEvent, TurnFailure, TurnSpec } from "./conversation.interface";
import { settleTurn } from "./usage";

/** Messages of history a turn reads: enough for the prompt's history budget to choose from. */
const HISTORY_MESSAGES = 20;

/** The context a turn runs in: its caller's, as the request that started it had it. */
export const turnContext = (spec: TurnSpec): TenantContext => ({
  tenantId: spec.tenantId,
  actor: spec.actor,
  role: spec.role,
  requestId: spec.requestId,
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

/** Stores the question and a placeholder answer (`generating`), before the turn runs. */
export async function recordTurnStart({ ctx, deps, input: spec }: Verb<TurnSpec>): Promise<void> {
  const base = {
    tenantId: ctx.tenantId,
    conversationId: spec.conversationId,
    citations: null,
    usage: null,
    model: null,
    finishReason: null,
    error: null,
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
  };
  await insertTurnMessages(
    deps.db,
    { ...base, id: spec.userMessageId, role: "user", content: spec.message, status: "complete" },
    { ...base, id: spec.assistantMessageId, role: "assistant", content: "", status: "generating" },
  );
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
}

/**
 * Runs a turn to its end: retrieval, generation, then the answer and its citations written to D1,
 * and only then its reservation committed (see completeTurn). Every event goes to `emit` as it
 * happens; the last one is `done` or `error`. Never throws: a failure is stored on the answer
 * (the question stays) and emitted as an `error` event.
 */
export async function runTurn({ ctx, deps, input }: Verb<TurnRun>): Promise<void> {
  const { spec, emit } = input;
  let answer = "";
  try {
    const assistant = spec.assistant ?? (await findAssistant(deps.db, ctx.tenantId, spec.assistantId));
    if (!assistant) throw notFound("Assistant", spec.assistantId);
    const earlier = (
      await recentCompletedMessages(deps.db, ctx.tenantId, spec.conversationId, HISTORY_MESSAGES + 1)
    )
      .filter((message) => message.id !== spec.userMessageId)
      .slice(-HISTORY_MESSAGES);
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
      // Stored first, charged second: an answer that could not be stored fails and costs nothing.
      await storeAnswer(deps, ctx.tenantId, spec, event);
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

type AnswerDone = Extract<TurnEvent, { type: "done" }>;

/** Stores a turn's answer as complete: from then on the turn is answered, whatever happens to its run. */
async function storeAnswer(deps: Deps, tenantId: string, spec: TurnSpec, answer: AnswerDone): Promise<void> {
  const retrievalRecorded = recordRetrieval(deps, tenantId, spec, answer);
  await updateMessage(deps.db, tenantId, spec.assistantMessageId, {
    content: answer.answer,
    status: "complete",
    citations: answer.citations,
    usage: answer.usage,
    model: answer.model,
    finishReason: answer.finishReason,
    updatedAt: nowIso(),
  });
  await retrievalRecorded;
}

/**
 * Records the documents the answer was retrieved from, beside the answer's own write (not after
 * it). They serve the report of unanswered questions only: the answer stands without them.
 */
async function recordRetrieval(deps: Deps, tenantId: string, spec: TurnSpec, answer: AnswerDone) {
  if (!answer.retrievedDocumentIds) return;
  await recordAnswerRetrieval(deps.db, {
    messageId: spec.assistantMessageId,
    tenantId,
    documentIds: answer.retrievedDocumentIds,
  }).catch((error) => console.error(`[${spec.requestId}] could not record what the answer retrieved`, error));
}

/** A turn's answer, if it was stored (see storeAnswer). */
async function storedAnswer(deps: Deps, tenantId: string, spec: TurnSpec): Promise<AnswerDone | undefined> {
  const message = await findMessage(deps.db, tenantId, spec.conversationId, spec.assistantMessageId);
  if (message?.status !== "complete") return undefined;
  return {
    type: "done",
    answer: message.content,
    citations: message.citations ?? [],
    usage: message.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false },
    model: message.model ?? "",
    finishReason: message.finishReason ?? "stop",
  };
}

/**
 * Ends a turn whose answer is stored: its reservation is committed (by the turn's id, so a turn
 * completed twice is charged once), then `done` is emitted.
 */
async function completeTurn({ ctx, deps, input }: Verb<TurnRun & { answer: AnswerDone }>): Promise<void> {
  const { spec, answer } = input;
  await settleTurn({
    ctx,
    deps,
    input: { reservationId: spec.turnId, outcome: { answered: true, totalTokens: answer.usage.totalTokens } },
  });
  input.emit(answer);
}

/**
 * Ends a turn whose run was lost (the object was reset mid-turn, or its start never finished): a
 * turn whose answer was stored is completed and charged (once), any other fails and is released.
 * Throws only when it cannot tell (the stored answer unreadable): the caller retries later.
 */
export async function endInterruptedTurn({ ctx, deps, input }: Verb<TurnRun>): Promise<void> {
  const answer = await storedAnswer(deps, ctx.tenantId, input.spec);
  if (answer) return completeTurn({ ctx, deps, input: { ...input, answer } });
  const error = new AppError("service_unavailable", "The answer was interrupted; send the message again");
  await failTurn({ ctx, deps, input: { ...input, error } });
}

/**
 * Ends a turn that cannot be answered: its reservation is given back, the answer is stored as
 * failed (the question stays), and an `error` event is emitted. Never throws.
 */
export async function failTurn({
  ctx,
  deps,
  input,
}: Verb<TurnRun & { error: AppError; partialAnswer?: string }>): Promise<void> {
  const { spec, error } = input;
  await settleTurn({ ctx, deps, input: { reservationId: spec.turnId, outcome: { answered: false } } });
  await updateMessage(deps.db, ctx.tenantId, spec.assistantMessageId, {
    content: input.partialAnswer ?? "",
    status: "failed",
    error: failureSentence(error),
    updatedAt: nowIso(),
  }).catch((writeError) =>
    log("error", "chat_answer_not_recorded", { request_id: ctx.requestId }, writeError),
  );
  input.emit({ type: "error", error: failureOf(error) });
}
