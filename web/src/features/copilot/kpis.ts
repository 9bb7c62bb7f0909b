import type { Schemas } from "@/api/client";
import { formatBytes } from "@/api/problems";

export type Kpi = Schemas["Kpi"];

/** The figures shown as cards, in this order: what the tenant holds, then this period's activity. */
const CARD_KEYS = ["documents", "chunks", "storage_bytes", "chat_messages", "llm_tokens", "ingested_pages"];

export function kpiCards(kpis: Kpi[]): Kpi[] {
  const byKey = new Map(kpis.map((kpi) => [kpi.key, kpi]));
  return CARD_KEYS.flatMap((key) => byKey.get(key) ?? []);
}

/** The period figures that have a previous period to compare with: the chart's bars. */
export function kpiComparisons(kpis: Kpi[]): (Kpi & { previous: number })[] {
  return kpis.filter((kpi): kpi is Kpi & { previous: number } => kpi.previous !== undefined);
}

/** Change against the previous period, in whole percent; null when there is nothing to compare with. */
export function kpiTrend(kpi: Kpi): number | null {
  if (kpi.previous === undefined || kpi.previous === 0) return null;
  return Math.round(((kpi.value - kpi.previous) / kpi.previous) * 100);
}

export function formatKpi(kpi: Pick<Kpi, "unit">, value: number, locale: string): string {
  if (kpi.unit === "bytes") return formatBytes(value, locale);
  if (kpi.unit === "percent") return `${new Intl.NumberFormat(locale).format(value)} %`;
  return new Intl.NumberFormat(locale, { notation: value >= 100_000 ? "compact" : "standard" }).format(value);
}
