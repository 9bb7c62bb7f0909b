import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { newId } from "../lib/ids";

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (the caller's `X-Request-ID` when sane) and echoes it on the response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : newId("req");
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-ID", id);
  };
}
