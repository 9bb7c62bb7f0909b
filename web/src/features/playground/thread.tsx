import {
  AssistantRuntimeProvider,
  ComposerPrimitive,
  type ThreadMessageLike,
  ThreadPrimitive,
  useAuiState,
  useExternalStoreRuntime,
  WebSpeechDictationAdapter,
} from "@assistant-ui/react";
import { ArrowUpIcon, BotIcon, MicIcon, MicOffIcon, SquareIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { describeProblem } from "@/api/problems";
import { ErrorAlert } from "@/components/ui/alert";
import { AnswerFeedback, QuotedMark } from "./answer-feedback";
import { CitationChip } from "./citation-chip";
import { segmentAnswer, sourcesOf } from "./citations";
import type { ChatMessage } from "./use-chat";

const statusOf = (message: ChatMessage): ThreadMessageLike["status"] => {
  if (message.role === "user") return undefined;
  switch (message.status) {
    case "streaming":
      return { type: "running" };
    case "complete":
      return { type: "complete", reason: "stop" };
    case "stopped":
      return { type: "incomplete", reason: "cancelled" };
    default:
      return { type: "incomplete", reason: "error" };
  }
};

const convertMessage = (message: ChatMessage): ThreadMessageLike => ({
  id: message.id,
  role: message.role,
  content: [{ type: "text", text: message.text }],
  status: statusOf(message),
  metadata: { custom: { chat: message } },
});

/** The conversation and its composer, drawn by assistant-ui over the playground's own chat state. */
export function ChatThread({
  messages,
  assistantId,
  canConfigure,
  running,
  onSend,
  onStop,
  disabled,
  placeholder,
  emptyHint,
}: {
  emptyHint: React.ReactNode;
  messages: ChatMessage[];
  assistantId: string | null;
  /** Owners and admins: told how to have a model write answers. */
  canConfigure: boolean;
  running: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  disabled: boolean;
  placeholder: string;
}) {
  const { i18n } = useTranslation();
  const dictation = React.useMemo(
    () =>
      WebSpeechDictationAdapter.isSupported()
        ? new WebSpeechDictationAdapter({ language: i18n.language })
        : undefined,
    [i18n.language],
  );
  const runtime = useExternalStoreRuntime<ChatMessage>({
    messages,
    isRunning: running,
    isDisabled: disabled,
    convertMessage,
    onNew: async (message) => {
      const text = message.content
        .map((part) => (part.type === "text" ? part.text : ""))
        .join("")
        .trim();
      if (text) onSend(text);
    },
    onCancel: async () => onStop(),
    adapters: dictation ? { dictation } : undefined,
  });
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <ThreadPrimitive.Root className="flex min-h-0 flex-1 flex-col">
        <ThreadPrimitive.Viewport className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto px-1 pb-4">
          {messages.length === 0 && emptyHint}
          <ThreadPrimitive.Messages>
            {({ message }) =>
              message.role === "user" ? (
                <UserMessage />
              ) : (
                <AssistantMessage assistantId={assistantId} canConfigure={canConfigure} />
              )
            }
          </ThreadPrimitive.Messages>
        </ThreadPrimitive.Viewport>
        <Composer running={running} placeholder={placeholder} canDictate={dictation !== undefined} />
      </ThreadPrimitive.Root>
    </AssistantRuntimeProvider>
  );
}

function useChatMessage(): ChatMessage {
  return useAuiState((s) => (s.message.metadata.custom as { chat: ChatMessage }).chat);
}

function UserMessage() {
  const message = useChatMessage();
  return (
    <div className="flex justify-end">
      <p className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-primary px-4 py-2 text-sm text-primary-foreground">
        {message.text}
      </p>
    </div>
  );
}

function AssistantMessage({
  assistantId,
  canConfigure,
}: {
  assistantId: string | null;
  canConfigure: boolean;
}) {
  const { t, i18n } = useTranslation();
  const message = useChatMessage();
  const complete = message.status === "complete";
  const sources = sourcesOf(message.citations);
  const streaming = message.status === "streaming";
  return (
    <article className="flex gap-3" aria-busy={streaming} aria-label={t("playground.answer")}>
      <div className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-primary/10 text-primary">
        <BotIcon className="size-4" aria-hidden />
      </div>
      <div className="grid min-w-0 flex-1 gap-2">
        {message.text ? (
          <p className="whitespace-pre-wrap text-sm leading-relaxed" data-testid="answer-text">
            {segmentAnswer(message.text, message.citations).map((segment, index) =>
              segment.type === "text" ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
                <React.Fragment key={index}>{segment.text}</React.Fragment>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: a citation may be cited twice
                <CitationChip key={index} citation={segment.citation} compact />
              ),
            )}
            {streaming && (
              <span className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-primary/60 align-middle" />
            )}
          </p>
        ) : streaming ? (
          <p className="text-sm text-muted-foreground" role="status">
            {t("playground.thinking")}
          </p>
        ) : null}
        {sources.length > 0 && (
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="text-xs text-muted-foreground" aria-hidden>
              {t("playground.sources")}
            </span>
            <ul className="contents" aria-label={t("playground.sources")}>
              {sources.map((citation) => (
                <li key={citation.index} className="inline-flex">
                  <CitationChip citation={citation} />
                </li>
              ))}
            </ul>
          </div>
        )}
        {complete && message.answerMode === "extractive" && <QuotedMark canConfigure={canConfigure} />}
        {complete && assistantId && message.ref && (
          <AnswerFeedback
            key={message.ref.messageId}
            answer={{ assistantId, ...message.ref }}
            initial={message.feedback ?? null}
          />
        )}
        {message.status === "stopped" && (
          <p className="text-xs text-muted-foreground">{t("playground.stopped")}</p>
        )}
        {message.status === "failed" && (
          <FailedAnswer
            error={message.error}
            describe={(error) => describeProblem(error, t, i18n.language)}
          />
        )}
      </div>
    </article>
  );
}

function FailedAnswer({
  error,
  describe,
}: {
  error: unknown;
  describe: (error: unknown) => ReturnType<typeof describeProblem>;
}) {
  const { t } = useTranslation();
  // A failure stored with the conversation is its reason, in the API's words.
  const message =
    typeof error === "string"
      ? { sentence: t("playground.failed"), hint: error, upgrade: false }
      : describe(error);
  return (
    <ErrorAlert title={message.sentence}>
      {message.hint}{" "}
      {message.upgrade && (
        <Link to="/billing" className="font-medium text-primary hover:underline">
          {t("nav.billing")}
        </Link>
      )}
    </ErrorAlert>
  );
}

function Composer({
  running,
  placeholder,
  canDictate,
}: {
  running: boolean;
  placeholder: string;
  canDictate: boolean;
}) {
  const { t } = useTranslation();
  const dictating = useAuiState((s) => s.composer.dictation != null);
  const button =
    "inline-flex size-9 shrink-0 items-center justify-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-40";
  return (
    <ComposerPrimitive.Root className="flex items-end gap-2 rounded-2xl border bg-card p-2 shadow-sm focus-within:ring-2 focus-within:ring-ring">
      <ComposerPrimitive.Input
        aria-label={t("playground.message")}
        placeholder={placeholder}
        rows={1}
        autoFocus
        className="max-h-40 min-h-9 flex-1 resize-none bg-transparent px-2 py-2 text-sm outline-none placeholder:text-muted-foreground"
      />
      {canDictate &&
        (dictating ? (
          <ComposerPrimitive.StopDictation
            className={`${button} bg-destructive/10 text-destructive`}
            aria-label={t("playground.stopDictation")}
          >
            <MicOffIcon className="size-4" aria-hidden />
          </ComposerPrimitive.StopDictation>
        ) : (
          <ComposerPrimitive.Dictate
            className={`${button} hover:bg-accent`}
            aria-label={t("playground.dictate")}
          >
            <MicIcon className="size-4" aria-hidden />
          </ComposerPrimitive.Dictate>
        ))}
      {running ? (
        <ComposerPrimitive.Cancel
          className={`${button} bg-foreground text-background`}
          aria-label={t("playground.stop")}
        >
          <SquareIcon className="size-3.5 fill-current" aria-hidden />
        </ComposerPrimitive.Cancel>
      ) : (
        <ComposerPrimitive.Send
          className={`${button} bg-primary text-primary-foreground hover:bg-primary/90`}
          aria-label={t("playground.send")}
        >
          <ArrowUpIcon className="size-4" aria-hidden />
        </ComposerPrimitive.Send>
      )}
    </ComposerPrimitive.Root>
  );
}
