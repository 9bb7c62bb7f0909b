import { useQuery } from "@tanstack/react-query";
import {
  ArrowRightIcon,
  BotIcon,
  DatabaseIcon,
  FileTextIcon,
  FolderPlusIcon,
  type LucideIcon,
  MessageSquareIcon,
  SparklesIcon,
  UploadCloudIcon,
  WandSparklesIcon,
} from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Schemas } from "@/api/client";
import { kpisQuery, type TenantKpis } from "@/api/kpis";
import { formatBytes } from "@/api/problems";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { cn } from "@/lib/utils";
import { assistantNamesQuery } from "./api";
import { rankAssistants } from "./busiest-assistants";

type MetricFigure = Schemas["MetricFigure"];

// The copilot's panel (and, behind it, CopilotKit) is fetched on first opening, not with the page.
const CopilotPanel = React.lazy(() => import("@/features/copilot/copilot-panel"));

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { tenant } = useTenant();
  const [copilot, setCopilot] = React.useState<"closed" | "open" | "shut">("closed");
  // A dashboard: coming back to it shows the figures of now (the cached ones while they reload).
  const kpis = useQuery({ ...kpisQuery(), refetchOnMount: "always" });
  const assistants = useQuery(assistantNamesQuery());
  const busiest = rankAssistants(assistants.data?.data ?? [], kpis.data?.busiest_assistants ?? []);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(new Date(iso));
  const number = (value: number) =>
    new Intl.NumberFormat(i18n.language, { notation: value >= 100_000 ? "compact" : "standard" }).format(
      value,
    );

  return (
    <>
      <PageHeader
        title={t("nav.overview")}
        description={t("overview.description")}
        actions={
          <>
            <Badge variant="outline" className="h-7 px-3 text-sm capitalize">
              {t("overview.plan", { plan: tenant.plan })}
            </Badge>
            <Button onClick={() => setCopilot("open")}>
              <WandSparklesIcon aria-hidden />
              {t("copilot.open")}
            </Button>
          </>
        }
      />
      {copilot !== "closed" && (
        <React.Suspense fallback={null}>
          <CopilotPanel
            open={copilot === "open"}
            onOpenChange={(open) => setCopilot(open ? "open" : "shut")}
          />
        </React.Suspense>
      )}
      {kpis.isError && <ProblemAlert className="mb-6" error={kpis.error} onRetry={() => kpis.refetch()} />}
      {kpis.data && kpis.data.usage.documents.used === 0 && <GettingStarted />}

      <section
        aria-label={t("overview.thisPeriod", { date: "" })}
        className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        {kpis.isPending ? (
          [0, 1, 2, 3].map((key) => <Skeleton key={key} className="h-32" />)
        ) : kpis.data ? (
          <>
            <MetricCard
              icon={FileTextIcon}
              label={t("overview.documents")}
              metric={kpis.data.usage.documents}
              format={number}
            />
            <MetricCard
              icon={DatabaseIcon}
              label={t("overview.storage")}
              metric={kpis.data.usage.storage_bytes}
              format={(value) => formatBytes(value, i18n.language)}
            />
            <MetricCard
              icon={MessageSquareIcon}
              label={t("overview.messages")}
              metric={kpis.data.usage.chat_messages}
              format={number}
              footnote={t("overview.resets", { date: date(kpis.data.period.end) })}
            />
            <MetricCard
              icon={SparklesIcon}
              label={t("overview.tokens")}
              metric={kpis.data.usage.llm_tokens}
              format={number}
              footnote={t("overview.resets", { date: date(kpis.data.period.end) })}
            />
          </>
        ) : null}
      </section>

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t("overview.byStatus")}</CardTitle>
          </CardHeader>
          <CardContent>
            {kpis.isPending ? (
              <Skeleton className="h-24" />
            ) : kpis.isError ? (
              <ProblemAlert error={kpis.error} onRetry={() => kpis.refetch()} />
            ) : (
              <DocumentBreakdown
                counts={kpis.data.documents}
                pages={kpis.data.usage.ingested_pages}
                format={number}
              />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("overview.busiestAssistants")}</CardTitle>
          </CardHeader>
          <CardContent>
            {assistants.isPending ? (
              <Skeleton className="h-24" />
            ) : assistants.isError ? (
              <ProblemAlert error={assistants.error} />
            ) : assistants.data.data.length === 0 ? (
              <div className="grid gap-3 text-sm text-muted-foreground">
                <p>{t("overview.assistantsEmpty")}</p>
                <Button variant="outline" size="sm" asChild className="w-fit">
                  <Link to="/assistants">
                    <BotIcon aria-hidden />
                    {t("nav.assistants")}
                  </Link>
                </Button>
              </div>
            ) : (
              <ul className="grid gap-1">
                {busiest.map((assistant) => (
                  <li key={assistant.id}>
                    <Link
                      to={`/playground?assistant=${assistant.id}`}
                      className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-accent"
                    >
                      <BotIcon className="size-4 text-muted-foreground" aria-hidden />
                      <span className="flex-1 truncate">{assistant.name}</span>
                      <span className="text-xs tabular-nums text-muted-foreground">
                        {t("overview.questions", { count: assistant.questions })}
                      </span>
                      <ArrowRightIcon className="size-3.5 text-muted-foreground" aria-hidden />
                    </Link>
                  </li>
                ))}
                <li className="px-2 pt-2 text-xs text-muted-foreground">{t("overview.assistantsHint")}</li>
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function MetricCard({
  icon: Icon,
  label,
  metric,
  format,
  footnote,
}: {
  icon: LucideIcon;
  label: string;
  metric: MetricFigure;
  format: (value: number) => string;
  footnote?: string;
}) {
  const { t } = useTranslation();
  const percent = metric.limit > 0 ? Math.min(100, Math.round((metric.used / metric.limit) * 100)) : 0;
  const tone = percent >= 100 ? "bg-destructive" : percent >= 80 ? "bg-warning" : "bg-primary";
  return (
    <Card>
      <CardContent className="grid gap-3 p-5">
        <div className="flex items-center justify-between text-sm text-muted-foreground">
          <span className="font-medium">{label}</span>
          <Icon className="size-4" aria-hidden />
        </div>
        <div className="flex items-baseline gap-1.5">
          <span className="text-2xl font-semibold tracking-tight tabular-nums">{format(metric.used)}</span>
          <span className="text-sm text-muted-foreground">/ {format(metric.limit)}</span>
        </div>
        <Progress
          value={percent}
          indicatorClassName={tone}
          aria-label={t("common.of", { used: format(metric.used), limit: format(metric.limit) })}
        />
        <p className={cn("text-xs text-muted-foreground", percent >= 100 && "font-medium text-destructive")}>
          {percent >= 100
            ? t("overview.atLimit")
            : percent >= 80
              ? t("overview.limitReachedSoon", { percent })
              : (footnote ?? "\u00a0")}
        </p>
      </CardContent>
    </Card>
  );
}

const statusRows = [
  { status: "ready", key: "documents.statusReady", color: "bg-success" },
  { status: "processing", key: "documents.statusProcessing", color: "bg-warning" },
  { status: "queued", key: "documents.statusQueued", color: "bg-primary/60" },
  { status: "failed", key: "documents.statusFailed", color: "bg-destructive" },
] as const;

function DocumentBreakdown({
  counts,
  pages,
  format,
}: {
  counts: TenantKpis["documents"];
  pages: MetricFigure;
  format: (value: number) => string;
}) {
  const { t } = useTranslation();
  const total = Math.max(1, counts.total);
  return (
    <div className="grid gap-5">
      <div className="flex h-2.5 overflow-hidden rounded-full bg-muted" aria-hidden>
        {statusRows.map((row) => (
          <div
            key={row.status}
            className={row.color}
            style={{ width: `${(counts.by_status[row.status] / total) * 100}%` }}
          />
        ))}
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        {statusRows.map((row) => (
          <div key={row.status} className="grid gap-1">
            <dt className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <span className={cn("size-2 rounded-full", row.color)} aria-hidden />
              {t(row.key)}
            </dt>
            <dd className="text-lg font-semibold tabular-nums">{format(counts.by_status[row.status])}</dd>
          </div>
        ))}
      </dl>
      <dl className="grid grid-cols-2 gap-4 border-t pt-4">
        <div className="grid gap-1">
          <dt className="text-xs text-muted-foreground">{t("overview.chunks")}</dt>
          <dd className="text-lg font-semibold tabular-nums">{format(counts.chunks)}</dd>
        </div>
        <div className="grid gap-1">
          <dt className="text-xs text-muted-foreground">{t("overview.pages")}</dt>
          <dd className="text-lg font-semibold tabular-nums">
            {format(pages.used)}{" "}
            <span className="text-sm font-normal text-muted-foreground">/ {format(pages.limit)}</span>
          </dd>
        </div>
      </dl>
    </div>
  );
}

function GettingStarted() {
  const { t } = useTranslation();
  const steps = [
    {
      icon: FolderPlusIcon,
      title: t("overview.stepCollection"),
      hint: t("overview.stepCollectionHint"),
      to: "/collections",
    },
    {
      icon: UploadCloudIcon,
      title: t("overview.stepUpload"),
      hint: t("overview.stepUploadHint"),
      to: "/collections",
    },
    {
      icon: BotIcon,
      title: t("overview.stepAssistant"),
      hint: t("overview.stepAssistantHint"),
      to: "/assistants",
    },
  ];
  return (
    <Card className="mb-6 border-primary/20 bg-gradient-to-br from-primary/5 to-transparent">
      <CardHeader>
        <CardTitle className="text-base">{t("overview.gettingStartedTitle")}</CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-3 sm:grid-cols-3">
          {steps.map((step, index) => (
            <li key={step.title}>
              <Link
                to={step.to}
                className="flex h-full gap-3 rounded-lg border bg-card p-4 transition-colors hover:border-primary/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary text-sm font-semibold text-primary-foreground">
                  {index + 1}
                </span>
                <span className="grid gap-0.5">
                  <span className="flex items-center gap-1.5 text-sm font-medium">
                    <step.icon className="size-4 text-primary" aria-hidden />
                    {step.title}
                  </span>
                  <span className="text-xs text-muted-foreground">{step.hint}</span>
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
