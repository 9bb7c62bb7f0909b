import { budgetId, type LeaseBatch, type LeasedBudget } from "../../services/quotas/quota-lease.interface";

// A lease holder's grants: per budget, what the ledger last said it granted, what was consumed
// since the last batch, and the batches not yet acknowledged by the ledger. What is left to admit
// against is `granted - pending batches - held reservations - spent`.

export interface BudgetRow {
  budget: LeasedBudget;
  granted: number;
  spent: number;
  /** A rate bucket's tokens at the ledger when last heard of (for the RateLimit headers). */
  level: number;
  lastUsed: number;
  /** What was taken since `recentSince`: the low-water mark is what the last seconds used. */
  recent: number;
  recentSince: number;
}

export class LeaseBudgets {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS lease_budgets (
        budget_id TEXT PRIMARY KEY,
        budget TEXT NOT NULL,
        granted INTEGER NOT NULL DEFAULT 0,
        spent INTEGER NOT NULL DEFAULT 0,
        level REAL NOT NULL DEFAULT 0,
        last_used INTEGER NOT NULL DEFAULT 0,
        recent INTEGER NOT NULL DEFAULT 0,
        recent_since INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS lease_batches (
        seq INTEGER PRIMARY KEY,
        items TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS lease_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_seq INTEGER NOT NULL
      );
    `);
  }

  get(budget: LeasedBudget): BudgetRow | undefined {
    return this.rows("WHERE budget_id = ?", budgetId(budget))[0];
  }

  all(): BudgetRow[] {
    return this.rows("");
  }

  private rows(where: string, ...bindings: string[]): BudgetRow[] {
    return this.sql
      .exec<{
        budget: string;
        granted: number;
        spent: number;
        level: number;
        last_used: number;
        recent: number;
        recent_since: number;
      }>(
        `SELECT budget, granted, spent, level, last_used, recent, recent_since FROM lease_budgets ${where}`,
        ...bindings,
      )
      .toArray()
      .map((row) => ({
        budget: JSON.parse(row.budget) as LeasedBudget,
        granted: row.granted,
        spent: row.spent,
        level: row.level,
        lastUsed: row.last_used,
        recent: row.recent,
        recentSince: row.recent_since,
      }));
  }

  private ensure(budget: LeasedBudget): void {
    this.sql.exec(
      "INSERT INTO lease_budgets (budget_id, budget) VALUES (?, ?) ON CONFLICT DO UPDATE SET budget = excluded.budget",
      budgetId(budget),
      JSON.stringify(budget),
    );
  }

  /** Forgets the budgets of ended windows that hold and owe nothing. */
  dropEnded(now: number): void {
    this.sql.exec(
      `DELETE FROM lease_budgets WHERE granted = 0 AND spent = 0
         AND json_extract(budget, '$.kind') = 'window' AND json_extract(budget, '$.windowEnd') <= ?`,
      now,
    );
  }

  /** What pending batches take from a budget's grant (consumed and returned, not yet acknowledged). */
  pending(budget: LeasedBudget): number {
    const id = budgetId(budget);
    let total = 0;
    for (const batch of this.batches()) {
      for (const item of batch.items) {
        if (budgetId(item.budget) === id) total += item.consumed + item.returned;
      }
    }
    return total;
  }

  /** Counts `amount` consumed now (a request drawn, usage committed) and notes the use. */
  spend(budget: LeasedBudget, amount: number, now: number, windowMs: number): void {
    this.ensure(budget);
    this.sql.exec(
      `UPDATE lease_budgets SET spent = spent + ?, last_used = ?,
         recent = CASE WHEN recent_since < ? THEN ? ELSE recent + ? END,
         recent_since = CASE WHEN recent_since < ? THEN ? ELSE recent_since END
       WHERE budget_id = ?`,
      amount,
      now,
      now - windowMs,
      amount,
      amount,
      now - windowMs,
      now,
      budgetId(budget),
    );
  }

  /** Counts `amount` consumed (committed usage) without noting a use. */
  consume(budget: LeasedBudget, amount: number): void {
    this.ensure(budget);
    this.sql.exec("UPDATE lease_budgets SET spent = spent + ? WHERE budget_id = ?", amount, budgetId(budget));
  }

  /** Notes a use that holds the budget (a reservation) without consuming it yet. */
  touch(budget: LeasedBudget, amount: number, now: number, windowMs: number): void {
    this.spend(budget, 0, now, windowMs);
    this.sql.exec(
      "UPDATE lease_budgets SET recent = recent + ? WHERE budget_id = ?",
      amount,
      budgetId(budget),
    );
  }

  /**
   * Makes a batch of what was consumed and, per budget where `returning` says how much, what goes
   * back; stores it (it is sent until the ledger acknowledges it). Undefined when empty.
   */
  makeBatch(returning: (row: BudgetRow) => number): LeaseBatch | undefined {
    const items: LeaseBatch["items"] = [];
    for (const row of this.all()) {
      const returned = Math.max(0, Math.floor(returning(row)));
      if (row.spent === 0 && returned === 0) continue;
      items.push({ budget: row.budget, consumed: row.spent, returned });
    }
    if (items.length === 0) return undefined;
    const seq = this.nextSeq();
    this.storage.transactionSync(() => {
      this.sql.exec("INSERT INTO lease_batches (seq, items) VALUES (?, ?)", seq, JSON.stringify(items));
      this.sql.exec("UPDATE lease_budgets SET spent = 0");
      this.sql.exec(
        "INSERT INTO lease_sequence (id, next_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next_seq = excluded.next_seq",
        seq + 1,
      );
    });
    return { seq, items };
  }

  private nextSeq(): number {
    return (
      this.sql.exec<{ next_seq: number }>("SELECT next_seq FROM lease_sequence WHERE id = 1").toArray()[0]
        ?.next_seq ?? 1
    );
  }

  /** The batches not acknowledged yet, oldest first. */
  batches(): LeaseBatch[] {
    return this.sql
      .exec<{ seq: number; items: string }>("SELECT seq, items FROM lease_batches ORDER BY seq")
      .toArray()
      .map((row) => ({ seq: row.seq, items: JSON.parse(row.items) as LeaseBatch["items"] }));
  }

  /**
   * Takes the ledger's answer: batches up to `appliedSeq` are settled, and each budget's grant is
   * what the ledger records (budgets it does not name hold none).
   */
  acknowledge(
    appliedSeq: number,
    grants: { budget: LeasedBudget; granted: number }[],
    levels: Record<string, number>,
  ): void {
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM lease_batches WHERE seq <= ?", appliedSeq);
      this.sql.exec("UPDATE lease_budgets SET granted = 0");
      for (const { budget, granted } of grants) {
        this.ensure(budget);
        this.sql.exec("UPDATE lease_budgets SET granted = ? WHERE budget_id = ?", granted, budgetId(budget));
      }
      for (const [id, level] of Object.entries(levels)) {
        this.sql.exec("UPDATE lease_budgets SET level = ? WHERE budget_id = ?", level, id);
      }
    });
  }
}
