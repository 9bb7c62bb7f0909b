import type { LucideIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { MetricFigure } from "@/api/kpis";
import { Card, CardContent } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { cn } from "@/lib/utils";

/** One metric of the summary against the plan: the figure, its limit, a bar that warns near it. */
export function MetricCard({
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
