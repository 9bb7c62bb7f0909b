import { budgetId, type LeasedBudget } from "../../services/quotas/quota-lease.interface";

// The ledger's record of budget leases: what each holder (`<tenant>:<region>`) holds of each
// budget, and the last batch of each holder applied (batches are applied once, in order).

export class LeaseGrants {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS lease_grants (
        holder TEXT NOT NULL,
        budget_id TEXT NOT NULL,
        budget TEXT NOT NULL,
        granted INTEGER NOT NULL,
        PRIMARY KEY (holder, budget_id)
      );
      CREATE INDEX IF NOT EXISTS lease_grants_by_budget ON lease_grants (budget_id);
      CREATE TABLE IF NOT EXISTS lease_holders (
        holder TEXT PRIMARY KEY,
        applied_seq INTEGER NOT NULL
      );
    `);
  }

  /** The last batch of `holder` applied (0 before any). */
  appliedSeq(holder: string): number {
    return (
      this.sql
        .exec<{ applied_seq: number }>("SELECT applied_seq FROM lease_holders WHERE holder = ?", holder)
        .toArray()[0]?.applied_seq ?? 0
    );
  }

  /** Notes a holder (the ledger collects from and recalls every holder it knows). */
  register(holder: string): void {
    this.sql.exec(
      "INSERT INTO lease_holders (holder, applied_seq) VALUES (?, 0) ON CONFLICT DO NOTHING",
      holder,
    );
  }

  markApplied(holder: string, seq: number): void {
    this.sql.exec(
      `INSERT INTO lease_holders (holder, applied_seq) VALUES (?, ?)
       ON CONFLICT (holder) DO UPDATE SET applied_seq = MAX(applied_seq, excluded.applied_seq)`,
      holder,
      seq,
    );
  }

  /** Adds `delta` to what `holder` holds of `budget` (never below 0: usage past a grant is counted, not owed). */
  add(holder: string, budget: LeasedBudget, delta: number): void {
    this.sql.exec(
      `INSERT INTO lease_grants (holder, budget_id, budget, granted) VALUES (?, ?, ?, MAX(0, ?))
       ON CONFLICT (holder, budget_id) DO UPDATE SET granted = MAX(0, lease_grants.granted + ?),
         budget = excluded.budget`,
      holder,
      budgetId(budget),
      JSON.stringify(budget),
      delta,
      delta,
    );
  }

  /** Forgets the grants of ended windows that nothing holds any more. */
  dropEnded(now: number): void {
    this.sql.exec(
      `DELETE FROM lease_grants WHERE granted = 0
         AND json_extract(budget, '$.kind') = 'window' AND json_extract(budget, '$.windowEnd') <= ?`,
      now,
    );
  }

  /** Everything `holder` holds, per budget. */
  held(holder: string): { budget: LeasedBudget; granted: number }[] {
    return this.sql
      .exec<{ budget: string; granted: number }>(
        "SELECT budget, granted FROM lease_grants WHERE holder = ? AND granted > 0",
        holder,
      )
      .toArray()
      .map((row) => ({ budget: JSON.parse(row.budget) as LeasedBudget, granted: row.granted }));
  }

  /** What all holders hold of a budget. */
  total(budget: LeasedBudget): number {
    return (
      this.sql
        .exec<{ total: number }>(
          "SELECT COALESCE(SUM(granted), 0) AS total FROM lease_grants WHERE budget_id = ?",
          budgetId(budget),
        )
        .toArray()[0]?.total ?? 0
    );
  }

  /** How many holders hold some of a budget. */
  holdersOf(budget: LeasedBudget): number {
    return (
      this.sql
        .exec<{ holders: number }>(
          "SELECT COUNT(*) AS holders FROM lease_grants WHERE budget_id = ? AND granted > 0",
          budgetId(budget),
        )
        .toArray()[0]?.holders ?? 0
    );
  }

  /** The holders other than `except` that hold anything. */
  othersHolding(except: string): string[] {
    return this.sql
      .exec<{ holder: string }>(
        "SELECT DISTINCT holder FROM lease_grants WHERE granted > 0 AND holder != ?",
        except,
      )
      .toArray()
      .map((row) => row.holder);
  }

  /** Every holder the ledger has heard of. */
  holders(): string[] {
    return this.sql
      .exec<{ holder: string }>("SELECT holder FROM lease_holders")
      .toArray()
      .map((row) => row.holder);
  }
}
