import { getTableColumns } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { batches, rowsPerStatement, STATEMENTS_PER_BATCH } from "../lib/batches";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema> & { $client: D1Database };

const cache = new WeakMap<D1Database, Database>();

/** The drizzle handle for a D1 binding, built once per isolate. */
export function databaseFor(d1: D1Database): Database {
  let db = cache.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    cache.set(d1, db);
  }
  return db;
}

/**
 * Inserts `rows` into `table`, skipping rows whose key already exists, in as few statements as
 * the bound-parameter limit allows (one parameter per column of each row), sent in `db.batch`es.
 */
export async function insertIgnoringDuplicates<T extends SQLiteTable>(
  db: Database,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  const perStatement = rowsPerStatement(Object.keys(getTableColumns(table)).length);
  const statements: BatchItem<"sqlite">[] = batches(rows, perStatement).map((group) =>
    db.insert(table).values(group).onConflictDoNothing(),
  );
  for (const [first, ...rest] of batches(statements, STATEMENTS_PER_BATCH)) {
    await db.batch([first!, ...rest]);
  }
}
