import type { z } from "@hono/zod-openapi";
import { inject } from "vitest";
import {
  CreatedWebhookEndpointSchema,
  WebhookDeliveryPageSchema,
} from "../../src/routes/webhooks/webhooks.schemas";
import type { WebhookEventType } from "../../src/storage/schema/webhooks";
import type { ReceivedWebhook } from "../fakes/webhook-receiver";
import type { TestTenant } from "./tenants";
import { sleep } from "./text";

export type CreatedEndpoint = z.infer<typeof CreatedWebhookEndpointSchema>;
export type DeliveryJson = z.infer<typeof WebhookDeliveryPageSchema>["data"][number];

const receiver = () => inject("webhookReceiverUrl");

/** A fresh endpoint of the receiver fake: its URL, and the name its script and log go by. */
export function receiverEndpoint(): { name: string; url: string } {
  const name = `hook-${crypto.randomUUID().slice(0, 8)}`;
  return { name, url: `${receiver()}/hooks/${name}` };
}

/** The endpoint's next answers, in order (200 after them). */
export async function scriptReceiver(name: string, statuses: number[]): Promise<void> {
  const response = await fetch(`${receiver()}/__script/${name}`, {
    method: "POST",
    body: JSON.stringify({ statuses }),
  });
  if (!response.ok) throw new Error(`receiver script: HTTP ${response.status}`);
}

/** What the endpoint received, oldest first. */
export async function receivedBy(name: string): Promise<ReceivedWebhook[]> {
  return (await (await fetch(`${receiver()}/__log/${name}`)).json()) as ReceivedWebhook[];
}

/** Polls the receiver until `until` holds of what the endpoint received. */
export async function waitForReceived(
  name: string,
  until: (received: ReceivedWebhook[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReceivedWebhook[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = await receivedBy(name);
    if (until(received)) return received;
    if (Date.now() > deadline) {
      throw new Error(`endpoint ${name} received ${received.length} requests, not what was awaited`);
    }
    await sleep(200);
  }
}

/** Registers an endpoint of the receiver fake for these events (201 expected). */
export async function registerEndpoint(
  tenant: TestTenant,
  events: WebhookEventType[],
): Promise<CreatedEndpoint & { name: string }> {
  const { name, url } = receiverEndpoint();
  const endpoint = await tenant.client.expectJson(201, "POST", "webhooks", CreatedWebhookEndpointSchema, {
    json: { url, events },
  });
  return { ...endpoint, name };
}

/** Polls an endpoint's delivery log until `until` holds of it (newest first). */
export async function waitForDeliveries(
  tenant: TestTenant,
  endpointId: string,
  until: (deliveries: DeliveryJson[]) => boolean,
  timeoutMs = 30_000,
): Promise<DeliveryJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await tenant.client.expectJson(
      200,
      "GET",
      `webhooks/${endpointId}/deliveries?limit=100`,
      WebhookDeliveryPageSchema,
    );
    if (until(page.data)) return page.data;
    if (Date.now() > deadline) {
      throw new Error(`deliveries of ${endpointId} not as awaited: ${JSON.stringify(page.data)}`);
    }
    await sleep(200);
  }
}

/** The JSON events an endpoint received, parsed. */
export const eventsOf = (received: ReceivedWebhook[]) =>
  received.map(
    (request) => JSON.parse(request.body) as { id: string; type: string; data: Record<string, unknown> },
  );
