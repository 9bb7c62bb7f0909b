import { useQuery } from "@tanstack/react-query";
import { ArrowLeftIcon, BotIcon, LockIcon, MessageSquarePlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, type Schemas } from "@/api/client";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { CitationChip } from "@/features/playground/citation-chip";
import { segmentAnswer, sourcesOf } from "@/features/playground/citations";
import { formatDateTime } from "@/lib/format";
import { conversationHistoryQuery, useWorkspaceConversations } from "./api";
import { starterLabel } from "./starter";

type Message = Pick<Schemas["Message"], "content" | "citations" | "status" | "error">;

/**
 * One conversation, read only: its messages with their sources. Only its starter writes in it, in
 * the Playground; others (owners and admins reviewing) have no reply box.
 */
export function ConversationPage() {
  const { t, i18n } = useTranslation();
  const { assistantId = "", conversationId = "" } = useParams();
  const history = useQuery(conversationHistoryQuery(assistantId, conversationId));
  // The list row (already fetched when coming from the list) says who started it.
  const listed = useWorkspaceConversations({ assistantId })
    .data?.pages.flatMap((page) => page.data)
    .find((conversation) => conversation.id === conversationId);
  return (
    <div className="grid gap-4">
      <Button variant="ghost" size="sm" asChild className="justify-self-start">
        <Link to="/conversations">
          <ArrowLeftIcon aria-hidden />
          {t("conversations.back")}
        </Link>
      </Button>
      {history.isPending ? (
        <Skeleton className="h-64" />
      ) : history.isError ? (
        history.error instanceof ApiError && history.error.status === 404 ? (
          <p className="text-sm text-muted-foreground">{t("conversations.notFound")}</p>
        ) : (
          <ProblemAlert error={history.error} onRetry={() => history.refetch()} />
        )
      ) : (
        <>
          <header className="grid gap-1">
            <h1 className="break-words text-2xl font-semibold tracking-tight">
              {history.data.title || t("conversations.untitled")}
            </h1>
            <p className="text-sm text-muted-foreground">
              {listed && `${starterLabel(listed, t)} · ${listed.assistant_name} · `}
              {t("conversations.startedOn", { date: formatDateTime(history.data.created_at, i18n.language) })}
            </p>
          </header>
          <Card className="grid gap-5 p-4 sm:p-6">
            {history.data.messages.map((message) =>
              message.role === "user" ? (
                <UserMessage key={message.id} message={message} />
              ) : (
                <AssistantMessage key={message.id} message={message} />
              ),
            )}
          </Card>
          {listed?.started_by_me ? (
            <Button asChild className="justify-self-start">
              <Link to={`/playground?assistant=${assistantId}&conversation=${conversationId}`}>
                <MessageSquarePlusIcon aria-hidden />
                {t("conversations.continueInPlayground")}
              </Link>
            </Button>
          ) : (
            <p className="flex items-center gap-2 text-sm text-muted-foreground">
              <LockIcon className="size-4 shrink-0" aria-hidden />
              {t("conversations.readOnly")}
            </p>
          )}
        </>
      )}
    </div>
  );
}

function UserMessage({ message }: { message: Message }) {
  return (
    <div className="flex justify-end">
      <p className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-primary px-4 py-2 text-sm text-primary-foreground">
        {message.content}
      </p>
    </div>
  );
}

function AssistantMessage({ message }: { message: Message }) {
  const { t } = useTranslation();
  const sources = sourcesOf(message.citations);
  return (
    <article className="flex gap-3" aria-label={t("conversations.answer")}>
      <div className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-primary/10 text-primary">
        <BotIcon className="size-4" aria-hidden />
      </div>
      <div className="grid min-w-0 flex-1 gap-2">
        <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">
          {segmentAnswer(message.content, message.citations).map((segment, index) =>
            segment.type === "text" ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
              <React.Fragment key={index}>{segment.text}</React.Fragment>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: a citation may be cited twice
              <CitationChip key={index} citation={segment.citation} compact />
            ),
          )}
        </p>
        {message.status === "failed" && message.error && (
          <p className="text-xs text-destructive">{message.error}</p>
        )}
        {sources.length > 0 && (
          <ul className="flex flex-wrap gap-1.5" aria-label={t("playground.sources")}>
            {sources.map((citation) => (
              <li key={citation.index} className="inline-flex">
                <CitationChip citation={citation} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </article>
  );
}
