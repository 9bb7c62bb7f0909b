import type { Verb } from "../../context";
import { AppError } from "../../errors";
import type { ChatTurn } from "../../providers/llm/types";
import { getAssistantCached } from "../assistants/assistants.service";
import { isRateLimited } from "../quotas/quotas.service";
import { answerQuestion } from "./answer";
import type { AnswerEvent } from "./conversation.interface";
import { reserveTurn, settleTurn, type TurnSettlement } from "./usage";

export interface CompletionMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string;
}

/**
 * Answers a Chat Completions request with an assistant (named by `model`): the last message is
 * the question, the user and assistant messages before it are the history. The client's system
 * messages are ignored: the assistant's own system prompt and grounding rules apply. Nothing is
 * stored but usage: a message and its tokens are reserved before, settled after, as for /chat.
 */
export async function completeChat({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; messages: CompletionMessage[]; signal?: AbortSignal }>): Promise<
  AsyncGenerator<AnswerEvent>
> {
  const last = input.messages.at(-1);
  if (last?.role !== "user" || !last.content.trim()) {
    throw new AppError("validation_failed", "The last message must be a non-empty user message", {
      errors: [{ field: "json.messages", message: "must end with a user message" }],
    });
  }
  const history: ChatTurn[] = input.messages
    .slice(0, -1)
    .filter(
      (message): message is CompletionMessage & ChatTurn =>
        message.role === "user" || message.role === "assistant",
    )
    .map(({ role, content }) => ({ role, content }));
  // The tenant's object is called once, concurrently with the assistant's read (see sendMessage).
  const assistantRead = getAssistantCached({ ctx, deps, input: { assistantId: input.assistantId } });
  const [assistantResult, admitted] = await Promise.allSettled([
    assistantRead,
    reserveTurn({
      ctx,
      deps,
      input: { assistant: assistantRead, message: last.content, withHistory: history.length > 0 },
    }),
  ]);
  if (assistantResult.status === "rejected") {
    if (admitted.status === "rejected" && isRateLimited(admitted.reason)) throw admitted.reason;
    if (admitted.status === "fulfilled") {
      await settleTurn({
        ctx,
        deps,
        input: { reservationId: admitted.value.id, outcome: { answered: false } },
      });
    }
    throw assistantResult.reason;
  }
  if (admitted.status === "rejected") throw admitted.reason;
  const assistant = assistantResult.value;
  const reservation = admitted.value;
  return settledWith(
    answerQuestion({
      ctx,
      deps,
      input: { assistant, question: last.content, history, signal: input.signal },
    }),
    (outcome) => settleTurn({ ctx, deps, input: { reservationId: reservation.id, outcome } }),
  );
}

/**
 * Passes the events on, then settles the reservation: answered once `done` went out (the client has
 * the answer before the commit), given back otherwise.
 */
async function* settledWith(
  events: AsyncGenerator<AnswerEvent>,
  settle: (outcome: TurnSettlement) => Promise<void>,
): AsyncGenerator<AnswerEvent> {
  let outcome: TurnSettlement = { answered: false };
  try {
    for await (const event of events) {
      if (event.type === "done") outcome = { answered: true, totalTokens: event.usage.totalTokens };
      yield event;
    }
  } finally {
    // After the end, a failure, or a client that went away (before or after `done`).
    await settle(outcome);
  }
}
