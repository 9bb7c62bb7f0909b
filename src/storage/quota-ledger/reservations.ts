import type { MeterKey, ReserveItem } from "../../services/quotas/quota-object.interface";

// The tenant quota object's reservations: amounts held against a counter while work runs, then
// committed (counted), released (given back) or expired (counted if committed late).

export type ReservationState = "held" | "committed" | "released" | "expired";

export interface ReservedRow {
  metric: string;
  period_start: string;
  amount: number;
  state: ReservationState;
}

export class Reservations {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS reservations (
        id TEXT NOT NULL,
        metric TEXT NOT NULL,
        period_start TEXT NOT NULL,
        amount INTEGER NOT NULL,
        state TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        settled_at INTEGER,
        PRIMARY KEY (id, metric)
      );
      CREATE INDEX IF NOT EXISTS reservations_by_meter ON reservations (state, metric, period_start);
    `);
  }

  /** Marks held reservations past their time as expired. */
  expireDue(now: number): void {
    this.sql.exec(
      "UPDATE reservations SET state = 'expired', settled_at = ? WHERE state = 'held' AND expires_at <= ?",
      now,
      now,
    );
  }

  /** The reservation's rows, one per metric. */
  rows(id: string): ReservedRow[] {
    return this.sql
      .exec<{ metric: string; period_start: string; amount: number; state: ReservationState }>(
        "SELECT metric, period_start, amount, state FROM reservations WHERE id = ?",
        id,
      )
      .toArray();
  }

  /** Holds every item under `id` until `expiresAt`, replacing what `id` held before. */
  hold(id: string, items: ReserveItem[], expiresAt: number): void {
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM reservations WHERE id = ?", id);
      for (const item of items) {
        this.sql.exec(
          `INSERT INTO reservations (id, metric, period_start, amount, state, expires_at)
           VALUES (?, ?, ?, ?, 'held', ?)`,
          id,
          item.metric,
          item.periodStart,
          item.amount,
          expiresAt,
        );
      }
    });
  }

  /** Marks the reservation committed (call inside the transaction that counts it). */
  markCommitted(id: string, now: number): void {
    this.sql.exec("UPDATE reservations SET state = 'committed', settled_at = ? WHERE id = ?", now, id);
  }

  /** Releases a held reservation; whether it was held. */
  release(id: string, now: number): boolean {
    return (
      this.sql
        .exec(
          "UPDATE reservations SET state = 'released', settled_at = ? WHERE id = ? AND state = 'held' RETURNING id",
          now,
          id,
        )
        .toArray().length > 0
    );
  }

  /** What is held against a counter. */
  reserved(key: MeterKey): number {
    return (
      this.sql
        .exec<{ reserved: number }>(
          `SELECT COALESCE(SUM(amount), 0) AS reserved FROM reservations
           WHERE state = 'held' AND metric = ? AND period_start = ?`,
          key.metric,
          key.periodStart,
        )
        .toArray()[0]?.reserved ?? 0
    );
  }

  /** Forgets reservations settled before `before`. */
  dropSettled(before: number): void {
    this.sql.exec("DELETE FROM reservations WHERE state != 'held' AND settled_at < ?", before);
  }
}
