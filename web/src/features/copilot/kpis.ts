import type { TFunction } from "i18next";
import type { TenantKpis } from "@/api/kpis";
import { formatBytes } from "@/api/problems";

/** One figure of the summary as the panel shows it: a card, a bar of the chart. */
export interface Kpi {
  key: string;
  label: string;
  value: number;
  unit: "count" | "bytes";
  limit?: number;
  previous?: number;
}

type Metric = keyof TenantKpis["usage"];

/** The figures shown as cards, in this order: what the tenant holds, then this period's activity. */
const CARD_KEYS = [
  "documents",
  "chunks",
  "storage_bytes",
  "chat_messages",
  "llm_tokens",
  "ingested_pages",
] as const;
/** The flows, which have a previous period to compare with: the chart's bars, in this order. */
const FLOW_KEYS = ["chat_messages", "ingested_pages", "llm_tokens"] as const satisfies Metric[];

function figure(kpis: TenantKpis, key: (typeof CARD_KEYS)[number], t: TFunction): Kpi {
  const label = t(`copilot.figures.${key}`);
  if (key === "chunks") return { key, label, value: kpis.documents.chunks, unit: "count" };
  const { used, limit, previous } = kpis.usage[key];
  return {
    key,
    label,
    value: used,
    unit: key === "storage_bytes" ? "bytes" : "count",
    limit,
    ...(previous === undefined ? {} : { previous }),
  };
}

export function kpiCards(kpis: TenantKpis, t: TFunction): Kpi[] {
  return CARD_KEYS.map((key) => figure(kpis, key, t));
}

/** This period's flows with the previous period's figures: the chart's bars. */
export function kpiComparisons(kpis: TenantKpis, t: TFunction): (Kpi & { previous: number })[] {
  return FLOW_KEYS.map((key) => figure(kpis, key, t)).filter(
    (kpi): kpi is Kpi & { previous: number } => kpi.previous !== undefined,
  );
}

/** Change against the previous period, in whole percent; null when there is nothing to compare with. */
export function kpiTrend(kpi: Kpi): number | null {
  if (kpi.previous === undefined || kpi.previous === 0) return null;
  return Math.round(((kpi.value - kpi.previous) / kpi.previous) * 100);
}

export function formatKpi(kpi: Pick<Kpi, "unit">, value: number, locale: string): string {
  if (kpi.unit === "bytes") return formatBytes(value, locale);
  return new Intl.NumberFormat(locale, { notation: value >= 100_000 ? "compact" : "standard" }).format(value);
}
