import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { AppError } from "../errors";

/**
 * Largest JSON request body. The longest fields (an assistant's 20,000-character prompt, a Chat
 * Completions conversation within its message bounds) fit several times over, even escaped.
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface LimitBodyOptions {
  /** The largest body accepted, in bytes. */
  maxBytes: number | ((c: Context<AppEnv>) => number);
  /** The problem for a body over the limit; by default a `payload_too_large` naming the limit. */
  tooLarge?: (c: Context<AppEnv>, maxBytes: number) => AppError;
}

const bodyTooLarge = (_c: Context<AppEnv>, maxBytes: number) =>
  new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes`, {
    max_bytes: maxBytes,
  });

/**
 * Refuses a request body over `maxBytes` with 413 before anything parses it: at once from its
 * Content-Length, or, without one (`Transfer-Encoding: chunked`), counted while it streams in and
 * refused at the first byte over, so an oversized body is never read whole.
 */
export function limitBody(options: LimitBodyOptions): MiddlewareHandler<AppEnv> {
  const tooLarge = options.tooLarge ?? bodyTooLarge;
  return async function limitBody(c, next) {
    const maxBytes = typeof options.maxBytes === "function" ? options.maxBytes(c) : options.maxBytes;
    const limit = bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge(c, maxBytes);
      },
    });
    return limit(c, next);
  };
}
