import type { Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId, randomSecret } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  insertDelivery,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  updateEndpoint,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from "../../storage/repositories/webhooks.repo";
import type { WebhookEventType } from "../../storage/schema/webhooks";
import { checkEndpointUrl } from "./endpoint-url";
import { sealSecret } from "./secret-box";
import { TEST_EVENT_TYPE } from "./webhook-delivery-message";
import { deliveryMessage } from "./webhook-events";

/** A tenant registers at most this many endpoints. */
export const MAX_ENDPOINTS_PER_TENANT = 20;

/** A new signing secret and what it is stored as. */
async function newSecret(deps: Verb<unknown>["deps"]) {
  const secret = `whsec_${randomSecret(24)}`;
  return {
    secret,
    secretCiphertext: await sealSecret(deps.config, secret),
    secretPrefix: secret.slice(0, 10),
  };
}

async function endpointOf({ ctx, deps }: Verb<unknown>, endpointId: string): Promise<WebhookEndpointRow> {
  const endpoint = await findEndpoint(deps.db, ctx.tenantId, endpointId);
  if (!endpoint) throw notFound("Webhook endpoint", endpointId);
  return endpoint;
}

/** Registers an endpoint for some events; returns it with its signing secret, in clear this once. */
export async function createWebhookEndpoint({
  ctx,
  deps,
  input,
}: Verb<{ url: string; description?: string | null; events: WebhookEventType[] }>): Promise<{
  row: WebhookEndpointRow;
  secret: string;
}> {
  const url = checkEndpointUrl(input.url, deps.config.webhooks.allowLocalUrls);
  if ((await countEndpoints(deps.db, ctx.tenantId)) >= MAX_ENDPOINTS_PER_TENANT) {
    throw new AppError(
      "plan_limit_reached",
      `A tenant registers at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first`,
    );
  }
  const { secret, secretCiphertext, secretPrefix } = await newSecret(deps);
  const now = nowIso();
  const row: WebhookEndpointRow = {
    id: newId("whe"),
    tenantId: ctx.tenantId,
    url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    secretCiphertext,
    secretPrefix,
    enabled: true,
    disabledReason: null,
    consecutiveFailures: 0,
    createdAt: now,
    updatedAt: now,
  };
  await insertEndpoint(deps.db, row);
  return { row, secret };
}

export function listWebhookEndpoints({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listEndpoints(deps.db, ctx.tenantId, input.page);
}

export function getWebhookEndpoint(call: Verb<{ endpointId: string }>): Promise<WebhookEndpointRow> {
  return endpointOf(call, call.input.endpointId);
}

/**
 * Changes an endpoint's URL, description, events or state. Enabling a disabled endpoint clears
 * the reason it was disabled and its run of failures; disabling it by hand gives no reason.
 */
export async function updateWebhookEndpoint({
  ctx,
  deps,
  input,
}: Verb<{
  endpointId: string;
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  enabled?: boolean;
}>): Promise<WebhookEndpointRow> {
  const url =
    input.url === undefined ? undefined : checkEndpointUrl(input.url, deps.config.webhooks.allowLocalUrls);
  const row = await updateEndpoint(deps.db, ctx.tenantId, input.endpointId, {
    url,
    description: input.description,
    events: input.events && [...new Set(input.events)],
    ...(input.enabled !== undefined && {
      enabled: input.enabled,
      disabledReason: null,
      consecutiveFailures: 0,
    }),
    updatedAt: nowIso(),
  });
  if (!row) throw notFound("Webhook endpoint", input.endpointId);
  return row;
}

export async function deleteWebhookEndpoint({
  ctx,
  deps,
  input,
}: Verb<{ endpointId: string }>): Promise<void> {
  if (!(await deleteEndpoint(deps.db, ctx.tenantId, input.endpointId))) {
    throw notFound("Webhook endpoint", input.endpointId);
  }
}

/** Replaces an endpoint's signing secret at once; returns the new one, in clear this once. */
export async function rotateWebhookSecret({
  ctx,
  deps,
  input,
}: Verb<{ endpointId: string }>): Promise<{ row: WebhookEndpointRow; secret: string }> {
  const { secret, secretCiphertext, secretPrefix } = await newSecret(deps);
  const row = await updateEndpoint(deps.db, ctx.tenantId, input.endpointId, {
    secretCiphertext,
    secretPrefix,
    updatedAt: nowIso(),
  });
  if (!row) throw notFound("Webhook endpoint", input.endpointId);
  return { row, secret };
}

/** Queues a `webhook.test` event to one enabled endpoint; returns its delivery, pending. */
export async function sendTestWebhook(call: Verb<{ endpointId: string }>): Promise<WebhookDeliveryRow> {
  const { ctx, deps } = call;
  const endpoint = await endpointOf(call, call.input.endpointId);
  if (!endpoint.enabled) {
    throw new AppError("conflict", "The endpoint is disabled: re-enable it before sending a test event");
  }
  const now = nowIso();
  const message = deliveryMessage(endpoint.id, {
    id: newId("evt"),
    type: TEST_EVENT_TYPE,
    created_at: now,
    tenant_id: ctx.tenantId,
    data: { endpoint_id: endpoint.id, message: "A test event sent from Ancre" },
  });
  const row: WebhookDeliveryRow = {
    id: message.delivery_id,
    tenantId: ctx.tenantId,
    endpointId: endpoint.id,
    eventId: message.event.id,
    eventType: message.event.type,
    status: "pending",
    attempts: 0,
    lastStatusCode: null,
    lastError: null,
    nextAttemptAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await insertDelivery(deps.db, row);
  await deps.webhookQueue.send(message);
  return row;
}

/** A page of an endpoint's delivery log, newest first. */
export async function listWebhookDeliveries(call: Verb<{ endpointId: string; page: PageRequest }>) {
  const endpoint = await endpointOf(call, call.input.endpointId);
  return listDeliveries(call.deps.db, call.ctx.tenantId, endpoint.id, call.input.page);
}
