import { useTranslation } from "react-i18next";
import type { MetricFigure, TenantKpis } from "@/api/kpis";
import { cn } from "@/lib/utils";

const statusRows = [
  { status: "ready", key: "documents.statusReady", color: "bg-success" },
  { status: "processing", key: "documents.statusProcessing", color: "bg-warning" },
  { status: "queued", key: "documents.statusQueued", color: "bg-primary/60" },
  { status: "failed", key: "documents.statusFailed", color: "bg-destructive" },
] as const;

/** Documents by status (a stacked bar and the counts), passages indexed and pages ingested. */
export function DocumentBreakdown({
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
