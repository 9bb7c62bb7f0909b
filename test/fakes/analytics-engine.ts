import type { MetricsDataPoint, MetricsDataset } from "../../src/providers/metrics/types";

/** A fake of Workers Analytics Engine's dataset binding: it records every data point written. */
export function fakeAnalyticsEngine() {
  const points: MetricsDataPoint[] = [];
  const dataset: MetricsDataset = {
    writeDataPoint(point) {
      points.push(structuredClone(point));
    },
  };
  return {
    dataset,
    points,
    /** The points of one event type (blob1). */
    of: (event: string) => points.filter((point) => point.blobs?.[0] === event),
  };
}
