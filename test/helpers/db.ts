import { env } from "cloudflare:workers";

/** The `n` of a `SELECT COUNT(*) AS n …` query on the test database. */
export async function countOf(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
