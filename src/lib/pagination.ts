import { AppError } from "../errors";

export interface PageRequest {
  limit: number;
  /** Return rows whose id sorts after this one. */
  after?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

// Cursors are the last id of a page, base64url-encoded so clients treat them as opaque.
export function encodeCursor(lastId: string): string {
  return btoa(lastId).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export function decodeCursor(cursor: string): string {
  try {
    const decoded = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    if (/^[a-z]+_[0-9a-z]+$/.test(decoded)) return decoded;
  } catch {
    // fall through to the error below
  }
  throw new AppError("validation_failed", "The cursor is not valid", {
    errors: [{ field: "query.cursor", message: "not a cursor returned by this API" }],
  });
}

export function toPageRequest(query: { limit: number; cursor?: string }): PageRequest {
  return { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined };
}

/** Builds a page from rows fetched with `limit + 1`, the extra row telling whether more exist. */
export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  request: PageRequest,
  present: (row: Row) => T,
): Page<T> {
  const hasMore = rows.length > request.limit;
  const pageRows = hasMore ? rows.slice(0, request.limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(present),
    next_cursor: hasMore && last ? encodeCursor(last.id) : null,
    has_more: hasMore,
  };
}
