import type { CopiedTable } from "./search-replica.interface";

/**
 * Where a replica stands: `copying` its first copy (the table and cursor reached), `catching_up`
 * (the copy is complete, changes since it are being applied) or `live` (it has applied every change
 * the shard acknowledged while its lease lasts).
 */
export type ReplicaPhase =
  | { phase: "new" }
  | { phase: "copying"; table: CopiedTable; after: string | number }
  | { phase: "catching_up" }
  | { phase: "live" };

/** A replica's own bookkeeping, one row in its SQLite. */
export class ReplicaState {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS replica_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        phase TEXT NOT NULL,
        applied INTEGER NOT NULL,
        lease_until INTEGER NOT NULL,
        copy_table TEXT,
        copy_after TEXT
      );
      INSERT OR IGNORE INTO replica_state (id, phase, applied, lease_until) VALUES (1, 'new', 0, 0);
    `);
  }

  private row() {
    return this.sql
      .exec<{
        phase: string;
        applied: number;
        lease_until: number;
        copy_table: string | null;
        copy_after: string | null;
      }>("SELECT phase, applied, lease_until, copy_table, copy_after FROM replica_state")
      .one();
  }

  get phase(): ReplicaPhase {
    const row = this.row();
    if (row.phase === "copying") {
      const table = row.copy_table as CopiedTable;
      const after = table === "documents" ? (row.copy_after ?? "") : Number(row.copy_after ?? 0);
      return { phase: "copying", table, after };
    }
    return { phase: row.phase as "new" | "catching_up" | "live" };
  }

  get applied(): number {
    return this.row().applied;
  }

  get leaseUntil(): number {
    return this.row().lease_until;
  }

  /** The copy starts: it will hold every change up to `from`. */
  startCopy(from: number): void {
    this.sql.exec(
      "UPDATE replica_state SET phase = 'copying', applied = ?, lease_until = 0, copy_table = 'documents', copy_after = ''",
      from,
    );
  }

  copied(table: CopiedTable, after: string | number): void {
    this.sql.exec("UPDATE replica_state SET copy_table = ?, copy_after = ?", table, String(after));
  }

  copyComplete(): void {
    this.sql.exec("UPDATE replica_state SET phase = 'catching_up', copy_table = NULL, copy_after = NULL");
  }

  setApplied(applied: number): void {
    this.sql.exec("UPDATE replica_state SET applied = ?", applied);
  }

  /** Caught up with every change the shard sent: it may serve until `leaseUntil`. */
  lease(leaseUntil: number): void {
    this.sql.exec("UPDATE replica_state SET phase = 'live', lease_until = max(lease_until, ?)", leaseUntil);
  }

  /** It lacks changes the shard may have acknowledged: it stops serving until it has them. */
  revoke(): void {
    this.sql.exec("UPDATE replica_state SET lease_until = 0");
  }
}
