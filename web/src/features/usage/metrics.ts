import type { Schemas } from "@/api/client";
import { formatBytes } from "@/api/problems";
import { formatNumber } from "@/lib/format";

export type MetricName = keyof Schemas["Usage"]["metrics"];
export type MetricUsage = Schemas["MetricUsage"];

/** The metrics in the order the page shows them: what flows each period first, then what is held. */
export const metricOrder: MetricName[] = [
  "chat_messages",
  "llm_tokens",
  "ingested_pages",
  "documents",
  "storage_bytes",
  "assistants",
  "collections",
];

/** The metrics the history records by day (those consumed over time). */
export const historyMetrics = [
  "chat_messages",
  "llm_tokens",
  "ingested_pages",
  "documents",
  "storage_bytes",
] as const;

export const formatMetric = (metric: string, value: number, locale: string) =>
  metric === "storage_bytes" ? formatBytes(value, locale) : formatNumber(value, locale);

/** Share of the limit in use (with what work in progress holds), 0 to 100. */
export function percentUsed(usage: MetricUsage): number {
  if (usage.limit <= 0) return 100;
  return Math.min(100, Math.round(((usage.used + usage.reserved) / usage.limit) * 100));
}

/** How close to the limit: the page warns from 80 % and says what happens at 100 %. */
export function pressure(usage: MetricUsage): "ok" | "near" | "reached" {
  if (usage.remaining <= 0) return "reached";
  return percentUsed(usage) >= 80 ? "near" : "ok";
}
