import type { Deps, Verb } from "../../context";
import { loadTokenCounter } from "../../ingest/tokens";
import { turnTokenCeiling } from "../../providers/llm/prompt";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import {
  commitQuota,
  type QuotaAmounts,
  type QuotaReservation,
  releaseQuota,
  reserveQuota,
} from "../quotas/quotas.service";

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

/** Reserves what a turn may use (turnAmounts); 429 `quota_exceeded` when over the plan. */
export async function reserveTurn({
  ctx,
  deps,
  input,
}: Verb<TurnRequest & { reservationId?: string }>): Promise<QuotaReservation> {
  await loadTokenCounter();
  return reserveQuota({
    ctx,
    deps,
    input: { amounts: turnAmounts(deps, input), reservationId: input.reservationId },
  });
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
      },
    });
  } else {
    await releaseQuota({ ctx, deps, input: { reservationId } });
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
    console.error(`could not settle the quota reservation ${verb.input.reservationId}`, error);
  }
}
