import { TrendingDownIcon, TrendingUpIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { TenantKpis } from "@/api/kpis";
import { Card, CardContent } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { cn } from "@/lib/utils";
import { formatKpi, kpiCards, kpiComparisons, kpiTrend } from "./kpis";

/** The tenant's KPIs as cards: the figure, its limit when a quota bounds it, its trend. */
export function KpiCards({ kpis }: { kpis: TenantKpis }) {
  const { t, i18n } = useTranslation();
  return (
    <ul aria-label={t("copilot.kpisTitle")} className="grid grid-cols-2 gap-3">
      {kpiCards(kpis, t).map((kpi) => {
        const trend = kpiTrend(kpi);
        const percent = kpi.limit ? Math.min(100, Math.round((kpi.value / kpi.limit) * 100)) : null;
        return (
          <li key={kpi.key}>
            <Card className="h-full" aria-label={kpi.label}>
              <CardContent className="grid gap-1.5 p-4">
                <span className="text-xs font-medium text-muted-foreground">{kpi.label}</span>
                <span className="text-xl font-semibold tracking-tight tabular-nums">
                  {formatKpi(kpi, kpi.value, i18n.language)}
                </span>
                {percent !== null && kpi.limit !== undefined && (
                  <>
                    <Progress value={percent} aria-hidden />
                    <span className="text-xs text-muted-foreground">
                      {t("copilot.ofLimit", { limit: formatKpi(kpi, kpi.limit, i18n.language) })}
                    </span>
                  </>
                )}
                {trend !== null && (
                  <span
                    className={cn(
                      "flex items-center gap-1 text-xs",
                      trend >= 0 ? "text-success" : "text-muted-foreground",
                    )}
                  >
                    {trend >= 0 ? (
                      <TrendingUpIcon className="size-3.5" aria-hidden />
                    ) : (
                      <TrendingDownIcon className="size-3.5" aria-hidden />
                    )}
                    {t("copilot.trend", { sign: trend > 0 ? "+" : "", percent: trend })}
                  </span>
                )}
              </CardContent>
            </Card>
          </li>
        );
      })}
    </ul>
  );
}

/** This period against the previous one, as paired bars scaled per figure (they have different units). */
export function KpiChart({ kpis }: { kpis: TenantKpis }) {
  const { t, i18n } = useTranslation();
  const rows = kpiComparisons(kpis, t);
  if (rows.length === 0) return null;
  return (
    <figure className="grid gap-3">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-sm font-medium">
        {t("copilot.chartTitle")}
        <span className="flex gap-3 text-xs font-normal text-muted-foreground">
          <span className="flex items-center gap-1">
            <span className="size-2 rounded-full bg-primary" aria-hidden />
            {t("copilot.current")}
          </span>
          <span className="flex items-center gap-1">
            <span className="size-2 rounded-full bg-muted-foreground/40" aria-hidden />
            {t("copilot.previous")}
          </span>
        </span>
      </figcaption>
      <dl className="grid gap-3">
        {rows.map((kpi) => {
          const top = Math.max(kpi.value, kpi.previous, 1);
          return (
            <div key={kpi.key} className="grid gap-1">
              <dt className="flex justify-between text-xs text-muted-foreground">
                <span>{kpi.label}</span>
                <span className="tabular-nums">
                  {formatKpi(kpi, kpi.value, i18n.language)} / {formatKpi(kpi, kpi.previous, i18n.language)}
                </span>
              </dt>
              <dd className="grid gap-0.5" aria-hidden>
                <span
                  className="h-2 rounded-full bg-primary"
                  style={{ width: `${(kpi.value / top) * 100}%` }}
                />
                <span
                  className="h-2 rounded-full bg-muted-foreground/40"
                  style={{ width: `${(kpi.previous / top) * 100}%` }}
                />
              </dd>
            </div>
          );
        })}
      </dl>
    </figure>
  );
}
