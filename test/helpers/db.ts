import { env } from "cloudflare:workers";

/** The `n` of a `SELECT COUNT(*) AS n …` query on the test database. */
export async function countOf(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * The test database, counting its round trips: each statement run on its own and each batch
 * (whatever it holds) is one. Statements are handed to the real batch as the real binding made them.
 */
export function countingD1(trips: { count: number }): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const trip = <T>(result: T): T => {
      trips.count++;
      return result;
    };
    const counted = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      run: () => trip(statement.run()),
      all: () => trip(statement.all()),
      raw: (options?: { columnNames: true }) => trip(statement.raw(options as never)),
      first: (column?: string) => trip(column ? statement.first(column) : statement.first()),
    } as unknown as D1PreparedStatement;
    real.set(counted, statement);
    return counted;
  };
  return {
    prepare: (query: string) => wrap(env.DB.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      trips.count++;
      return env.DB.batch(statements.map((statement) => real.get(statement) ?? statement));
    },
    exec: (query: string) => env.DB.exec(query),
    withSession: (constraint?: string) => env.DB.withSession(constraint),
    dump: () => env.DB.dump(),
  } as unknown as D1Database;
}
