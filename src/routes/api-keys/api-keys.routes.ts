import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys/api-keys.service";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentApiKey } from "./api-keys.presenters";
import { ApiKeyPageSchema, CreateApiKeySchema, CreatedApiKeySchema } from "./api-keys.schemas";

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
      return c.json({ ...presentApiKey(row), key }, 201);
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
      return c.json(toPage(rows, page, presentApiKey), 200);
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
