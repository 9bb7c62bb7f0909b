import type { Verb } from "../../context";
import { AppError } from "../../errors";
import type { ChatTurn } from "../../providers/llm/types";
import { getAssistant } from "../assistants";
import { type AnswerEvent, answerQuestion } from "./answer";

export interface CompletionMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string;
}

/**
 * Answers a Chat Completions request with an assistant (named by `model`): the last message is
 * the question, the user and assistant messages before it are the history. The client's system
 * messages are ignored: the assistant's own system prompt and grounding rules apply. Nothing is
 * stored; this is the same retrieval and answering as /chat, statelessly.
 */
export async function completeChat({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; messages: CompletionMessage[]; signal?: AbortSignal }>): Promise<
  AsyncGenerator<AnswerEvent>
> {
  const assistant = await getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
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
  return answerQuestion(ctx, deps, { assistant, question: last.content, history, signal: input.signal });
}
