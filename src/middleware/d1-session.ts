import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { depsFor } from "../deps";
import { openDatabaseSession } from "../storage/db";

/** The header that carries a D1 bookmark: sent back on every response, accepted on any request. */
export const BOOKMARK_HEADER = "X-D1-Bookmark";

/** A bookmark as D1 writes them (hex groups joined by dashes); anything else is ignored. */
const BOOKMARK = /^[0-9a-f]+(?:-[0-9a-f]+){0,15}$/i;

/**
 * Loads the request's Deps over its own D1 session, so that its reads may be served by a nearby
 * read replica and still see, in order, everything the request wrote. A request that sends the
 * `X-D1-Bookmark` of an earlier response starts at least there (read your own writes across
 * requests: create, then read); one without starts wherever is nearest ("first-unconstrained").
 * The response carries the session's latest bookmark.
 */
export function loadDepsInSession(): MiddlewareHandler<AppEnv> {
  return async function loadDepsInSession(c, next) {
    const deps = depsFor(c.env);
    const sent = c.req.header(BOOKMARK_HEADER)?.trim();
    const session = openDatabaseSession(deps.db, sent && BOOKMARK.test(sent) ? sent : undefined);
    c.set("deps", {
      ...deps,
      db: session.db,
      lookups: new Map(),
      afterResponse: (work) => {
        try {
          c.executionCtx.waitUntil(work);
        } catch {
          // An app called without an execution context (app.request in a script): the work runs on.
        }
      },
    });
    await next();
    const bookmark = session.bookmark();
    // A handler may have set a later one (writes made elsewhere for it): bookmarks sort in D1's order.
    const set = c.res.headers.get(BOOKMARK_HEADER);
    if (bookmark && !(set && set > bookmark)) c.header(BOOKMARK_HEADER, bookmark);
  };
}
