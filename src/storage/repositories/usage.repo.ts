import { and, count, eq, gte, lt, sql, sum } from "drizzle-orm";
import { type Database, insertIgnoringDuplicates } from "../db";
import { documents, usageEvents } from "../schema";

export type UsageEventRow = typeof usageEvents.$inferSelect;

/** Records mirrored usage events; an id already recorded is skipped, so re-sending is harmless. */
export async function insertUsageEvents(db: Database, rows: UsageEventRow[]): Promise<void> {
  await insertIgnoringDuplicates(db, usageEvents, rows);
}

/**
 * What a counter of the tenant quota object starts from when it has none (a new object, a new
 * period): documents and storage from the documents themselves, flows from the mirrored events.
 */
export async function usageBaseline(
  db: Database,
  tenantId: string,
  metric: string,
  periodStart: string,
): Promise<number> {
  if (metric === "documents" || metric === "storage_bytes") {
    const [row] = await db
      .select({ documents: count(), storageBytes: sum(documents.sizeBytes).mapWith(Number) })
      .from(documents)
      .where(eq(documents.tenantId, tenantId));
    return (metric === "documents" ? row?.documents : row?.storageBytes) ?? 0;
  }
  const [row] = await db
    .select({ total: sum(usageEvents.amount).mapWith(Number) })
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.tenantId, tenantId),
        eq(usageEvents.metric, metric),
        eq(usageEvents.periodStart, periodStart),
      ),
    );
  return row?.total ?? 0;
}

export interface UsageBucketRow {
  /** `YYYY-MM-DD` for days, `YYYY-MM` for months. */
  bucket: string;
  metric: string;
  amount: number;
}

/** Net usage per metric and day (or month) between two instants, from the mirrored events. */
export async function usageHistory(
  db: Database,
  tenantId: string,
  range: { from: string; to: string; granularity: "day" | "month" },
): Promise<UsageBucketRow[]> {
  const bucket =
    range.granularity === "day"
      ? sql<string>`substr(${usageEvents.at}, 1, 10)`
      : sql<string>`substr(${usageEvents.at}, 1, 7)`;
  return db
    .select({ bucket, metric: usageEvents.metric, amount: sum(usageEvents.amount).mapWith(Number) })
    .from(usageEvents)
    .where(
      and(eq(usageEvents.tenantId, tenantId), gte(usageEvents.at, range.from), lt(usageEvents.at, range.to)),
    )
    .groupBy(bucket, usageEvents.metric) as Promise<UsageBucketRow[]>;
}
