import type { Deps, Verb } from "../../context";
import { countTokens } from "../../ingest/tokens";
import { HISTORY_TOKEN_BUDGET } from "../../providers/llm/prompt";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import { commitQuota, type QuotaReservation, releaseQuota, reserveQuota } from "../quotas";

/** Tokens an answer may take at most, as reserved before it starts (the real count is committed). */
const COMPLETION_TOKENS_RESERVED = 1_024;

/**
 * What a turn may cost in tokens at most: the question, the assistant's prompt, `top_k` chunks of
 * sources, the history budget and an answer. Reserved before the turn; the real count is committed.
 */
function estimateTurnTokens(deps: Deps, assistant: AssistantWithCollections, message: string): number {
  return (
    countTokens(message) +
    countTokens(assistant.systemPrompt) +
    assistant.topK * deps.config.chunking.size +
    HISTORY_TOKEN_BUDGET +
    COMPLETION_TOKENS_RESERVED
  );
}

/** Reserves one chat message and the turn's token estimate; 429 `quota_exceeded` when over the plan. */
export function reserveTurn({
  ctx,
  deps,
  input,
}: Verb<{
  assistant: AssistantWithCollections;
  message: string;
  reservationId?: string;
}>): Promise<QuotaReservation> {
  return reserveQuota({
    ctx,
    deps,
    input: {
      amounts: { chat_messages: 1, llm_tokens: estimateTurnTokens(deps, input.assistant, input.message) },
      reservationId: input.reservationId,
    },
  });
}

/** How a turn ended, for its quota: answered with its real token count, or not. */
export type TurnSettlement = { answered: true; totalTokens: number } | { answered: false };

/**
 * Settles a turn's reservation: the message and the real tokens when it was answered, nothing
 * when it failed. Never throws: a quota write must not turn an answer into an error (an unsettled
 * reservation expires on its own).
 */
export async function settleTurn({
  ctx,
  deps,
  input: { reservationId, outcome },
}: Verb<{ reservationId: string; outcome: TurnSettlement }>): Promise<void> {
  try {
    if (outcome.answered) {
      await commitQuota({
        ctx,
        deps,
        input: { reservationId, actual: { chat_messages: 1, llm_tokens: outcome.totalTokens } },
      });
    } else {
      await releaseQuota({ ctx, deps, input: { reservationId } });
    }
  } catch (error) {
    console.error(`could not settle the quota reservation ${reservationId}`, error);
  }
}
