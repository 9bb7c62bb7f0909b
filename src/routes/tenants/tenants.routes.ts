import { createRoute, z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { createTenant, getTenant, listTenants, type TenantWithRole } from "../../services/tenants";
import {
  idParams,
  jsonBody,
  jsonContent,
  nameField,
  newRouter,
  PageQuerySchema,
  pageOf,
  problemResponses,
  userSecurity,
} from "../openapi";

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: "ten_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    plan: z.enum(["free", "pro"]),
    role: z.enum(["owner", "admin", "member"]).openapi({ description: "The caller's role in the tenant" }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Tenant");

export const TenantPageSchema = pageOf(TenantSchema, "TenantPage");

export const TenantDetailsSchema = TenantSchema.extend({
  limits: z
    .object({
      assistants: z.number().int(),
      collections: z.number().int(),
      documents: z.number().int(),
      storage_bytes: z.number().int(),
      chat_messages: z.number().int(),
      ingested_pages: z.number().int(),
      llm_tokens: z.number().int(),
      requests_per_minute: z.number().int(),
    })
    .openapi({ description: "The limits of the plan in force (see GET /usage for what is used)" }),
  counts: z.object({
    collections: z.number().int(),
    assistants: z.number().int(),
    api_keys: z.number().int(),
  }),
}).openapi("TenantDetails");

const present = (tenant: TenantWithRole) => ({
  id: tenant.id,
  name: tenant.name,
  plan: tenant.plan,
  role: tenant.role,
  created_at: tenant.createdAt,
  updated_at: tenant.updatedAt,
});

export const tenantsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/tenants",
      tags: ["Tenants"],
      summary: "Create a tenant; the caller becomes its owner",
      security: userSecurity,
      request: { body: jsonBody(z.object({ name: nameField() })) },
      responses: { 201: jsonContent(TenantSchema, "The new tenant"), ...problemResponses(403) },
    }),
    async (c) => {
      const tenant = await createTenant({
        identity: c.var.identity,
        deps: c.var.deps,
        input: c.req.valid("json"),
      });
      return c.json(present(tenant), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants",
      tags: ["Tenants"],
      summary: "List the tenants the caller belongs to",
      security: userSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(TenantPageSchema, "A page of tenants"),
        ...problemResponses(),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listTenants({ identity: c.var.identity, deps: c.var.deps, input: { page } });
      return c.json(toPage(rows, page, present), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants/{tenant_id}",
      tags: ["Tenants"],
      summary: "A tenant's details: plan, limits and counts",
      security: userSecurity,
      request: { params: idParams("tenant_id", "ten_01jd3v9k2m4n5p6q7r8s9t0v1w") },
      responses: { 200: jsonContent(TenantDetailsSchema, "The tenant"), ...problemResponses(404) },
    }),
    async (c) => {
      const tenant = await getTenant({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { tenantId: c.req.valid("param").tenant_id },
      });
      return c.json({ ...present(tenant), limits: tenant.limits, counts: tenant.counts }, 200);
    },
  );
