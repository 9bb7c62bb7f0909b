import type { Deps, Verb } from "../../context";
import { loadTokenCounter } from "../../ingest/tokens";
import { log } from "../../lib/log";
import { turnTokenCeiling } from "../../providers/llm/prompt";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import {
  admit,
  commitQuota,
  type QuotaAmounts,
  type QuotaReservation,
  releaseQuota,
} from "../quotas/quotas.service";
import type { VisitorBudgets } from "../widgets/budgets";

/** What a turn is about to ask, as far as its cost is known before it starts. */
export interface TurnRequest {
  assistant: AssistantWithCollections;
  message: string;
  /** Whether earlier turns come with the message (a follow-up is rewritten and sent with them). */
  withHistory: boolean;
}

/**
 * What a turn may use: one message, and LLM tokens only when a model answers. Without a model
 * (the extractive default) or without collections (no sources, no model call) no token is
 * reserved; with one, the most its calls can use (see turnTokenCeiling). The real count is committed.
 */
export function turnAmounts(deps: Deps, turn: TurnRequest): QuotaAmounts {
  if (!deps.answerGenerator.callsModel) return { chat_messages: 1 };
  const llmTokens =
    turn.assistant.collectionIds.length === 0
      ? 0
      : turnTokenCeiling({
          systemPrompt: turn.assistant.systemPrompt,
          question: turn.message,
          topK: turn.assistant.topK,
          chunkTokens: deps.config.chunking.size,
          withHistory: turn.withHistory,
        });
  return { chat_messages: 1, llm_tokens: llmTokens };
}

/**
 * What a turn may use, as soon as it can be known: at once when no model answers (a message,
 * whatever the assistant), once the assistant is at hand when one does (its token ceiling).
 */
async function turnAmountsOf(
  deps: Deps,
  turn: Omit<TurnRequest, "assistant"> & {
    assistant: AssistantWithCollections | Promise<AssistantWithCollections>;
  },
): Promise<QuotaAmounts> {
  if (!deps.answerGenerator.callsModel) return { chat_messages: 1 };
  return turnAmounts(deps, { ...turn, assistant: await turn.assistant });
}

/**
 * Reserves what a turn may use (turnAmounts) in the request's one call to the tenant's object,
 * which also takes the request's rate-limit draw and, for a widget visitor, the widget's budgets
 * (services/quotas admit). The assistant and the budgets may still be on their way: the call
 * leaves as soon as what it carries is known. 429 `rate_limited` or `quota_exceeded` when over.
 */
export async function reserveTurn({
  ctx,
  deps,
  input,
}: Verb<
  Omit<TurnRequest, "assistant"> & {
    assistant: AssistantWithCollections | Promise<AssistantWithCollections>;
    reservationId?: string;
    budgets?: VisitorBudgets | Promise<VisitorBudgets | undefined>;
  }
>): Promise<QuotaReservation> {
  const [amounts, budgets] = await Promise.all([
    loadTokenCounter().then(() => turnAmountsOf(deps, input)),
    input.budgets,
  ]);
  const { reservation } = await admit({
    ctx,
    deps,
    input: {
      amounts,
      reservationId: input.reservationId,
      windows: budgets?.windows,
      windowRefused: budgets?.refusal,
    },
  });
  return reservation!;
}

/** How a turn ended, for its quota: answered with its real token count, or not. */
export type TurnSettlement = { answered: true; totalTokens: number } | { answered: false };

/**
 * Settles a turn's reservation: the message and the real tokens of its model calls when it was
 * answered (tokens count only if they were reserved, i.e. when a model answers), once however
 * often it is settled, nothing when it failed. Throws when the quota object cannot be reached: the
 * conversation object keeps the settlement and tries again until it is done.
 */
export async function settleTurnReservation({
  ctx,
  deps,
  input: { reservationId, outcome },
}: Verb<{ reservationId: string; outcome: TurnSettlement }>): Promise<void> {
  if (outcome.answered) {
    await commitQuota({
      ctx,
      deps,
      input: {
        reservationId,
        actual: { chat_messages: 1, llm_tokens: outcome.totalTokens },
        // An answered turn counts, even if its start was given up for lost (see sendMessage).
        evenIfReleased: true,
        // Made by the caller's lease holder, unless it went to the ledger (a widget's windows).
        leased: true,
      },
    });
  } else {
    await releaseQuota({ ctx, deps, input: { reservationId, leased: true } });
  }
}

/**
 * Settles a turn's reservation (settleTurnReservation) where nothing retries it. Never throws: a
 * quota write must not turn an answer into an error (an unsettled reservation expires on its own).
 */
export async function settleTurn(
  verb: Verb<{ reservationId: string; outcome: TurnSettlement }>,
): Promise<void> {
  try {
    await settleTurnReservation(verb);
  } catch (error) {
    const { ctx, input } = verb;
    log(
      "error",
      "quota_settle_failed",
      { request_id: ctx.requestId, tenant_id: ctx.tenantId, reservation_id: input.reservationId },
      error,
    );
  }
}
