import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { AppError, type ErrorCode, errorStatus } from "../errors";

/** A router whose validation failures become `validation_failed` problems naming each bad field. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        field: [result.target, ...issue.path.map(String)].join("."),
        message: issue.message,
      }));
      const fields = errors.map((error) => error.field).join(", ");
      throw new AppError("validation_failed", `Invalid request: check ${fields}`, { errors });
    },
  });
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://ancre.dev/problems/not-found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .openapi("Problem");

const descriptions: Record<number, string> = {
  400: "Invalid request: malformed JSON, a missing or invalid field (named in `errors`), or no tenant picked",
  401: "Missing, invalid or expired credentials",
  403: "Authenticated but not allowed, or a plan limit reached",
  404: "Not found, or not the caller's",
  409: "Conflicts with the current state",
  410: "The tenant is being deleted",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Quota or rate limit exceeded",
  500: "Unexpected error (logged with the request id)",
  502: "An upstream provider failed",
  503: "A dependency is unavailable or not configured",
};

/** The problem+json responses a route can give, for the OpenAPI document. */
export function problemResponses(...statuses: number[]) {
  const all = [...new Set([400, 401, 500, ...statuses])].sort();
  return Object.fromEntries(
    all.map((status) => [
      status,
      {
        description: descriptions[status] ?? "Error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** The security requirements of a tenant-scoped route: a session token or API key, plus the tenant header. */
export const tenantSecurity: Record<string, string[]>[] = [
  { bearerAuth: [], tenantHeader: [] },
  { apiKeyAuth: [] },
];
export const userSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyAuth: [] }];

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, 1 to 100" }),
  cursor: z.string().max(200).optional().openapi({ description: "`next_cursor` of the previous page" }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z.string().nullable(),
      has_more: z.boolean(),
    })
    .openapi(name);
}

/** Path parameters holding one opaque id. */
export function idParams<K extends string>(name: K, example: string) {
  const id = z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" }, example });
  return z.object({ [name]: id } as Record<K, typeof id>);
}

/** Trimmed, non-empty, bounded name. */
export const nameField = (max = 200) => z.string().trim().min(1).max(max);
