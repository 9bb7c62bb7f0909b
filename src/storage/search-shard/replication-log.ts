import type { LoggedChange } from "./search-replica.interface";

// Bounds what one message to a replica carries: a few hundred rows (as the shard's own RPC calls)
// and a few dozen changes.
const ROWS_PER_MESSAGE = 200;
const CHANGES_PER_MESSAGE = 50;
// A replica that stopped asking is not waited for forever: past this many changes it copies again.
const KEPT_FOR_STALE = 10_000;

/** A replica as the shard knows it. */
export interface ReplicaEntry {
  name: string;
  /** The last change the replica said it applied. */
  acked: number;
  /** Whether writes wait for it (its first copy is complete and it is not stale). */
  live: boolean;
  /** The latest lease the shard granted it: until then it may serve, so writes wait for it. */
  leaseUntil: number;
}

/**
 * The shard's side of replication, in its SQLite: the number of its last change, the changes its
 * replicas have yet to apply (in order), and the replicas themselves. Changes are numbered even
 * without replicas (a replica copies past the number it attached at); they are kept only while a
 * replica lacks them.
 */
export class ReplicationLog {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS replication_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL,
        closing INTEGER NOT NULL DEFAULT 0
      );
      INSERT OR IGNORE INTO replication_state (id, last_seq) VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS replication_log (seq INTEGER PRIMARY KEY, change TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS replicas (
        name TEXT PRIMARY KEY,
        acked INTEGER NOT NULL,
        live INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER NOT NULL DEFAULT 0
      );
    `);
  }

  get lastSeq(): number {
    return this.sql.exec<{ last_seq: number }>("SELECT last_seq FROM replication_state").one().last_seq;
  }

  /** Whether the tenant is being deleted: no replica may attach any more. */
  get closing(): boolean {
    return this.sql.exec<{ closing: number }>("SELECT closing FROM replication_state").one().closing === 1;
  }

  close(): void {
    this.sql.exec("UPDATE replication_state SET closing = 1");
  }

  /** Numbers a change (kept while some replica is registered); returns its number. */
  record(change: LoggedChange): number {
    const seq = this.lastSeq + 1;
    this.sql.exec("UPDATE replication_state SET last_seq = ?", seq);
    if (this.replicas().length > 0) {
      this.sql.exec("INSERT INTO replication_log (seq, change) VALUES (?, ?)", seq, JSON.stringify(change));
    }
    return seq;
  }

  /**
   * The changes after `seq`, in order, as many as one message carries (`rowsOf` counts a change's
   * rows); null when some of them are no longer kept.
   */
  changesAfter(
    seq: number,
    rowsOf: (change: LoggedChange) => number,
  ): { seq: number; change: LoggedChange }[] | null {
    if (seq >= this.lastSeq) return [];
    const rows = this.sql
      .exec<{ seq: number; change: string }>(
        "SELECT seq, change FROM replication_log WHERE seq > ? ORDER BY seq LIMIT ?",
        seq,
        CHANGES_PER_MESSAGE,
      )
      .toArray();
    if (rows[0]?.seq !== seq + 1) return null;
    const out: { seq: number; change: LoggedChange }[] = [];
    let rowCount = 0;
    for (const row of rows) {
      const change = JSON.parse(row.change) as LoggedChange;
      if (out.length > 0 && rowCount + rowsOf(change) > ROWS_PER_MESSAGE) break;
      rowCount += rowsOf(change);
      out.push({ seq: row.seq, change });
    }
    return out;
  }

  replicas(): ReplicaEntry[] {
    return this.sql
      .exec<{ name: string; acked: number; live: number; lease_until: number }>(
        "SELECT name, acked, live, lease_until FROM replicas ORDER BY name",
      )
      .toArray()
      .map((row) => ({
        name: row.name,
        acked: row.acked,
        live: row.live === 1,
        leaseUntil: row.lease_until,
      }));
  }

  replica(name: string): ReplicaEntry | undefined {
    return this.replicas().find((replica) => replica.name === name);
  }

  /** Registers a replica whose copy starts now (again, if it was known): it lacks what follows. */
  attach(name: string): number {
    const from = this.lastSeq;
    this.sql.exec(
      `INSERT INTO replicas (name, acked, live, lease_until) VALUES (?, ?, 0, 0)
       ON CONFLICT (name) DO UPDATE SET acked = excluded.acked, live = 0`,
      name,
      from,
    );
    return from;
  }

  acknowledge(name: string, applied: number): void {
    this.sql.exec("UPDATE replicas SET acked = ? WHERE name = ?", applied, name);
  }

  /** Writes wait for the replica from now on; it may serve until `leaseUntil`. */
  lease(name: string, leaseUntil: number): void {
    this.sql.exec(
      "UPDATE replicas SET live = 1, lease_until = max(lease_until, ?) WHERE name = ?",
      leaseUntil,
      name,
    );
  }

  /** The replica could not be reached and its lease is over: writes stop waiting for it. */
  markStale(name: string): void {
    this.sql.exec("UPDATE replicas SET live = 0 WHERE name = ?", name);
  }

  forget(name: string): void {
    this.sql.exec("DELETE FROM replicas WHERE name = ?", name);
    this.prune();
  }

  /**
   * Drops the changes every replica has applied. A replica that is not live and lacks more than
   * KEPT_FOR_STALE changes is forgotten (it copies the shard again when it asks).
   */
  prune(): void {
    this.sql.exec("DELETE FROM replicas WHERE live = 0 AND acked < ?", this.lastSeq - KEPT_FOR_STALE);
    const replicas = this.replicas();
    const oldest =
      replicas.length === 0 ? this.lastSeq : Math.min(...replicas.map((replica) => replica.acked));
    this.sql.exec("DELETE FROM replication_log WHERE seq <= ?", oldest);
  }
}
