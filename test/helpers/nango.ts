import { env } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import { ConnectionListSchema, SyncSchema } from "../../src/routes/integrations/nango.schemas";
import type { FakeSourceFile, LoggedNangoRequest } from "../fakes/nango";
import type { ApiClient } from "./api";
import { sleep } from "./text";

export type SyncJson = z.infer<typeof SyncSchema>;

export const NANGO = "integrations/nango";

// The Worker's NANGO_URL is the fake's (see vitest.config.ts): tests reach the same instance through it.
const fakeUrl = (path: string) => `${env.NANGO_URL}${path}`;

const encoder = new TextEncoder();

/** Nango's signature of a webhook body: hex HMAC-SHA256 under the webhook secret. */
export async function signNangoBody(body: string, secret = env.NANGO_WEBHOOK_SECRET ?? ""): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Posts a webhook as Nango does: the JSON body signed in X-Nango-Hmac-Sha256 (unless `signature` is given). */
export async function sendNangoWebhook(
  client: ApiClient,
  body: unknown,
  options: { secret?: string; signature?: string | null } = {},
): Promise<Response> {
  const payload = JSON.stringify(body);
  const signature =
    options.signature === undefined ? await signNangoBody(payload, options.secret) : options.signature;
  return client.request("POST", `${NANGO}/webhook`, {
    body: payload,
    headers: {
      "content-type": "application/json",
      ...(signature === null ? {} : { "x-nango-hmac-sha256": signature }),
    },
  });
}

/** The auth webhook Nango sends once a connect session of this tenant has connected (or failed to). */
export const authWebhook = (
  connection: { tenantId: string; provider: string; connectionId: string },
  success = true,
) => ({
  from: "nango",
  type: "auth",
  operation: "creation",
  connectionId: connection.connectionId,
  authMode: "OAUTH2",
  providerConfigKey: connection.provider,
  provider: connection.provider,
  environment: "dev",
  success,
  tags: { end_user_id: "dev", organization_id: connection.tenantId },
  endUser: { endUserId: "dev", organizationId: connection.tenantId, tags: {} },
  ...(success ? {} : { error: { type: "oauth_error", description: "The user denied access" } }),
});

/** Adds a connection in Nango's fake, as Connect UI would once the user has authorised, for this tenant. */
export async function createNangoConnection(tenantId: string, provider: string): Promise<string> {
  const response = await fetch(fakeUrl("/__connections"), {
    method: "POST",
    body: JSON.stringify({
      provider_config_key: provider,
      provider,
      tags: { end_user_id: "dev", organization_id: tenantId },
    }),
  });
  if (!response.ok) throw new Error(`fake connection: HTTP ${response.status}`);
  return ((await response.json()) as { connection_id: string }).connection_id;
}

/** Connects the tenant to a provider: the connection in Nango, then Nango's signed auth webhook. */
export async function connectTenant(
  tenant: { id: string; client: ApiClient },
  provider: string,
): Promise<string> {
  const connectionId = await createNangoConnection(tenant.id, provider);
  const response = await sendNangoWebhook(
    tenant.client,
    authWebhook({ tenantId: tenant.id, provider, connectionId }),
  );
  if (response.status !== 200)
    throw new Error(`auth webhook: HTTP ${response.status} ${await response.text()}`);
  return connectionId;
}

/** Sets what the connection's source holds (files of ../shared/corpus). */
export async function setSourceFiles(connectionId: string, files: FakeSourceFile[]): Promise<void> {
  const response = await fetch(fakeUrl(`/__files/${encodeURIComponent(connectionId)}`), {
    method: "PUT",
    body: JSON.stringify(files),
  });
  if (!response.ok) throw new Error(`fake files: HTTP ${response.status}`);
}

/** The requests Nango's fake served. */
export async function nangoRequests(): Promise<LoggedNangoRequest[]> {
  return (await (await fetch(fakeUrl("/__log"))).json()) as LoggedNangoRequest[];
}

/** The requests Nango's fake served for this connection. */
export async function nangoRequestsOf(connectionId: string): Promise<LoggedNangoRequest[]> {
  const log = await nangoRequests();
  return log.filter((entry) => entry.connectionId === connectionId || entry.path.includes(connectionId));
}

export async function startSync(
  client: ApiClient,
  provider: string,
  collectionId: string,
): Promise<SyncJson> {
  return client.expectJson(202, "POST", `${NANGO}/connections/${provider}/sync`, SyncSchema, {
    json: { collection_id: collectionId },
  });
}

const RUNNING = ["queued", "listing", "importing", "removing"];

/** Polls a sync until it has finished (completed, stopped or failed). */
export async function waitForSync(client: ApiClient, syncId: string, timeoutMs = 60_000): Promise<SyncJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sync = await client.expectJson(200, "GET", `${NANGO}/syncs/${syncId}`, SyncSchema);
    if (!RUNNING.includes(sync.status)) return sync;
    if (Date.now() > deadline) throw new Error(`sync ${syncId} still ${sync.status} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The tenant's connections, as the API lists them. */
export async function listConnections(client: ApiClient) {
  return (await client.expectJson(200, "GET", `${NANGO}/connections`, ConnectionListSchema)).data;
}
