import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from "../../services/webhooks/webhooks.service";
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
import { presentWebhookDelivery, presentWebhookEndpoint } from "./webhooks.presenters";
import {
  CreatedWebhookEndpointSchema,
  CreateWebhookEndpointSchema,
  UpdateWebhookEndpointSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
  WebhookEndpointPageSchema,
  WebhookEndpointSchema,
} from "./webhooks.schemas";

const tags = ["Webhooks"];
const endpointParams = idParams("webhook_id", "whe_01jd3v9k2m4n5p6q7r8s9t0v1w");

// Every route needs the admin role: endpoints receive the tenant's events.
export const webhooksRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/webhooks",
      tags,
      summary: "Register a webhook endpoint (its secret returned once)",
      description:
        "Needs the admin role. Events are posted as JSON, signed in `Ancre-Signature` with the endpoint's secret (docs/webhooks.md).",
      security: tenantSecurity,
      request: { body: jsonBody(CreateWebhookEndpointSchema) },
      responses: {
        201: jsonContent(
          CreatedWebhookEndpointSchema,
          "The endpoint, with its signing secret in clear this once",
        ),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const { row, secret } = await createWebhookEndpoint({
        ...tenantCall(c, "admin"),
        input: c.req.valid("json"),
      });
      return c.json({ ...presentWebhookEndpoint(row), secret }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhooks",
      tags,
      summary: "List the tenant's webhook endpoints",
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(WebhookEndpointPageSchema, "A page of endpoints"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listWebhookEndpoints({ ...tenantCall(c, "admin"), input: { page } });
      return c.json(toPage(rows, page, presentWebhookEndpoint), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhooks/{webhook_id}",
      tags,
      summary: "Get a webhook endpoint",
      security: tenantSecurity,
      request: { params: endpointParams },
      responses: { 200: jsonContent(WebhookEndpointSchema, "The endpoint"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const row = await getWebhookEndpoint({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id },
      });
      return c.json(presentWebhookEndpoint(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/webhooks/{webhook_id}",
      tags,
      summary: "Change a webhook endpoint, or re-enable it",
      security: tenantSecurity,
      request: { params: endpointParams, body: jsonBody(UpdateWebhookEndpointSchema) },
      responses: { 200: jsonContent(WebhookEndpointSchema, "The endpoint"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const row = await updateWebhookEndpoint({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id, ...c.req.valid("json") },
      });
      return c.json(presentWebhookEndpoint(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/webhooks/{webhook_id}",
      tags,
      summary: "Delete a webhook endpoint and its delivery log",
      security: tenantSecurity,
      request: { params: endpointParams },
      responses: { 204: { description: "Deleted" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await deleteWebhookEndpoint({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id },
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/webhooks/{webhook_id}/rotate-secret",
      tags,
      summary: "Replace an endpoint's signing secret (the new one returned once)",
      description: "The old secret stops signing at once.",
      security: tenantSecurity,
      request: { params: endpointParams },
      responses: {
        200: jsonContent(
          CreatedWebhookEndpointSchema,
          "The endpoint, with its new secret in clear this once",
        ),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const { row, secret } = await rotateWebhookSecret({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id },
      });
      return c.json({ ...presentWebhookEndpoint(row), secret }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/webhooks/{webhook_id}/test",
      tags,
      summary: "Send a webhook.test event to the endpoint",
      description:
        "Queued like any event; its delivery shows in the endpoint's log. 409 when the endpoint is disabled.",
      security: tenantSecurity,
      request: { params: endpointParams },
      responses: {
        202: jsonContent(WebhookDeliverySchema, "The delivery, pending"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const row = await sendTestWebhook({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id },
      });
      return c.json(presentWebhookDelivery(row), 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhooks/{webhook_id}/deliveries",
      tags,
      summary: "An endpoint's delivery log, newest first",
      description: "Deliveries are kept 30 days.",
      security: tenantSecurity,
      request: { params: endpointParams, query: PageQuerySchema },
      responses: {
        200: jsonContent(WebhookDeliveryPageSchema, "A page of deliveries"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listWebhookDeliveries({
        ...tenantCall(c, "admin"),
        input: { endpointId: c.req.valid("param").webhook_id, page },
      });
      return c.json(toPage(rows, page, presentWebhookDelivery), 200);
    },
  );
