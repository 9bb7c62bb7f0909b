import { createRoute, z } from "@hono/zod-openapi";
import {
  confirmConnection,
  createConnectSession,
  deleteConnection,
  getSync,
  handleNangoWebhook,
  listConnections,
  startSync,
} from "../../services/integrations/integrations.service";
import { idParams, jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentConnection, presentSync } from "./nango.presenters";
import {
  CallbackQuery,
  ConnectionListSchema,
  ConnectionSchema,
  ConnectSessionSchema,
  providerField,
  SyncRequestSchema,
  SyncSchema,
  WebhookAckSchema,
} from "./nango.schemas";

const BASE = "/integrations/nango";

const TAGS = ["Integrations"];

const NOT_CONFIGURED = "Without NANGO_URL and NANGO_SECRET_KEY: 503 `not_configured`.";

const ProviderParams = z.object({
  provider: providerField.openapi({ param: { name: "provider", in: "path" }, example: "google-drive" }),
});

/** Connectors through Nango: connect, list, disconnect, and import a connection's files into a collection. */
export const nangoRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: `${BASE}/connect/{provider}`,
      tags: TAGS,
      summary: "A Nango Connect session to connect the tenant to a provider",
      description: `The caller is Nango's end user, the tenant its organisation, and only this integration may be connected. Needs an admin. ${NOT_CONFIGURED}`,
      security: tenantSecurity,
      request: { params: ProviderParams },
      responses: {
        200: jsonContent(ConnectSessionSchema, "The session token for Nango's Connect UI"),
        ...problemResponses(403, 502, 503),
      },
    }),
    async (c) => {
      const { provider } = c.req.valid("param");
      const session = await createConnectSession({
        ...tenantCall(c, "admin"),
        input: { integrationId: provider },
      });
      return c.json(
        { provider, token: session.token, expires_at: session.expiresAt, connect_link: session.connectLink },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: `${BASE}/callback`,
      tags: TAGS,
      summary: "Records a connection Connect UI made, once Nango confirms it is the tenant's",
      description: `Nango's auth webhook records connections too; this does it at once, without waiting for it. ${NOT_CONFIGURED}`,
      security: tenantSecurity,
      request: { query: CallbackQuery },
      responses: {
        200: jsonContent(ConnectionSchema, "The connection, recorded"),
        ...problemResponses(403, 404, 502, 503),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const row = await confirmConnection({
        ...tenantCall(c, "admin"),
        input: { integrationId: query.provider, connectionId: query.connection_id },
      });
      return c.json(presentConnection(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: `${BASE}/connections`,
      tags: TAGS,
      summary: "The tenant's connections",
      description: NOT_CONFIGURED,
      security: tenantSecurity,
      responses: { 200: jsonContent(ConnectionListSchema, "The connections"), ...problemResponses(503) },
    }),
    async (c) => {
      const rows = await listConnections(tenantCall(c));
      return c.json({ data: rows.map(presentConnection) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: `${BASE}/connections/{provider}`,
      tags: TAGS,
      summary: "Removes the tenant's connection to a provider, in Nango and here",
      description: `Documents it imported stay. Needs an admin. ${NOT_CONFIGURED}`,
      security: tenantSecurity,
      request: { params: ProviderParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(403, 404, 502, 503) },
    }),
    async (c) => {
      await deleteConnection({
        ...tenantCall(c, "admin"),
        input: { integrationId: c.req.valid("param").provider },
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: `${BASE}/connections/{provider}/sync`,
      tags: TAGS,
      summary: "Imports the connection's files into a collection, in the background",
      description: `Google Drive: files Ancre can ingest, Google Docs and Slides exported to .docx and .pptx. Notion: pages as Markdown. New files are added, changed ones ingested again, and documents whose file left the source deleted. Quotas apply: a sync that meets one stops and says so. One sync per connection at a time: 409. ${NOT_CONFIGURED}`,
      security: tenantSecurity,
      request: { params: ProviderParams, body: jsonBody(SyncRequestSchema) },
      responses: {
        202: jsonContent(SyncSchema, "Queued"),
        ...problemResponses(404, 409, 503),
      },
    }),
    async (c) => {
      const call = tenantCall(c);
      const sync = await startSync({
        ...call,
        input: {
          integrationId: c.req.valid("param").provider,
          collectionId: c.req.valid("json").collection_id,
        },
      });
      const progress = await getSync({ ...call, input: { syncId: sync.id } });
      return c.json(presentSync(progress), 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: `${BASE}/syncs/{sync_id}`,
      tags: TAGS,
      summary: "A sync's progress and the files it could not import",
      description: NOT_CONFIGURED,
      security: tenantSecurity,
      request: { params: idParams("sync_id", "syn_01jd3v9k2m4n5p6q7r8s9t0v1w") },
      responses: { 200: jsonContent(SyncSchema, "The sync"), ...problemResponses(404, 503) },
    }),
    async (c) => {
      const progress = await getSync({
        ...tenantCall(c),
        input: { syncId: c.req.valid("param").sync_id },
      });
      return c.json(presentSync(progress), 200);
    },
  );

/** Nango's webhook: no credentials, the X-Nango-Hmac-Sha256 signature proves the sender. */
export const nangoWebhookRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: `${BASE}/webhook`,
    tags: TAGS,
    summary: "Nango webhook endpoint (auth and sync webhooks, signed by Nango)",
    security: [],
    description: `Set it as the webhook URL of the Nango environment. A forged or unsigned call is a 401 and changes nothing. ${NOT_CONFIGURED}`,
    // No body schema: the signature covers the exact bytes Nango sent.
    request: { headers: z.object({ "x-nango-hmac-sha256": z.string().optional() }) },
    responses: { 200: jsonContent(WebhookAckSchema, "Acknowledged"), ...problemResponses(503) },
  }),
  async (c) => {
    const outcome = await handleNangoWebhook({
      deps: c.var.deps,
      input: {
        payload: new Uint8Array(await c.req.arrayBuffer()),
        signature: c.req.header("x-nango-hmac-sha256"),
      },
    });
    return c.json(outcome, 200);
  },
);
