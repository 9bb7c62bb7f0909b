import { useQuery } from "@tanstack/react-query";
import { BotIcon, MessageSquarePlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { assistantsQuery, conversationsQuery } from "./api";
import { loadStreaming } from "./resume-store";
import { ChatThread } from "./thread";
import { useChat } from "./use-chat";

export function PlaygroundPage() {
  const { t } = useTranslation();
  const { tenant } = useTenant();
  const [params, setParams] = useSearchParams();
  const assistants = useQuery(assistantsQuery());
  // A reload during an answer comes back to that conversation, to resume it.
  React.useEffect(() => {
    const saved = loadStreaming();
    if (saved && !params.get("assistant")) {
      setParams(
        { assistant: saved.assistantId, conversation: saved.answer.conversationId },
        { replace: true },
      );
    }
  }, [params, setParams]);

  const assistantId = params.get("assistant") ?? assistants.data?.data[0]?.id ?? null;
  const conversationId = params.get("conversation");
  const assistant = assistants.data?.data.find((candidate) => candidate.id === assistantId);

  const setConversation = React.useCallback(
    (id: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (assistantId) next.set("assistant", assistantId);
          if (id) next.set("conversation", id);
          else next.delete("conversation");
          return next;
        },
        { replace: id !== null },
      ),
    [assistantId, setParams],
  );
  const chat = useChat({ assistantId, conversationId, onConversationStarted: setConversation });

  if (assistants.isPending) return <Skeleton className="h-[70dvh]" />;
  if (assistants.isError)
    return <ProblemAlert error={assistants.error} onRetry={() => assistants.refetch()} />;
  if (assistants.data.data.length === 0) {
    return (
      <EmptyState
        icon={<BotIcon />}
        title={t("playground.noAssistantTitle")}
        description={t("playground.noAssistantDescription")}
        action={
          <Button asChild>
            <Link to="/assistants">{t("playground.createAssistant")}</Link>
          </Button>
        }
      />
    );
  }

  return (
    <div className="grid h-[calc(100dvh-8rem)] min-h-[28rem] grid-cols-1 gap-4 md:grid-cols-[15rem_minmax(0,1fr)]">
      <aside className="hidden min-h-0 flex-col gap-3 md:flex" aria-label={t("playground.conversations")}>
        <AssistantPicker
          assistants={assistants.data.data}
          value={assistantId}
          onChange={(id) => {
            chat.reset();
            setParams({ assistant: id });
          }}
        />
        <Button
          variant="outline"
          onClick={() => {
            chat.reset();
            setConversation(null);
          }}
        >
          <MessageSquarePlusIcon aria-hidden />
          {t("playground.newConversation")}
        </Button>
        {assistantId && (
          <ConversationList assistantId={assistantId} current={conversationId} onPick={setConversation} />
        )}
      </aside>
      <section className="flex min-h-0 min-w-0 flex-col gap-3" aria-label={t("nav.playground")}>
        <header className="flex flex-wrap items-center justify-between gap-2">
          <div className="min-w-0">
            <h1 className="truncate text-xl font-semibold tracking-tight">
              {assistant?.name ?? t("nav.playground")}
            </h1>
            <p className="text-xs text-muted-foreground">{t("playground.description")}</p>
          </div>
          <div className="flex gap-2 md:hidden">
            <AssistantPicker
              assistants={assistants.data.data}
              value={assistantId}
              onChange={(id) => {
                chat.reset();
                setParams({ assistant: id });
              }}
            />
            <Button
              variant="outline"
              size="icon"
              aria-label={t("playground.newConversation")}
              onClick={() => {
                chat.reset();
                setConversation(null);
              }}
            >
              <MessageSquarePlusIcon aria-hidden />
            </Button>
          </div>
        </header>
        {chat.loadError ? <ProblemAlert error={chat.loadError} /> : null}
        {chat.loading ? (
          <Skeleton className="flex-1" />
        ) : (
          <ChatThread
            emptyHint={
              <div className="flex flex-1 flex-col items-center justify-center gap-2 text-center text-sm text-muted-foreground">
                <BotIcon className="size-8 text-primary" aria-hidden />
                <p className="max-w-sm">{t("playground.emptyThread")}</p>
              </div>
            }
            messages={chat.messages}
            assistantId={assistantId}
            canConfigure={tenant.role !== "member"}
            running={chat.running}
            onSend={(text) => void chat.send(text)}
            onStop={chat.stop}
            disabled={!assistantId}
            placeholder={t("playground.placeholder", { name: assistant?.name ?? "" })}
          />
        )}
      </section>
    </div>
  );
}

function AssistantPicker({
  assistants,
  value,
  onChange,
}: {
  assistants: { id: string; name: string }[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <select
      aria-label={t("playground.assistant")}
      className="h-9 min-w-0 rounded-md border border-input bg-card px-2 text-sm"
      value={value ?? ""}
      onChange={(event) => onChange(event.target.value)}
    >
      {assistants.map((assistant) => (
        <option key={assistant.id} value={assistant.id}>
          {assistant.name}
        </option>
      ))}
    </select>
  );
}

function ConversationList({
  assistantId,
  current,
  onPick,
}: {
  assistantId: string;
  current: string | null;
  onPick: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const conversations = useQuery(conversationsQuery(assistantId));
  if (conversations.isPending) return <Skeleton className="h-32" />;
  if (conversations.isError) return <ProblemAlert error={conversations.error} />;
  if (conversations.data.data.length === 0) {
    return <p className="px-1 text-sm text-muted-foreground">{t("playground.noConversations")}</p>;
  }
  return (
    <nav className="min-h-0 overflow-y-auto" aria-label={t("playground.history")}>
      <ul className="grid gap-1">
        {conversations.data.data.map((conversation) => (
          <li key={conversation.id}>
            <button
              type="button"
              aria-current={conversation.id === current ? "page" : undefined}
              onClick={() => onPick(conversation.id)}
              className={cn(
                "grid w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                conversation.id === current && "bg-accent font-medium",
              )}
            >
              <span className="truncate">{conversation.title || t("playground.untitled")}</span>
              <span className="text-xs text-muted-foreground">
                {formatDateTime(conversation.updated_at, i18n.language)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
