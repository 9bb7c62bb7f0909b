import type { Deps, TenantContext } from "../../context";
import { newId } from "../../lib/ids";
import { nowIso } from "../../lib/time";
import { cachedLookup } from "../../storage/lookup-cache";
import { subscribedEndpoints } from "../../storage/repositories/webhooks.repo";
import type { WebhookEventType } from "../../storage/schema/webhooks";
import type { WebhookDeliveryMessage, WebhookEvent } from "./webhook-delivery-message";

/** An event's body may not pass this (a queue message holds 128 KB); events are far smaller. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** An event as its emitter describes it. */
export interface EventInput {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/** The tenant's enabled endpoints and their events, read at most once per lookup bound. */
const endpointsOf = (deps: Deps, tenantId: string) =>
  cachedLookup(deps, `webhooks:${tenantId}`, () => subscribedEndpoints(deps.db, tenantId));

/** Whether any enabled endpoint of the tenant listens to `type` (a cached read). */
export async function hasSubscribers(deps: Deps, tenantId: string, type: WebhookEventType): Promise<boolean> {
  return (await endpointsOf(deps, tenantId)).some((endpoint) => endpoint.events.includes(type));
}

/** The queue message delivering `event` to one endpoint. */
export const deliveryMessage = (endpointId: string, event: WebhookEvent): WebhookDeliveryMessage => ({
  kind: "webhook_delivery",
  tenant_id: event.tenant_id,
  endpoint_id: endpointId,
  delivery_id: newId("whd"),
  event,
});

/**
 * Sends an event to every enabled endpoint of the tenant that subscribed to it: one message per
 * endpoint on the webhooks queue, delivered and retried by its consumer. Emitters call it where the
 * event happens; it never throws and, for a tenant without subscribers, costs one cached read:
 * a webhook must never break or slow what it reports.
 */
export async function emitWebhookEvent({
  ctx,
  deps,
  input,
}: {
  ctx: Pick<TenantContext, "tenantId">;
  deps: Deps;
  input: EventInput;
}): Promise<void> {
  try {
    const endpoints = (await endpointsOf(deps, ctx.tenantId)).filter((endpoint) =>
      endpoint.events.includes(input.type),
    );
    if (endpoints.length === 0) return;
    const event: WebhookEvent = {
      id: newId("evt"),
      type: input.type,
      created_at: nowIso(),
      tenant_id: ctx.tenantId,
      data: input.data,
    };
    const size = new TextEncoder().encode(JSON.stringify(event)).length;
    if (size > MAX_EVENT_BYTES) {
      console.error(`webhook event ${event.type} of tenant ${ctx.tenantId} is ${size} bytes: not sent`);
      return;
    }
    await deps.webhookQueue.sendBatch(
      endpoints.map((endpoint) => ({ body: deliveryMessage(endpoint.id, event) })),
    );
  } catch (error) {
    console.error(`could not emit the webhook event ${input.type} of tenant ${ctx.tenantId}`, error);
  }
}
