// A tenant's objects (its search shard, its quota counters) are emptied when the tenant is
// deleted, and must stay empty: work of the tenant still in flight (an ingestion batch, a chat
// turn) could otherwise create their tables again and write into them. The tombstone is a table
// of one row holding no data of the tenant; while it is there the object refuses every call.

const TOMBSTONE_TABLE = "tombstone";

/** The message of the error a tombstoned object answers with. */
export const TENANT_DELETED = "the tenant was deleted: this object refuses every call";

/** Whether the object's storage holds the tombstone (a synchronous read of its schema). */
export function isTombstoned(sql: SqlStorage): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", TOMBSTONE_TABLE).toArray()
      .length > 0
  );
}

/** Leaves the tombstone, after the object's storage was emptied (`deleteAll`). */
export function leaveTombstone(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${TOMBSTONE_TABLE} (deleted_at TEXT NOT NULL)`);
  if (sql.exec(`SELECT 1 FROM ${TOMBSTONE_TABLE}`).toArray().length === 0) {
    sql.exec(`INSERT INTO ${TOMBSTONE_TABLE} (deleted_at) VALUES (?)`, new Date().toISOString());
  }
}
