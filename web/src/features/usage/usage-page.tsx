import { useQuery } from "@tanstack/react-query";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { useConsoleConfig } from "@/features/auth/config";
import { formatDate } from "@/lib/format";
import { usageHistoryQuery, usageQuery } from "./api";
import {
  formatMetric,
  historyMetrics,
  type MetricName,
  type MetricUsage,
  metricOrder,
  percentUsed,
  pressure,
} from "./metrics";

// recharts is large: the chart arrives in its own chunk, after the figures.
const UsageChart = React.lazy(() => import("./usage-chart"));

export function UsagePage() {
  const { t, i18n } = useTranslation();
  const usage = useQuery(usageQuery());
  const history = useQuery(usageHistoryQuery());
  const [metric, setMetric] = React.useState<(typeof historyMetrics)[number]>("chat_messages");

  return (
    <>
      <PageHeader
        title={t("nav.usage")}
        description={
          usage.data
            ? t("usage.period", {
                plan: t(`billing.plans.${usage.data.plan}`),
                start: formatDate(usage.data.period.start, i18n.language),
                end: formatDate(usage.data.period.end, i18n.language),
              })
            : t("usage.description")
        }
      />
      {usage.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {metricOrder.map((name) => (
            <Skeleton key={name} className="h-36" />
          ))}
        </div>
      ) : usage.isError ? (
        <ProblemAlert error={usage.error} onRetry={() => usage.refetch()} />
      ) : (
        <div className="grid gap-6">
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("usage.metricsLabel")}>
            {metricOrder.map((name) => (
              <li key={name}>
                <MetricCard name={name} usage={usage.data.metrics[name]} plan={usage.data.plan} />
              </li>
            ))}
          </ul>
          <p className="text-sm text-muted-foreground">
            {t("usage.rateLimit", { count: usage.data.rate_limit.requests_per_minute })}
          </p>
          <Card>
            <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="grid gap-1">
                <CardTitle>{t("usage.historyTitle")}</CardTitle>
                <CardDescription>{t("usage.historyDescription")}</CardDescription>
              </div>
              <label className="flex items-center gap-2 text-sm">
                <span className="text-muted-foreground">{t("usage.metric")}</span>
                <select
                  className="h-9 rounded-md border border-input bg-card px-2 text-sm"
                  value={metric}
                  onChange={(event) => setMetric(event.target.value as typeof metric)}
                >
                  {historyMetrics.map((name) => (
                    <option key={name} value={name}>
                      {t(`usage.metrics.${name}`)}
                    </option>
                  ))}
                </select>
              </label>
            </CardHeader>
            <CardContent>
              {history.isPending ? (
                <Skeleton className="h-64" />
              ) : history.isError ? (
                <ProblemAlert error={history.error} onRetry={() => history.refetch()} />
              ) : (
                <React.Suspense fallback={<Skeleton className="h-64" />}>
                  <UsageChart
                    buckets={history.data.buckets}
                    metric={metric}
                    label={t(`usage.metrics.${metric}`)}
                    locale={i18n.language}
                  />
                </React.Suspense>
              )}
            </CardContent>
          </Card>
        </div>
      )}
    </>
  );
}

function MetricCard({ name, usage, plan }: { name: MetricName; usage: MetricUsage; plan: string }) {
  const { t, i18n } = useTranslation();
  // Without billing on the server there is no upgrade to offer.
  const billingConfigured = useConsoleConfig().billing_configured;
  const state = pressure(usage);
  const percent = percentUsed(usage);
  const resets = usage.resets_at ? formatDate(usage.resets_at, i18n.language) : null;
  const label = t(`usage.metrics.${name}`);
  return (
    <Card className="h-full">
      <CardHeader className="pb-2">
        <div className="flex items-center justify-between gap-2">
          <CardTitle className="text-sm font-medium">{label}</CardTitle>
          {state !== "ok" && (
            <Badge variant={state === "reached" ? "destructive" : "warning"}>
              {state === "reached" ? t("usage.reached") : t("usage.near")}
            </Badge>
          )}
        </div>
      </CardHeader>
      <CardContent className="grid gap-2">
        <p className="text-2xl font-semibold tabular-nums">
          {formatMetric(name, usage.used, i18n.language)}
          <span className="text-sm font-normal text-muted-foreground">
            {" "}
            / {formatMetric(name, usage.limit, i18n.language)}
          </span>
        </p>
        <Progress
          value={percent}
          aria-label={t("usage.percentOf", { percent, metric: label })}
          indicatorClassName={
            state === "reached" ? "bg-destructive" : state === "near" ? "bg-warning" : undefined
          }
        />
        {usage.reserved > 0 && (
          <p className="text-xs text-muted-foreground">
            {t("usage.reserved", { amount: formatMetric(name, usage.reserved, i18n.language) })}
          </p>
        )}
        <p className="text-xs text-muted-foreground">
          {state !== "ok" && `${t(`usage.atLimit.${name}`)} `}
          {resets ? t("usage.resetsOn", { date: resets }) : t("usage.noReset")}
          {plan === "free" && state !== "ok" && billingConfigured && (
            <>
              {" "}
              <Link to="/billing" className="font-medium text-primary hover:underline">
                {t("usage.upgrade")}
              </Link>
            </>
          )}
        </p>
      </CardContent>
    </Card>
  );
}
