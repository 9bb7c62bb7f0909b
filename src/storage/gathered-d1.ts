/**
 * Sends a list of bound statements to D1 in one round trip (`db.batch`) and answers each with its
 * result; the gatherer decides which statements travel together (services/ingestion/delivery-calls.ts).
 */
export type SendStatements = (statements: D1PreparedStatement[]) => Promise<D1Result[]>;

// A read that joins tables may name two columns alike: a batch answers rows as objects, which
// keep one of them, so such a read goes on its own (`raw()` answers arrays, keeping both).
const JOINS = /\bjoin\b/i;

/** A bound statement whose execution goes through `send` with the statements gathered beside it. */
class GatheredStatement {
  constructor(
    readonly bound: D1PreparedStatement,
    private readonly query: string,
    private readonly send: SendStatements,
  ) {}

  bind(...values: unknown[]): GatheredStatement {
    return new GatheredStatement(this.bound.bind(...values), this.query, this.send);
  }

  private async result<T>(): Promise<D1Result<T>> {
    const [result] = await this.send([this.bound]);
    return result as D1Result<T>;
  }

  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.result<T>();
  }

  all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.result<T>();
  }

  async first<T = unknown>(column?: string): Promise<T | null> {
    const row = (await this.result<Record<string, unknown>>()).results[0];
    if (!row) return null;
    return (column === undefined ? row : (row[column] ?? null)) as T | null;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    if (options?.columnNames || JOINS.test(this.query)) {
      return this.bound.raw(options as { columnNames: true }) as Promise<T[]>;
    }
    // As drizzle reads a batch's rows: each row's values in its columns' order.
    return (await this.result<Record<string, unknown>>()).results.map((row) => Object.values(row) as T);
  }
}

/**
 * A D1 database whose statements (single ones and `batch`es alike) are sent by `send`, which may
 * gather them with other callers' into one batch; everything else is the real database's.
 */
export function gatheredD1(real: D1Database, send: SendStatements): D1Database {
  const unwrap = (statement: D1PreparedStatement) =>
    statement instanceof GatheredStatement ? statement.bound : statement;
  const gathered = {
    prepare: (query: string) => new GatheredStatement(real.prepare(query), query, send),
    batch: (statements: D1PreparedStatement[]) => send(statements.map(unwrap)),
    exec: (query: string) => real.exec(query),
    withSession: (constraint?: string) => real.withSession(constraint),
    dump: () => real.dump(),
  };
  return gathered as unknown as D1Database;
}
