import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import { ProblemSchema } from "../../src/routes/openapi";

export interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export type Problem = z.infer<typeof ProblemSchema>;

export interface ApiClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Like `request`, then asserts the status and returns the body, checked against `schema` and typed by it. */
  expectJson<S extends z.ZodType>(
    status: number,
    method: string,
    path: string,
    schema: S,
    options?: RequestOptions,
  ): Promise<z.infer<S>>;
  /** Like `request`, then asserts the status and returns the problem+json body. */
  expectProblem(status: number, method: string, path: string, options?: RequestOptions): Promise<Problem>;
  /** Like `request`, then asserts a 204 with an empty body. */
  expectNoContent(method: string, path: string, options?: RequestOptions): Promise<void>;
}

/**
 * Asserts the status of `response` and returns its JSON body, checked against `schema` and typed by it.
 * The body is returned as sent, not as zod strips it, so a test still sees a field that should not be there.
 */
export async function expectBody<S extends z.ZodType>(
  response: Response,
  status: number,
  schema: S,
  what = `${response.url}`,
): Promise<z.infer<S>> {
  const text = await response.text();
  expect(response.status, `${what} → ${text}`).toBe(status);
  const body: unknown = JSON.parse(text);
  const checked = schema.safeParse(body);
  if (!checked.success)
    throw new Error(`${what}: the body breaks its schema\n${z.prettifyError(checked.error)}\n${text}`);
  return body as z.infer<S>;
}

/** The problem+json body of an error response with this status. */
export const expectProblemBody = (response: Response, status: number, what?: string) =>
  expectBody(response, status, ProblemSchema, what);

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
    async expectJson(status, method, path, schema, options) {
      return expectBody(await request(method, path, options), status, schema, `${method} ${path}`);
    },
    async expectProblem(status, method, path, options) {
      return expectProblemBody(await request(method, path, options), status, `${method} ${path}`);
    },
    async expectNoContent(method, path, options) {
      const response = await request(method, path, options);
      const text = await response.text();
      expect(response.status, `${method} ${path} → ${text}`).toBe(204);
      expect(text).toBe("");
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

/** The fields a validation problem names, in its order. */
export const fieldsOf = (problem: Problem) => problem.errors?.map((error) => error.field) ?? [];
