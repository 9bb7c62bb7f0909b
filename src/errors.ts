import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code Ancre answers with, and the HTTP status it maps to. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  tenant_required: 400,
  unauthenticated: 401,
  forbidden: 403,
  plan_limit_reached: 403,
  widget_key_invalid: 403,
  widget_disabled: 403,
  widget_origin_missing: 403,
  widget_origin_not_allowed: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  file_type_mismatch: 415,
  quota_exceeded: 429,
  rate_limited: 429,
  internal_error: 500,
  configuration_invalid: 500,
  upstream_error: 502,
  not_configured: 503,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

const titles: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Request validation failed",
  malformed_json: "Malformed JSON body",
  tenant_required: "Tenant required",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  plan_limit_reached: "Plan limit reached",
  widget_key_invalid: "Unknown widget key",
  widget_disabled: "Widget disabled",
  widget_origin_missing: "Origin required",
  widget_origin_not_allowed: "Origin not allowed",
  not_found: "Not found",
  route_not_found: "Route not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  file_type_mismatch: "File content does not match its extension",
  quota_exceeded: "Quota exceeded",
  rate_limited: "Too many requests",
  internal_error: "Internal server error",
  configuration_invalid: "Invalid server configuration",
  upstream_error: "Upstream provider error",
  not_configured: "Not configured",
  service_unavailable: "Service unavailable",
};

export interface FieldError {
  /** Dotted path of the bad field, prefixed by where it came from: `body.name`, `query.limit`. */
  field: string;
  message: string;
}

/**
 * The one domain error. Services throw it with a code and a sentence for the user;
 * the HTTP edge turns it into problem+json. `extensions` are extra members of the problem.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "AppError";
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string, id: string) =>
  new AppError("not_found", `${what} ${id} was not found`);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  request_id: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** RFC 9457 problem details for an AppError. */
export function toProblem(error: AppError, requestId: string): Problem {
  return {
    type: `https://ancre.dev/problems/${error.code.replaceAll("_", "-")}`,
    title: titles[error.code],
    status: error.status,
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    ...error.extensions,
  };
}

export function problemResponse(error: AppError, requestId: string): Response {
  return new Response(JSON.stringify(toProblem(error, requestId)), {
    status: error.status,
    headers: {
      "content-type": "application/problem+json",
      "x-request-id": requestId,
      ...error.headers,
    },
  });
}
