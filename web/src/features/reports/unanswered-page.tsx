import { useQuery } from "@tanstack/react-query";
import { CircleHelpIcon, FileTextIcon, MessageSquareIcon, ThumbsDownIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/lib/format";
import { assistantChoicesQuery, type UnansweredGroup, unansweredQuery } from "./api";

const PERIODS = [7, 30, 90] as const;

/** Owners' and admins' report of what the assistants could not answer, and which documents to add. */
export function UnansweredPage() {
  const { t } = useTranslation();
  const [assistantId, setAssistantId] = React.useState("");
  const [days, setDays] = React.useState<number>(30);
  const assistants = useQuery(assistantChoicesQuery());
  const report = useQuery(unansweredQuery({ assistantId: assistantId || null, days }));
  const select = "h-9 max-w-56 rounded-md border border-input bg-card px-2 text-sm";
  return (
    <>
      <PageHeader title={t("nav.unanswered")} description={t("unanswered.description")} />
      <div className="mb-5 flex flex-wrap items-center gap-4">
        <label className="flex items-center gap-2 text-sm">
          <span className="text-muted-foreground">{t("unanswered.assistant")}</span>
          <select
            className={select}
            value={assistantId}
            onChange={(event) => setAssistantId(event.target.value)}
          >
            <option value="">{t("unanswered.allAssistants")}</option>
            {assistants.data?.data.map((assistant) => (
              <option key={assistant.id} value={assistant.id}>
                {assistant.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <span className="text-muted-foreground">{t("unanswered.period")}</span>
          <select className={select} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {PERIODS.map((count) => (
              <option key={count} value={count}>
                {t("unanswered.lastDays", { count })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryState
        query={report}
        skeleton="h-48"
        isEmpty={(data) => data.groups.length === 0}
        empty={
          <EmptyState
            icon={<CircleHelpIcon aria-hidden />}
            title={t("unanswered.emptyTitle")}
            description={t("unanswered.emptyDescription")}
          />
        }
      >
        {(data) => (
          <div className="grid gap-3">
            <p className="text-sm text-muted-foreground">
              {t("unanswered.summary", {
                answers: data.answers,
                groups: data.groups.length,
                from: data.from,
                to: data.to,
              })}{" "}
              {t("unanswered.grouping")}
            </p>
            {data.truncated && <p className="text-sm text-warning">{t("unanswered.truncated")}</p>}
            <ul className="grid gap-3" aria-label={t("nav.unanswered")}>
              {data.groups.map((group) => (
                <li key={`${group.assistant_id}:${group.question}:${group.last_asked_at}`}>
                  <GroupCard group={group} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </QueryState>
    </>
  );
}

function GroupCard({ group }: { group: UnansweredGroup }) {
  const { t, i18n } = useTranslation();
  const others = group.questions.filter((question) => question !== group.question);
  return (
    <Card className="grid gap-3 p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="min-w-0 flex-1 font-medium">{group.question || "—"}</h3>
        <Badge variant="secondary">{group.assistant_name}</Badge>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <Badge>
          {group.count === 1 ? t("unanswered.askedOnce") : t("unanswered.asked", { count: group.count })}
        </Badge>
        {group.refusals > 0 && (
          <Badge variant="warning">
            <CircleHelpIcon aria-hidden />
            {t("unanswered.refusals", { count: group.refusals })}
          </Badge>
        )}
        {group.thumbs_down > 0 && (
          <Badge variant="destructive">
            <ThumbsDownIcon aria-hidden />
            {t("unanswered.thumbsDown", { count: group.thumbs_down })}
          </Badge>
        )}
        <span className="text-muted-foreground">
          {t("unanswered.lastAsked", { when: formatDateTime(group.last_asked_at, i18n.language) })}
        </span>
      </div>
      {others.length > 0 && (
        <p className="text-sm text-muted-foreground">
          {t("unanswered.alsoAsked")}: {others.join(" · ")}
        </p>
      )}
      {group.comments.length > 0 && (
        <div className="grid gap-1">
          <p className="text-xs font-medium text-muted-foreground">{t("unanswered.comments")}</p>
          {group.comments.map((comment) => (
            <p key={comment} className="flex items-start gap-1.5 text-sm">
              <MessageSquareIcon className="mt-0.5 size-3.5 shrink-0 text-muted-foreground" aria-hidden />
              {comment}
            </p>
          ))}
        </div>
      )}
      <div className="grid gap-1">
        <p className="text-xs font-medium text-muted-foreground">{t("unanswered.retrieved")}</p>
        {group.documents.length === 0 ? (
          <p className="text-sm">{t("unanswered.noneRetrieved")}</p>
        ) : (
          <ul className="flex flex-wrap gap-1.5">
            {group.documents.map((document) => (
              <li key={document.document_id}>
                <Badge variant="outline">
                  <FileTextIcon aria-hidden />
                  {document.filename}
                  {document.count > 1 && <span aria-hidden> ×{document.count}</span>}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
