import type { Actor, Deps, TenantContext } from "../../context";
import { AppError, notFound, toProblem } from "../../errors";
import { nowIso } from "../../lib/time";
import { ProviderError } from "../../providers/errors";
import { findAssistant } from "../../storage/repositories/assistants.repo";
import {
  insertTurnMessages,
  recentCompletedMessages,
  updateMessage,
} from "../../storage/repositories/conversations.repo";
import type { StoredUsage } from "../../storage/schema";
import { answerQuestion } from "./answer";
import type { Citation } from "./citations";
import { settleTurn } from "./usage";

/** Everything a conversation object needs to run one turn: plain data, it crosses an RPC boundary. */
export interface TurnSpec {
  /** Also the id of the turn's quota reservation. */
  turnId: string;
  tenantId: string;
  actor: Actor;
  requestId: string;
  assistantId: string;
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  message: string;
  createdAt: string;
}

/** The events of a turn, as streamed (SSE event name → data). */
export type TurnEvent =
  | { event: "meta"; data: { conversation_id: string; message_id: string } }
  | { event: "citations"; data: { citations: Citation[] } }
  | { event: "delta"; data: { text: string } }
  | {
      event: "done";
      data: {
        message_id: string;
        usage: StoredUsage;
        finish_reason: string;
        model: string;
        citations: Citation[];
      };
    }
  | { event: "error"; data: ReturnType<typeof toProblem> };

/** Messages of history a turn reads: enough for the prompt's history budget to choose from. */
const HISTORY_MESSAGES = 20;

const contextOf = (spec: TurnSpec): TenantContext => ({
  tenantId: spec.tenantId,
  actor: spec.actor,
  role: "member",
  requestId: spec.requestId,
});

/** Stores the question and a placeholder answer (`generating`), before the turn runs. */
export async function recordTurnStart(deps: Deps, spec: TurnSpec): Promise<void> {
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
  await insertTurnMessages(
    deps.db,
    { ...base, id: spec.userMessageId, role: "user", content: spec.message, status: "complete" },
    { ...base, id: spec.assistantMessageId, role: "assistant", content: "", status: "generating" },
  );
}

function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  console.error(`[${requestId}] chat turn failed`, error);
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

/**
 * Runs a turn to its end: retrieval, generation, then the answer and its citations written to D1.
 * Every event goes to `emit` as it happens; the last one is `done` or `error`. Never throws: a
 * failure is stored on the answer (the question stays) and emitted as an `error` problem.
 */
export async function runTurn(deps: Deps, spec: TurnSpec, emit: (event: TurnEvent) => void): Promise<void> {
  const ctx = contextOf(spec);
  let answer = "";
  try {
    const assistant = await findAssistant(deps.db, spec.tenantId, spec.assistantId);
    if (!assistant) throw notFound("Assistant", spec.assistantId);
    const history = (
      await recentCompletedMessages(deps.db, spec.tenantId, spec.conversationId, HISTORY_MESSAGES + 1)
    )
      .filter((message) => message.id !== spec.userMessageId)
      .slice(-HISTORY_MESSAGES)
      .map((message) => ({ role: message.role, content: message.content }));

    for await (const event of answerQuestion(ctx, deps, { assistant, question: spec.message, history })) {
      if (event.type === "citations") emit({ event: "citations", data: { citations: event.citations } });
      else if (event.type === "delta") {
        answer += event.text;
        emit({ event: "delta", data: { text: event.text } });
      } else {
        const usage: StoredUsage = {
          prompt_tokens: event.usage.promptTokens,
          completion_tokens: event.usage.completionTokens,
          total_tokens: event.usage.totalTokens,
          estimated: event.usage.estimated,
        };
        await settleTurn(ctx, deps, spec.turnId, { answered: true, totalTokens: usage.total_tokens });
        await updateMessage(deps.db, spec.tenantId, spec.assistantMessageId, {
          content: event.answer,
          status: "complete",
          citations: event.citations,
          usage,
          model: event.model,
          finishReason: event.finishReason,
          updatedAt: nowIso(),
        });
        emit({
          event: "done",
          data: {
            message_id: spec.assistantMessageId,
            usage,
            finish_reason: event.finishReason,
            model: event.model,
            citations: event.citations,
          },
        });
      }
    }
  } catch (thrown) {
    await failTurn(deps, spec, toAppError(thrown, spec.requestId), emit, answer);
  }
}

/**
 * Ends a turn that cannot be answered: its reservation is given back, the answer is stored as
 * failed (the question stays), and an `error` problem is emitted. Never throws.
 */
export async function failTurn(
  deps: Deps,
  spec: TurnSpec,
  error: AppError,
  emit: (event: TurnEvent) => void,
  partialAnswer = "",
): Promise<void> {
  await settleTurn(contextOf(spec), deps, spec.turnId, { answered: false });
  await updateMessage(deps.db, spec.tenantId, spec.assistantMessageId, {
    content: partialAnswer,
    status: "failed",
    error: failureSentence(error),
    updatedAt: nowIso(),
  }).catch((writeError) =>
    console.error(`[${spec.requestId}] could not record the failed answer`, writeError),
  );
  emit({ event: "error", data: toProblem(error, spec.requestId) });
}
