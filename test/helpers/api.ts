import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { createApp } from "../../src/app";

export interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Like `request`, then asserts the status and returns the parsed JSON body. */
  expectJson<T = any>(status: number, method: string, path: string, options?: RequestOptions): Promise<T>;
}

const BASE = "http://ancre.test";

function buildRequest(
  method: string,
  path: string,
  options: RequestOptions,
  defaults: Record<string, string>,
) {
  const headers = new Headers({ ...defaults, ...options.headers });
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`${BASE}${path.startsWith("/") ? path : `/api/v1/${path}`}`, { method, headers, body });
}

function clientOver(
  send: (request: Request) => Promise<Response>,
  defaults: Record<string, string>,
): ApiClient {
  const request = (method: string, path: string, options: RequestOptions = {}) =>
    send(buildRequest(method, path, options, defaults));
  return {
    request,
    async expectJson(status, method, path, options) {
      const response = await request(method, path, options);
      const text = await response.text();
      expect(response.status, `${method} ${path} → ${text}`).toBe(status);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

/**
 * A client of the real Worker entry point (its bindings, its configuration from wrangler.toml).
 * Paths without a leading slash are relative to /api/v1.
 */
export function api(defaultHeaders: Record<string, string> = {}): ApiClient {
  return clientOver((request) => exports.default.fetch(request), defaultHeaders);
}

/** A client of an app built over the test bindings with some vars or secrets overridden. */
export function apiWithEnv(overrides: Record<string, unknown>, defaultHeaders: Record<string, string> = {}) {
  const app = createApp();
  const overridden = { ...env, ...overrides } as Env;
  return clientOver(async (request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, overridden, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }, defaultHeaders);
}
