import type { MetricEvent, Metrics, MetricsDataPoint, MetricsDataset } from "./types";

/** The data point of an event, in the layout types.ts describes. */
export function dataPointOf(event: MetricEvent): MetricsDataPoint {
  const tenant = event.tenantId ?? "";
  const assistant = event.type === "chat_turn" ? event.assistantId : "";
  const route = event.type === "request" ? event.route : "";
  const count = event.type === "ingest" ? event.pages : 1;
  const turn = event.type === "chat_turn" ? event : undefined;
  return {
    indexes: [tenant],
    blobs: [event.type, tenant, assistant, route, event.errorCode ?? ""],
    doubles: [
      count,
      event.durationMs,
      turn?.firstTokenMs ?? 0,
      turn?.retrievalMs ?? 0,
      turn?.tokens ?? 0,
      event.type === "request" ? event.status : 0,
    ],
  };
}

/** Metrics written to a Workers Analytics Engine dataset (the METRICS binding). */
export class AnalyticsEngineMetrics implements Metrics {
  constructor(private readonly dataset: MetricsDataset) {}

  record(event: MetricEvent): void {
    try {
      this.dataset.writeDataPoint(dataPointOf(event));
    } catch {
      // Metrics are best effort: a refused point must never fail what it measures.
    }
  }
}

/** Without a METRICS binding, metrics go nowhere. */
export const noMetrics: Metrics = { record() {} };

/** The metrics of this environment: its Analytics Engine dataset, or none. */
export const createMetrics = (dataset: MetricsDataset | undefined): Metrics =>
  dataset ? new AnalyticsEngineMetrics(dataset) : noMetrics;
