import type { Deps, TenantContext, Verb } from "../../context";
import { AppError } from "../../errors";
import { countTenantResources } from "../../storage/repositories/tenants.repo";
import { usageHistory } from "../../storage/repositories/usage.repo";
import {
  isFlowMetric,
  type MeteredMetric,
  meteredMetrics,
  type PlanName,
  type ResourceMetric,
} from "../plans/plans.service";
import { flushUsage, getTenantPlan, type Period, readMeters } from "../quotas/quotas.service";

export type UsageMetric = ResourceMetric | MeteredMetric;

export interface MetricUsage {
  used: number;
  /** Held by work in progress (an upload being stored, an answer being generated). */
  reserved: number;
  limit: number;
  remaining: number;
  /** When the count starts again from zero; null for resources, which do not reset. */
  resets_at: string | null;
}

export interface CurrentUsage {
  plan: PlanName;
  period: Period;
  metrics: Record<UsageMetric, MetricUsage>;
  requests_per_minute: number;
}

const usage = (used: number, reserved: number, limit: number, resetsAt: string | null): MetricUsage => ({
  used,
  reserved,
  limit,
  remaining: Math.max(0, limit - used - reserved),
  resets_at: resetsAt,
});

/** The current period's usage of every metric, against the limits of the plan in force. */
export async function getUsage({ ctx, deps }: { ctx: TenantContext; deps: Deps }): Promise<CurrentUsage> {
  const tenant = await getTenantPlan({ ctx, deps });
  const [meters, counts] = await Promise.all([
    readMeters({ ctx, deps, input: { period: tenant.period } }),
    countTenantResources(deps.db, ctx.tenantId),
  ]);
  const { limits, period } = tenant;
  const metered = Object.fromEntries(
    meteredMetrics.map((metric) => [
      metric,
      usage(
        meters[metric].used,
        meters[metric].reserved,
        limits[metric],
        isFlowMetric(metric) ? period.end : null,
      ),
    ]),
  ) as Record<MeteredMetric, MetricUsage>;
  return {
    plan: tenant.plan,
    period,
    metrics: {
      assistants: usage(counts.assistants, 0, limits.assistants, null),
      collections: usage(counts.collections, 0, limits.collections, null),
      ...metered,
    },
    requests_per_minute: limits.requests_per_minute,
  };
}

export type Granularity = "day" | "month";

export interface UsageBucket {
  /** `YYYY-MM-DD` for days, `YYYY-MM` for months (UTC). */
  start: string;
  /** Net amount per metric in the bucket: consumed, minus what deletions gave back. */
  metrics: Record<MeteredMetric, number>;
}

/** Longest history one request may ask for, in buckets. */
export const MAX_HISTORY_BUCKETS = { day: 366, month: 60 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

function bucketStarts(from: Date, to: Date, granularity: Granularity): string[] {
  const starts: string[] = [];
  if (granularity === "day") {
    for (let t = from.getTime(); t <= to.getTime(); t += DAY_MS)
      starts.push(new Date(t).toISOString().slice(0, 10));
  } else {
    const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    while (cursor <= to) {
      starts.push(cursor.toISOString().slice(0, 7));
      cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    }
  }
  return starts;
}

/**
 * Usage per day (or month) between two UTC dates, both included (months: the whole months that
 * hold them), from the events mirrored to D1. Pending events are written first, so the history
 * reads everything committed so far.
 */
export async function getUsageHistory({
  ctx,
  deps,
  input,
}: Verb<{ from: string; to: string; granularity: Granularity }>): Promise<{
  from: string;
  to: string;
  granularity: Granularity;
  buckets: UsageBucket[];
}> {
  let from = new Date(`${input.from}T00:00:00.000Z`);
  let to = new Date(`${input.to}T00:00:00.000Z`);
  if (to < from) {
    throw new AppError("validation_failed", "`to` is before `from`", {
      errors: [{ field: "query.to", message: "must not be before from" }],
    });
  }
  if (input.granularity === "month") {
    from = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    to = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0));
  }
  const starts = bucketStarts(from, to, input.granularity);
  if (starts.length > MAX_HISTORY_BUCKETS[input.granularity]) {
    throw new AppError(
      "validation_failed",
      `At most ${MAX_HISTORY_BUCKETS[input.granularity]} ${input.granularity}s per request`,
      { errors: [{ field: "query.from", message: "range too long for this granularity" }] },
    );
  }
  await flushUsage({ ctx, deps });
  const rows = await usageHistory(deps.db, ctx.tenantId, {
    from: from.toISOString(),
    to: new Date(to.getTime() + DAY_MS).toISOString(),
    granularity: input.granularity,
  });
  const buckets = starts.map((start) => ({
    start,
    metrics: Object.fromEntries(meteredMetrics.map((metric) => [metric, 0])) as Record<MeteredMetric, number>,
  }));
  const byStart = new Map(buckets.map((bucket) => [bucket.start, bucket]));
  for (const row of rows) {
    const bucket = byStart.get(row.bucket);
    if (bucket && (meteredMetrics as readonly string[]).includes(row.metric)) {
      bucket.metrics[row.metric as MeteredMetric] += row.amount;
    }
  }
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(from), to: day(to), granularity: input.granularity, buckets };
}
