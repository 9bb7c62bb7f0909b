import { useQuery } from "@tanstack/react-query";
import { BotIcon, DownloadIcon, GlobeIcon, KeyRoundIcon, MessagesSquareIcon, UserIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { assistantsQuery } from "@/features/playground/api";
import { formatDateTime } from "@/lib/format";
import {
  type ConversationFilter,
  downloadExport,
  useWorkspaceConversations,
  type WorkspaceConversation,
} from "./api";
import { starterLabel } from "./starter";

const STARTER_ICONS = { user: UserIcon, api_key: KeyRoundIcon, visitor: GlobeIcon } as const;

/** Every conversation of the workspace, filtered by assistant and days, each opened read only, exportable. */
export function ConversationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter: ConversationFilter = {
    assistantId: params.get("assistant") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
  };
  const filtered = Boolean(filter.assistantId || filter.from || filter.to);
  const setFilter = (key: "assistant" | "from" | "to", value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const conversations = useWorkspaceConversations(filter);
  const rows = conversations.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <PageHeader
        title={t("nav.conversations")}
        description={t("conversations.description")}
        actions={<ExportButtons filter={filter} />}
      />
      <Filters
        filter={filter}
        onChange={setFilter}
        onClear={filtered ? () => setParams({}, { replace: true }) : undefined}
      />
      {conversations.isPending ? (
        <Skeleton className="h-64" />
      ) : conversations.isError ? (
        <ProblemAlert error={conversations.error} onRetry={() => conversations.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <p className="rounded-xl border border-dashed px-6 py-10 text-center text-sm text-muted-foreground">
            {t("conversations.emptyFiltered")}
          </p>
        ) : (
          <EmptyState
            icon={<MessagesSquareIcon />}
            title={t("conversations.emptyTitle")}
            description={t("conversations.emptyDescription")}
          />
        )
      ) : (
        <div className="grid gap-3">
          <ConversationTable conversations={rows} />
          {conversations.hasNextPage && (
            <Button
              variant="outline"
              className="justify-self-center"
              disabled={conversations.isFetchingNextPage}
              onClick={() => conversations.fetchNextPage()}
            >
              {conversations.isFetchingNextPage ? t("common.loading") : t("conversations.loadMore")}
            </Button>
          )}
        </div>
      )}
    </>
  );
}

function Filters({
  filter,
  onChange,
  onClear,
}: {
  filter: ConversationFilter;
  onChange: (key: "assistant" | "from" | "to", value: string) => void;
  onClear?: () => void;
}) {
  const { t } = useTranslation();
  const assistants = useQuery(assistantsQuery());
  return (
    <div className="mb-4 grid gap-3 sm:flex sm:flex-wrap sm:items-end">
      <div className="grid gap-1.5">
        <Label htmlFor="conversations-assistant">{t("conversations.assistant")}</Label>
        <select
          id="conversations-assistant"
          className="h-9 min-w-0 rounded-md border border-input bg-card px-2 text-sm sm:w-56"
          value={filter.assistantId ?? ""}
          onChange={(event) => onChange("assistant", event.target.value)}
        >
          <option value="">{t("conversations.allAssistants")}</option>
          {assistants.data?.data.map((assistant) => (
            <option key={assistant.id} value={assistant.id}>
              {assistant.name}
            </option>
          ))}
        </select>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:flex">
        <div className="grid gap-1.5">
          <Label htmlFor="conversations-from">{t("conversations.from")}</Label>
          <Input
            id="conversations-from"
            type="date"
            className="sm:w-40"
            value={filter.from ?? ""}
            max={filter.to}
            onChange={(event) => onChange("from", event.target.value)}
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="conversations-to">{t("conversations.to")}</Label>
          <Input
            id="conversations-to"
            type="date"
            className="sm:w-40"
            value={filter.to ?? ""}
            min={filter.from}
            onChange={(event) => onChange("to", event.target.value)}
          />
        </div>
      </div>
      {onClear && (
        <Button variant="ghost" onClick={onClear} className="justify-self-start">
          {t("conversations.clearFilters")}
        </Button>
      )}
    </div>
  );
}

function ExportButtons({ filter }: { filter: ConversationFilter }) {
  const { t } = useTranslation();
  const showProblem = useProblemToast();
  const [exporting, setExporting] = React.useState<"csv" | "json" | null>(null);
  const run = (format: "csv" | "json") => {
    setExporting(format);
    downloadExport(format, filter)
      .catch(showProblem)
      .finally(() => setExporting(null));
  };
  return (
    <>
      {(["csv", "json"] as const).map((format) => (
        <Button key={format} variant="outline" disabled={exporting !== null} onClick={() => run(format)}>
          <DownloadIcon aria-hidden />
          {exporting === format
            ? t("conversations.exporting")
            : t(format === "csv" ? "conversations.exportCsv" : "conversations.exportJson")}
        </Button>
      ))}
    </>
  );
}

function ConversationTable({ conversations }: { conversations: WorkspaceConversation[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card className="p-0">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("conversations.title")}</TableHead>
            <TableHead className="hidden md:table-cell">{t("conversations.startedBy")}</TableHead>
            <TableHead className="hidden md:table-cell">{t("conversations.assistant")}</TableHead>
            <TableHead className="hidden sm:table-cell">{t("conversations.date")}</TableHead>
            <TableHead className="hidden text-right sm:table-cell">{t("conversations.messages")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {conversations.map((conversation) => {
            const StarterIcon = conversation.started_by
              ? STARTER_ICONS[conversation.started_by.type]
              : UserIcon;
            const starter = starterLabel(conversation, t);
            return (
              <TableRow key={conversation.id}>
                <TableCell className="max-w-0 w-full">
                  <Link
                    to={`/conversations/${conversation.assistant_id}/${conversation.id}`}
                    className="block truncate font-medium text-primary hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                  >
                    {conversation.title || t("conversations.untitled")}
                  </Link>
                  {/* On narrow screens the other columns fold under the title. */}
                  <span className="mt-0.5 block truncate text-xs text-muted-foreground md:hidden">
                    {starter} · {conversation.assistant_name}
                  </span>
                  <span className="block truncate text-xs text-muted-foreground sm:hidden">
                    {formatDateTime(conversation.created_at, i18n.language)} ·{" "}
                    {t("conversations.messageCount", { count: conversation.message_count })}
                  </span>
                </TableCell>
                <TableCell className="hidden md:table-cell">
                  <span className="flex max-w-56 items-center gap-1.5">
                    <StarterIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
                    <span className="truncate">{starter}</span>
                  </span>
                </TableCell>
                <TableCell className="hidden md:table-cell">
                  <span className="flex max-w-40 items-center gap-1.5">
                    <BotIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
                    <span className="truncate">{conversation.assistant_name}</span>
                  </span>
                </TableCell>
                <TableCell className="hidden whitespace-nowrap text-muted-foreground sm:table-cell">
                  {formatDateTime(conversation.created_at, i18n.language)}
                </TableCell>
                <TableCell className="hidden text-right tabular-nums sm:table-cell">
                  {conversation.message_count}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Card>
  );
}
