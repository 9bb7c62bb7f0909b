import { AppError } from "../errors";

export interface PageRequest {
  limit: number;
  /** Return rows whose key (the id, or a list's own key such as `positionKey`) sorts after this one. */
  after?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

// Cursors are the last key of a page, base64url-encoded so clients treat them as opaque.
export function encodeCursor(lastKey: string): string {
  return btoa(lastKey).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

const invalidCursor = () =>
  new AppError("validation_failed", "The cursor is not valid", {
    errors: [{ field: "query.cursor", message: "not a cursor returned by this API" }],
  });

export function decodeCursor(cursor: string): string {
  try {
    const decoded = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    if (/^[a-z]+_[0-9a-z]+$/.test(decoded)) return decoded;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/** The cursor key of a row in a list ordered by an integer position rather than by id. */
export const positionKey = (position: number): string => `pos_${position}`;

/** The position a page of such a list starts after; a cursor of another list is refused. */
export function positionAfter(request: PageRequest): number | undefined {
  if (request.after === undefined) return undefined;
  const match = /^pos_(\d{1,15})$/.exec(request.after);
  if (!match) throw invalidCursor();
  return Number(match[1]);
}

export function toPageRequest(query: { limit: number; cursor?: string }): PageRequest {
  return { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined };
}

/**
 * Builds a page from rows fetched with `limit + 1`, the extra row telling whether more exist. The
 * cursor holds the last row's key: its id, unless the list is ordered by another key (`keyOf`).
 */
export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  request: PageRequest,
  present: (row: Row) => T,
): Page<T>;
export function toPage<Row, T>(
  rows: Row[],
  request: PageRequest,
  present: (row: Row) => T,
  keyOf: (row: Row) => string,
): Page<T>;
export function toPage<Row, T>(
  rows: Row[],
  request: PageRequest,
  present: (row: Row) => T,
  keyOf: (row: Row) => string = (row) => (row as { id: string }).id,
): Page<T> {
  const hasMore = rows.length > request.limit;
  const pageRows = hasMore ? rows.slice(0, request.limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(present),
    next_cursor: hasMore && last ? encodeCursor(keyOf(last)) : null,
    has_more: hasMore,
  };
}
