import { createRoute, z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  getTenantDeletion,
  requestTenantDeletion,
  type TenantDeletionProgress,
} from "../../services/tenants/delete-tenant";
import {
  createTenant,
  getTenant,
  listTenants,
  type TenantWithRole,
} from "../../services/tenants/tenants.service";
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

export const TenantDeletionSchema = z
  .object({
    tenant_id: z.string(),
    status: z.literal("deleting"),
    requested_at: z.string().datetime(),
    remaining: z.record(z.string(), z.number().int()).openapi({
      description:
        "Rows of the tenant each table still holds; the tenant and this resource are gone (404) when the deletion ends",
      example: { documents: 12, chunks: 340, conversations: 3, memberships: 1 },
    }),
  })
  .openapi("TenantDeletion");

const presentDeletion = (progress: TenantDeletionProgress) => ({
  tenant_id: progress.tenantId,
  status: "deleting" as const,
  requested_at: progress.requestedAt,
  remaining: progress.remaining,
});

const tenantIdParams = idParams("tenant_id", "ten_01jd3v9k2m4n5p6q7r8s9t0v1w");

export const presentTenant = (tenant: TenantWithRole) => ({
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
      return c.json(presentTenant(tenant), 201);
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
      return c.json(toPage(rows, page, presentTenant), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants/{tenant_id}",
      tags: ["Tenants"],
      summary: "A tenant's details: plan, limits and counts",
      security: userSecurity,
      request: { params: tenantIdParams },
      responses: { 200: jsonContent(TenantDetailsSchema, "The tenant"), ...problemResponses(404, 410) },
    }),
    async (c) => {
      const tenant = await getTenant({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { tenantId: c.req.valid("param").tenant_id },
      });
      return c.json({ ...presentTenant(tenant), limits: tenant.limits, counts: tenant.counts }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/tenants/{tenant_id}",
      tags: ["Tenants"],
      summary: "Delete a tenant and everything in it (owner only, signed in)",
      description:
        "Marks the tenant as being deleted (every other request for it then answers 410) and deletes it in the background: Stripe subscriptions cancelled, conversations, documents, files, vectors, quotas, then the rows. Poll `GET /tenants/{tenant_id}/deletion` until it answers 404. Asking again resumes a stalled deletion.",
      security: userSecurity,
      request: {
        params: tenantIdParams,
        body: jsonBody(
          z.object({
            confirm: z.string().openapi({ description: "The tenant's name, exactly, to confirm" }),
          }),
        ),
      },
      responses: {
        202: jsonContent(TenantDeletionSchema, "The deletion has started"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const progress = await requestTenantDeletion({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { tenantId: c.req.valid("param").tenant_id, confirm: c.req.valid("json").confirm },
      });
      return c.json(presentDeletion(progress), 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tenants/{tenant_id}/deletion",
      tags: ["Tenants"],
      summary: "The progress of a tenant's deletion (owner only); 404 once it is done",
      security: userSecurity,
      request: { params: tenantIdParams },
      responses: {
        200: jsonContent(TenantDeletionSchema, "What is left to delete"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const progress = await getTenantDeletion({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { tenantId: c.req.valid("param").tenant_id },
      });
      return c.json(presentDeletion(progress), 200);
    },
  );
