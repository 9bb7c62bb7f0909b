import type { StoredPlan } from "../../services/quotas/quota-object.interface";

// The tenant quota object's copy of the tenant's plan: one row, replaced only by a newer ticket.

export class KeptPlan {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS kept_plan (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        plan TEXT NOT NULL,
        period_start TEXT,
        period_end TEXT,
        ticket INTEGER NOT NULL,
        read_at INTEGER NOT NULL
      );
    `);
  }

  /** The plan kept, with when it was stored or last read from D1; undefined before the first. */
  get(): (StoredPlan & { readAt: number }) | undefined {
    const row = this.sql
      .exec<{
        plan: string;
        period_start: string | null;
        period_end: string | null;
        ticket: number;
        read_at: number;
      }>("SELECT plan, period_start, period_end, ticket, read_at FROM kept_plan WHERE id = 1")
      .toArray()[0];
    if (!row) return undefined;
    return {
      plan: row.plan as StoredPlan["plan"],
      periodStart: row.period_start,
      periodEnd: row.period_end,
      ticket: row.ticket,
      readAt: row.read_at,
    };
  }

  /** Keeps `plan` unless the row kept holds a later ticket; a same-ticket read only refreshes it. */
  put(plan: StoredPlan, now: number): void {
    this.sql.exec(
      `INSERT INTO kept_plan (id, plan, period_start, period_end, ticket, read_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, period_start = excluded.period_start,
         period_end = excluded.period_end, ticket = excluded.ticket, read_at = excluded.read_at
       WHERE excluded.ticket >= kept_plan.ticket`,
      plan.plan,
      plan.periodStart,
      plan.periodEnd,
      plan.ticket,
      now,
    );
  }
}
