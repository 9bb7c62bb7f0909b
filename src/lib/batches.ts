/** Splits `items` into consecutive slices of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * SQLite as D1 and Durable Objects run it binds at most 100 parameters per statement: every
 * statement that binds one parameter per value (multi-row inserts, `IN (…)` lists) is cut to fit.
 */
export const SQL_PARAMETER_LIMIT = 100;

/** How many rows of `columns` bound values fit in one statement. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(SQL_PARAMETER_LIMIT / columns));
}

/** D1 runs at most this many statements in one `db.batch` call here; larger sets are sent in groups. */
export const STATEMENTS_PER_BATCH = 50;
