/**
 * Ancre's metrics, written one data point per event to Workers Analytics Engine and read back
 * with its SQL API (docs/operations.md, Metrics). Every point has the same layout, so that one
 * query can group any of them by tenant, assistant or error code:
 *
 * | column  | holds |
 * | ------- | ----- |
 * | index1  | the tenant id (the sampling key: each tenant is sampled on its own) |
 * | blob1   | the event: `request`, `chat_turn` or `ingest` |
 * | blob2   | the tenant id ("" when the request had none) |
 * | blob3   | the assistant id ("" when none) |
 * | blob4   | the route template (requests) |
 * | blob5   | the error code of a failure ("" on success) |
 * | double1 | how many: 1 for a request or a turn, the pages indexed for `ingest` |
 * | double2 | duration in milliseconds |
 * | double3 | first token, in milliseconds after the turn started (chat turns) |
 * | double4 | retrieval, in milliseconds (chat turns) |
 * | double5 | tokens (chat turns) |
 * | double6 | HTTP status (requests) |
 */
export type MetricEvent =
  | {
      type: "request";
      tenantId: string | null;
      route: string;
      status: number;
      durationMs: number;
      errorCode?: string;
    }
  | {
      type: "chat_turn";
      tenantId: string;
      assistantId: string;
      durationMs: number;
      firstTokenMs?: number;
      retrievalMs?: number;
      tokens?: number;
      errorCode?: string;
    }
  | { type: "ingest"; tenantId: string; pages: number; durationMs: number; errorCode?: string };

/** Where metrics go; `record` never throws and never waits. */
export interface Metrics {
  record(event: MetricEvent): void;
}

/** A data point as Ancre writes it (a subset of Analytics Engine's `AnalyticsEngineDataPoint`). */
export interface MetricsDataPoint {
  indexes: string[];
  blobs: string[];
  doubles: number[];
}

/** The part of the Analytics Engine binding Ancre uses (a fake of it in tests). */
export interface MetricsDataset {
  writeDataPoint(point: MetricsDataPoint): void;
}
