import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import { getTenantDeletion, requestTenantDeletion } from "../../services/tenants/delete-tenant";
import { createTenant, getTenant, listTenants } from "../../services/tenants/tenants.service";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  userSecurity,
} from "../openapi";
import { presentDeletion, presentTenant } from "./tenants.presenters";
import {
  CreateTenantSchema,
  DeleteTenantSchema,
  TenantDeletionSchema,
  TenantDetailsSchema,
  TenantPageSchema,
  TenantSchema,
} from "./tenants.schemas";

const tenantIdParams = idParams("tenant_id", "ten_01jd3v9k2m4n5p6q7r8s9t0v1w");

export const tenantsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/tenants",
      tags: ["Tenants"],
      summary: "Create a tenant; the caller becomes its owner",
      security: userSecurity,
      request: { body: jsonBody(CreateTenantSchema) },
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
        body: jsonBody(DeleteTenantSchema),
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
