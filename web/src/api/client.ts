import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

/** How requests prove who they are: set by the auth layer once the user (or the dev bypass) is known. */
interface Credentials {
  /** A Clerk session token, fetched fresh for each request (Clerk refreshes it). */
  getToken?: () => Promise<string | null>;
  /** The workspace acted in, sent as X-Tenant-ID. */
  tenantId?: string | null;
}

const credentials: Credentials = {};

/**
 * The latest D1 bookmark the API returned: sent back so that the console reads its own writes
 * (a collection it created is in the next list), whichever read replica serves the next request.
 */
let bookmark: string | null = null;

/** Keeps the later of the bookmark held and one a response carried (they order D1's writes). */
export function rememberBookmark(response: Response) {
  const returned = response.headers.get("X-D1-Bookmark");
  if (returned && (!bookmark || returned > bookmark)) bookmark = returned;
}

export function setCredentials(next: Credentials) {
  Object.assign(credentials, next);
}

/** The headers that authenticate a request (also used by uploads, which go through XHR for progress). */
export async function authHeaders(): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  const token = await credentials.getToken?.();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (credentials.tenantId) headers["X-Tenant-ID"] = credentials.tenantId;
  if (bookmark) headers["X-D1-Bookmark"] = bookmark;
  return headers;
}

/** An API refusal (problem+json) or a failure to reach the API, carrying what the console shows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.name = "ApiError";
  }

  /** Status 0: the request never got an answer (offline, DNS, server down). */
  static network() {
    return new ApiError(0, null);
  }
}

/** Reads a failed response into an ApiError, whatever its body. */
export async function apiErrorFrom(response: Response, body?: unknown): Promise<ApiError> {
  const parsed = body ?? (await response.json().catch(() => null));
  const problem = isProblem(parsed) ? parsed : null;
  const header = Number(response.headers.get("Retry-After"));
  return new ApiError(response.status, problem, Number.isFinite(header) && header > 0 ? header : null);
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "code" in value && "status" in value;
}

const authenticate: Middleware = {
  async onRequest({ request }) {
    for (const [name, value] of Object.entries(await authHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    rememberBookmark(response);
    return response;
  },
};

/** The typed client of the Worker's API (types generated from /openapi.json by `npm run gen:api`). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "http://localhost" });
api.use(authenticate);

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError thrown for TanStack Query to hold.
 * Usage: `unwrap(await api.GET("/api/v1/collections"))`.
 */
export async function unwrap<T>(
  result:
    | Promise<{ data?: T; error?: unknown; response: Response }>
    | { data?: T; error?: unknown; response: Response },
): Promise<T> {
  let settled: { data?: T; error?: unknown; response: Response };
  try {
    settled = await result;
  } catch {
    throw ApiError.network();
  }
  if (settled.error !== undefined || !settled.response.ok) {
    throw await apiErrorFrom(settled.response, settled.error);
  }
  return settled.data as T;
}
