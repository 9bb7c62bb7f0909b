import { useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import { ApiError, api, type Schemas, unwrap } from "@/api/client";
import {
  type AnswerMode,
  type AnswerState,
  type Citation,
  resumeAnswer,
  startingAnswer,
  streamAnswer,
} from "./answer-stream";
import { playgroundKeys } from "./api";
import { loadStreaming, saveStreaming } from "./resume-store";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  citations: Citation[];
  status: "streaming" | "complete" | "failed" | "stopped";
  /** Why the answer failed: an ApiError (shown through the problem mapper), or the stored reason. */
  error: unknown;
  /** The answer as the API names it, once known: what feedback is given on. */
  ref?: { conversationId: string; messageId: string };
  answerMode?: AnswerMode | null;
  feedback?: Schemas["MessageFeedback"] | null;
}

type HistoryMessage = Pick<
  Schemas["Message"],
  "id" | "role" | "content" | "status" | "citations" | "error" | "answer_mode" | "feedback"
>;

const fromHistory = (conversationId: string, message: HistoryMessage): ChatMessage => ({
  id: message.id,
  role: message.role,
  text: message.content,
  citations: message.citations,
  status: message.status === "generating" ? "streaming" : message.status,
  error: message.error,
  ref: { conversationId, messageId: message.id },
  answerMode: message.answer_mode,
  feedback: message.feedback,
});

const fromAnswer = (id: string, answer: AnswerState): ChatMessage => ({
  id,
  role: "assistant",
  text: answer.text,
  citations: answer.citations,
  status: answer.status,
  error: answer.problem ? new ApiError(answer.problem.status, answer.problem) : null,
  ref:
    answer.conversationId && answer.messageId
      ? { conversationId: answer.conversationId, messageId: answer.messageId }
      : undefined,
  answerMode: answer.answerMode,
  feedback: null,
});

let localIds = 0;
const localId = (kind: string) => `local_${kind}_${++localIds}`;

/**
 * One conversation with an assistant: its history, the answer streaming in, stop, and the resume
 * of an answer still being generated when the page was (re)loaded.
 */
export function useChat({
  assistantId,
  conversationId,
  onConversationStarted,
}: {
  assistantId: string | null;
  conversationId: string | null;
  onConversationStarted: (conversationId: string) => void;
}) {
  const queryClient = useQueryClient();
  const [messages, setMessages] = React.useState<ChatMessage[]>([]);
  const [running, setRunning] = React.useState(false);
  const [loading, setLoading] = React.useState(false);
  const [loadError, setLoadError] = React.useState<unknown>(null);
  const abort = React.useRef<AbortController | null>(null);
  // The conversation this tab's own stream started: its history is already on screen.
  const started = React.useRef<string | null>(null);

  const replaceLast = React.useCallback((message: ChatMessage) => {
    setMessages((current) => [...current.slice(0, -1), message]);
  }, []);

  const run = React.useCallback(
    async (
      assistant: string,
      question: string,
      follow: (options: {
        signal: AbortSignal;
        onUpdate: (state: AnswerState) => void;
      }) => Promise<AnswerState>,
    ) => {
      const controller = new AbortController();
      abort.current = controller;
      setRunning(true);
      const answerId = localId("answer");
      try {
        const final = await follow({
          signal: controller.signal,
          onUpdate: (state) => {
            if (state.conversationId && state.conversationId !== started.current && !conversationId) {
              started.current = state.conversationId;
              onConversationStarted(state.conversationId);
            }
            if (state.conversationId && state.status === "streaming") {
              saveStreaming({
                assistantId: assistant,
                question,
                answer: { ...state, conversationId: state.conversationId },
              });
            }
            replaceLast(fromAnswer(answerId, state));
          },
        });
        replaceLast(fromAnswer(answerId, final));
      } catch (error) {
        if (controller.signal.aborted) {
          setMessages((current) => {
            const last = current.at(-1);
            return last?.role === "assistant"
              ? [...current.slice(0, -1), { ...last, status: "stopped" }]
              : current;
          });
        } else {
          replaceLast({ id: answerId, role: "assistant", text: "", citations: [], status: "failed", error });
        }
      } finally {
        saveStreaming(null);
        abort.current = null;
        setRunning(false);
        void queryClient.invalidateQueries({ queryKey: playgroundKeys.conversations(assistant) });
        void queryClient.invalidateQueries({ queryKey: ["usage"] });
      }
    },
    [conversationId, onConversationStarted, queryClient, replaceLast],
  );

  // A conversation picked (or reloaded): its history, then the answer still being generated, if any.
  // biome-ignore lint/correctness/useExhaustiveDependencies: loading follows the ids only; `run` changes with them
  React.useEffect(() => {
    if (!assistantId || !conversationId) {
      if (!started.current) setMessages([]);
      return;
    }
    if (started.current === conversationId) return;
    started.current = null;
    let cancelled = false;
    setLoading(true);
    setLoadError(null);
    unwrap(
      api.GET("/api/v1/chat/{assistant_id}/conversations/{conversation_id}", {
        params: { path: { assistant_id: assistantId, conversation_id: conversationId } },
      }),
    )
      .then((history) => {
        if (cancelled) return;
        const loaded = history.messages.map((message) => fromHistory(conversationId, message));
        setMessages(loaded);
        const last = loaded.at(-1);
        if (last?.role === "assistant" && last.status === "streaming") {
          const saved = loadStreaming();
          const from =
            saved?.answer.conversationId === conversationId
              ? saved.answer
              : { ...startingAnswer(conversationId), conversationId };
          started.current = conversationId;
          setMessages([...loaded.slice(0, -1), fromAnswer(last.id, from)]);
          void run(assistantId, saved?.question ?? "", (options) =>
            resumeAnswer({ assistantId, from }, options),
          );
        }
      })
      .catch((error) => !cancelled && setLoadError(error))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [assistantId, conversationId]);

  const send = React.useCallback(
    (question: string) => {
      if (!assistantId || running) return;
      setMessages((current) => [
        ...current,
        {
          id: localId("question"),
          role: "user",
          text: question,
          citations: [],
          status: "complete",
          error: null,
        },
        {
          id: localId("answer"),
          role: "assistant",
          text: "",
          citations: [],
          status: "streaming",
          error: null,
        },
      ]);
      return run(assistantId, question, (options) =>
        streamAnswer({ assistantId, message: question, conversationId }, options),
      );
    },
    [assistantId, conversationId, run, running],
  );

  const stop = React.useCallback(() => abort.current?.abort(), []);

  const reset = React.useCallback(() => {
    abort.current?.abort();
    started.current = null;
    setMessages([]);
  }, []);

  return { messages, running, loading, loadError, send, stop, reset };
}
