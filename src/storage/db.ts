import { createTableRelationsHelpers, extractTablesRelationalConfig, getTableColumns } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { DrizzleD1Database, drizzle, SQLiteD1Session } from "drizzle-orm/d1";
import { SQLiteAsyncDialect, type SQLiteTable } from "drizzle-orm/sqlite-core";
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

/** A drizzle handle over one D1 session (the Sessions API), and the session's latest bookmark. */
export interface DatabaseSession {
  db: Database;
  bookmark(): string | null;
}

/**
 * A D1 session over the database of `db`: its reads may be served by a read replica, yet each sees
 * every write made before it in the session, and everything up to `bookmark` when one is given
 * (without one the first read goes wherever is nearest). Writes always go to the primary.
 */
export function openDatabaseSession(db: Database, bookmark?: string): DatabaseSession {
  const session = db.$client.withSession(bookmark ?? "first-unconstrained");
  // drizzle needs only prepare and batch, which a session has as the database does.
  const sessionDb = databaseOver(session as unknown as D1Database);
  return { db: sessionDb, bookmark: () => session.getBookmark() };
}

type RelationalSchema = ConstructorParameters<typeof SQLiteD1Session>[2];
let relationalSchema: RelationalSchema | undefined;

/**
 * What `drizzle(client, { schema })` builds, with the schema's relational configuration (which
 * drizzle derives from every table and relation on each call) derived once per isolate: a request
 * and each step of a turn open a session of their own, and a queue delivery gathers its
 * documents' statements through a client of its own (storage/gathered-d1.ts).
 */
export function databaseOver(client: D1Database): Database {
  relationalSchema ??= (() => {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    return { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  })();
  const dialect = new SQLiteAsyncDialect();
  const session = new SQLiteD1Session(client, dialect, relationalSchema, {});
  const db = new DrizzleD1Database("async", dialect, session, relationalSchema) as Database;
  db.$client = client;
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
