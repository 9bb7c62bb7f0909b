import type { MeterKey } from "../../services/quotas/quota-object.interface";

// The tenant quota object's usage: one counter per metric and period, and an outbox of every
// amount counted, waiting to be mirrored into D1 (`usage_events`).

export interface PendingUsage {
  id: string;
  metric: string;
  period_start: string;
  amount: number;
  at: string;
}

const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

export class UsageMirror {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS counters (
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (metric, period_start)
      );
      CREATE TABLE IF NOT EXISTS outbox (
        id TEXT PRIMARY KEY,
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        amount INTEGER NOT NULL,
        at TEXT NOT NULL
      );
    `);
  }

  /** Whether the object holds this counter (else it is rebuilt from D1 first). */
  holds(key: MeterKey): boolean {
    return (
      this.sql
        .exec("SELECT 1 FROM counters WHERE metric = ? AND period_start = ?", key.metric, key.periodStart)
        .toArray().length > 0
    );
  }

  /** Starts a counter at what D1 holds; one already there (a concurrent rebuild) is kept. */
  seed(key: MeterKey, baseline: number): void {
    this.sql.exec(
      "INSERT INTO counters (metric, period_start, used) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      key.metric,
      key.periodStart,
      baseline,
    );
  }

  used(key: MeterKey): number {
    return (
      this.sql
        .exec<{ used: number }>(
          "SELECT used FROM counters WHERE metric = ? AND period_start = ?",
          key.metric,
          key.periodStart,
        )
        .toArray()[0]?.used ?? 0
    );
  }

  /** Adds to a counter and queues the event for D1; `mirrorOnly` records the event alone. */
  count(key: MeterKey, amount: number, now: number, mirrorOnly = false): void {
    if (!mirrorOnly) {
      this.sql.exec(
        "UPDATE counters SET used = MAX(0, used + ?) WHERE metric = ? AND period_start = ?",
        amount,
        key.metric,
        key.periodStart,
      );
    }
    if (amount === 0) return;
    this.sql.exec(
      "INSERT INTO outbox (id, metric, period_start, amount, at) VALUES (?, ?, ?, ?, ?)",
      randomId("use"),
      key.metric,
      key.periodStart,
      amount,
      new Date(now).toISOString(),
    );
  }

  /** The events not yet written to D1, oldest first. */
  pending(): PendingUsage[] {
    return this.sql
      .exec<{ id: string; metric: string; period_start: string; amount: number; at: string }>(
        "SELECT id, metric, period_start, amount, at FROM outbox ORDER BY at",
      )
      .toArray();
  }

  /** Drops the events D1 now holds. */
  mirrored(ids: string[]): void {
    this.storage.transactionSync(() => {
      for (const id of ids) this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
    });
  }
}
