import { useQuery } from "@tanstack/react-query";
import {
  ArrowRightIcon,
  BotIcon,
  DatabaseIcon,
  FileTextIcon,
  MessageSquareIcon,
  SparklesIcon,
  WandSparklesIcon,
} from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { kpisQuery } from "@/api/kpis";
import { formatBytes, planName } from "@/api/problems";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { assistantNamesQuery } from "./api";
import { rankAssistants } from "./busiest-assistants";
import { DocumentBreakdown } from "./components/document-breakdown";
import { GettingStarted } from "./components/getting-started";
import { MetricCard } from "./components/metric-card";

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
            <Badge variant="outline" className="h-7 px-3 text-sm">
              {t("overview.plan", { plan: planName(tenant.plan, t) })}
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
            <QueryState query={kpis}>
              {(summary) => (
                <DocumentBreakdown
                  counts={summary.documents}
                  pages={summary.usage.ingested_pages}
                  format={number}
                />
              )}
            </QueryState>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("overview.busiestAssistants")}</CardTitle>
          </CardHeader>
          <CardContent>
            <QueryState
              query={assistants}
              retry={false}
              isEmpty={(page) => page.data.length === 0}
              empty={
                <div className="grid gap-3 text-sm text-muted-foreground">
                  <p>{t("overview.assistantsEmpty")}</p>
                  <Button variant="outline" size="sm" asChild className="w-fit">
                    <Link to="/assistants">
                      <BotIcon aria-hidden />
                      {t("nav.assistants")}
                    </Link>
                  </Button>
                </div>
              }
            >
              {() => (
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
            </QueryState>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
