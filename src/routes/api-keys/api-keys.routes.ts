import { createRoute, z } from "@hono/zod-openapi";
import { apiKeyRoles } from "../../auth/roles";
import { toPage, toPageRequest } from "../../lib/pagination";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import type { ApiKeyRow } from "../../storage/repositories/api-keys.repo";
import {
  idParams,
  jsonBody,
  jsonContent,
  nameField,
  newRouter,
  PageQuerySchema,
  pageOf,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";

const ApiKeyRoleSchema = z.enum(apiKeyRoles).openapi({
  description:
    "member: works with collections, documents, assistants, search and chat; admin: also manages API keys. Never above the creator's role; billing is never open to keys.",
});

const CreateApiKeySchema = z
  .object({ name: nameField(100), role: ApiKeyRoleSchema.default("member") })
  .openapi("CreateApiKey");

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    prefix: z.string().openapi({ description: "The first characters of the key", example: "ak_3kq9x2m" }),
    role: ApiKeyRoleSchema,
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The key itself: shown once, store it now" }),
}).openapi("CreatedApiKey");

const present = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  role: row.role,
  created_at: row.createdAt,
  last_used_at: row.lastUsedAt,
});

export const ApiKeyPageSchema = pageOf(ApiKeySchema, "ApiKeyPage");

export const apiKeysRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Create an API key (returned once)",
      description:
        "Needs the admin role. The key's role (member by default) cannot be above the caller's. A key created by a key is revoked with it.",
      security: tenantSecurity,
      request: { body: jsonBody(CreateApiKeySchema) },
      responses: {
        201: jsonContent(CreatedApiKeySchema, "The new key, in clear this once"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const { row, key } = await createApiKey({
        ...tenantCall(c, "admin"),
        input: c.req.valid("json"),
      });
      return c.json({ ...present(row), key }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "List the tenant's active API keys",
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(ApiKeyPageSchema, "A page of keys"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listApiKeys({ ...tenantCall(c, "admin"), input: { page } });
      return c.json(toPage(rows, page, present), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api-keys/{key_id}",
      tags: ["API keys"],
      summary: "Revoke an API key, and the keys it created",
      description:
        "Needs the admin role. A signed-in admin or owner revokes any key of the tenant; an API key revokes only itself and the keys it created (403 otherwise).",
      security: tenantSecurity,
      request: { params: idParams("key_id", "key_01jd3v9k2m4n5p6q7r8s9t0v1w") },
      responses: { 204: { description: "Revoked" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await revokeApiKey({
        ...tenantCall(c, "admin"),
        input: { keyId: c.req.valid("param").key_id },
      });
      return c.body(null, 204);
    },
  );
