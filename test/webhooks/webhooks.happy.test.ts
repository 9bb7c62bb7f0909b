import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyAncreSignature } from "../../docs/examples/verify-ancre-signature";
import {
  CreatedWebhookEndpointSchema,
  WebhookDeliverySchema,
  WebhookEndpointPageSchema,
  WebhookEndpointSchema,
} from "../../src/routes/webhooks/webhooks.schemas";
import { commitQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import { trimWebhookDeliveries } from "../../src/services/webhooks/retention";
import { ask } from "../helpers/chat";
import { countOf } from "../helpers/db";
import { upload, waitForDocument } from "../helpers/documents";
import { connectTenant, setSourceFiles, startSync, waitForSync } from "../helpers/nango";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";
import {
  eventsOf,
  receivedBy,
  registerEndpoint,
  scriptReceiver,
  waitForDeliveries,
  waitForReceived,
} from "../helpers/webhooks";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

const conversationRows = (id: string) => countOf("SELECT COUNT(*) AS n FROM conversations WHERE id = ?", id);

describe("webhook endpoints", () => {
  it("show their signing secret once; lists and reads give only its prefix", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready", "document.failed"]);
    expect(endpoint.secret).toMatch(/^whsec_[0-9a-z]{30,}$/);
    expect(endpoint.secret.startsWith(endpoint.secret_prefix)).toBe(true);
    expect(endpoint).toMatchObject({
      enabled: true,
      disabled_reason: null,
      events: ["document.ready", "document.failed"],
    });

    const read = await tenant.client.expectJson(200, "GET", `webhooks/${endpoint.id}`, WebhookEndpointSchema);
    const list = await tenant.client.expectJson(200, "GET", "webhooks", WebhookEndpointPageSchema);
    expect(list.data.map((item) => item.id)).toEqual([endpoint.id]);
    for (const body of [read, list]) expect(JSON.stringify(body)).not.toContain(endpoint.secret);

    const changed = await tenant.client.expectJson(
      200,
      "PATCH",
      `webhooks/${endpoint.id}`,
      WebhookEndpointSchema,
      {
        json: { events: ["sync.completed"], description: "Our CRM" },
      },
    );
    expect(changed).toMatchObject({ events: ["sync.completed"], description: "Our CRM" });
    await tenant.client.expectNoContent("DELETE", `webhooks/${endpoint.id}`);
    await tenant.client.expectProblem(404, "GET", `webhooks/${endpoint.id}`);
  });

  it("send a test event signed with the endpoint's secret, which the documented code verifies", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const delivery = await tenant.client.expectJson(
      202,
      "POST",
      `webhooks/${endpoint.id}/test`,
      WebhookDeliverySchema,
    );
    expect(delivery).toMatchObject({ status: "pending", event_type: "webhook.test", attempts: 0 });

    const [request] = await waitForReceived(endpoint.name, (received) => received.length === 1);
    const signature = request!.headers["ancre-signature"] ?? null;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyAncreSignature(request!.body, signature, endpoint.secret)).toBe(true);
    // A body changed on the way, another secret or a stale timestamp do not verify.
    expect(await verifyAncreSignature(`${request!.body} `, signature, endpoint.secret)).toBe(false);
    expect(await verifyAncreSignature(request!.body, signature, "whsec_another")).toBe(false);
    expect(
      await verifyAncreSignature(
        request!.body,
        signature,
        endpoint.secret,
        new Date(Date.now() + 10 * 60_000),
      ),
    ).toBe(false);
    expect(JSON.parse(request!.body)).toMatchObject({
      id: delivery.event_id,
      type: "webhook.test",
      tenant_id: tenant.id,
    });
    const [logged] = await waitForDeliveries(tenant, endpoint.id, (log) => log[0]?.status === "delivered");
    expect(logged).toMatchObject({ id: delivery.id, attempts: 1, last_status_code: 200, last_error: null });
  });

  it("retry a receiver that fails, until it succeeds, and log each delivery's attempts", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    await scriptReceiver(endpoint.name, [500, 503]);
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);

    const received = await waitForReceived(endpoint.name, (all) => all.length === 3);
    expect(received.map((request) => request.status)).toEqual([500, 503, 200]);
    // The same event each time, each attempt signed afresh with the endpoint's secret.
    expect(new Set(eventsOf(received).map((event) => event.id)).size).toBe(1);
    for (const request of received) {
      expect(
        await verifyAncreSignature(request.body, request.headers["ancre-signature"] ?? null, endpoint.secret),
      ).toBe(true);
    }
    const [delivery] = await waitForDeliveries(tenant, endpoint.id, (log) => log[0]?.status === "delivered");
    expect(delivery).toMatchObject({
      attempts: 3,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
    });
    const after = await tenant.client.expectJson(
      200,
      "GET",
      `webhooks/${endpoint.id}`,
      WebhookEndpointSchema,
    );
    expect(after).toMatchObject({ enabled: true, consecutive_failures: 0 });
  });

  it("sign with the new secret once it is rotated, and never again with the old one", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const rotated = await tenant.client.expectJson(
      200,
      "POST",
      `webhooks/${endpoint.id}/rotate-secret`,
      CreatedWebhookEndpointSchema,
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const [request] = await waitForReceived(endpoint.name, (all) => all.length === 1);
    const signature = request!.headers["ancre-signature"] ?? null;
    expect(await verifyAncreSignature(request!.body, signature, rotated.secret)).toBe(true);
    expect(await verifyAncreSignature(request!.body, signature, endpoint.secret)).toBe(false);
  });
});

describe("webhook events", () => {
  it("announce a document ready, and one that failed, to the endpoints that subscribed", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const documents = await registerEndpoint(tenant, ["document.ready", "document.failed"]);
    const syncsOnly = await registerEndpoint(tenant, ["sync.completed"]);

    const readable = await upload(
      tenant,
      collection.id,
      "notes.md",
      encode("# Notes\n\nThe lighthouse opens at dawn."),
    );
    expect((await waitForDocument(tenant, readable.id)).status).toBe("ready");
    const empty = await upload(tenant, collection.id, "empty.md", encode("   \n\n  "));
    expect((await waitForDocument(tenant, empty.id)).status).toBe("failed");

    const events = eventsOf(await waitForReceived(documents.name, (all) => all.length === 2));
    const byType = Object.fromEntries(events.map((event) => [event.type, event.data]));
    expect(byType["document.ready"]).toMatchObject({
      document: { id: readable.id, collection_id: collection.id, filename: "notes.md", status: "ready" },
    });
    expect(byType["document.failed"]).toMatchObject({ document: { id: empty.id, status: "failed" } });
    expect((byType["document.failed"] as { document: { error: string } }).document.error).toBeTruthy();
    expect(await receivedBy(syncsOnly.name)).toEqual([]);
  });

  it("announce a widget visitor's new conversation once, not the turns that follow", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const widget = await publishWidget(tenant, assistant.id);
    const endpoint = await registerEndpoint(tenant, ["conversation.created"]);
    const visitor = visitorClient(await openSession(SITE, widget.publishable_key!, "visitor-42"));

    const first = await ask(visitor, assistant.id, { message: "Hello there" });
    await ask(visitor, assistant.id, { message: "And again", conversation_id: first.conversation_id });
    // A member's own conversation is not a visitor's.
    await ask(tenant.client, assistant.id, { message: "Internal question" });

    const [event] = eventsOf(await waitForReceived(endpoint.name, (all) => all.length >= 1));
    expect(event).toMatchObject({
      type: "conversation.created",
      data: { conversation: { id: first.conversation_id, assistant_id: assistant.id, title: "Hello there" } },
    });
    // Every other event would have been sent with the first: a test event sent now arrives after it alone.
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const all = eventsOf(
      await waitForReceived(endpoint.name, (received) =>
        received.some((r) => r.body.includes("webhook.test")),
      ),
    );
    expect(all.map((received) => received.type)).toEqual(["conversation.created", "webhook.test"]);
  });

  it("announce a visitor's conversation only once its row is in D1, where a receiver can read it", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const widget = await publishWidget(tenant, assistant.id);
    const endpoint = await registerEndpoint(tenant, ["conversation.created"]);
    const visitor = visitorClient(await openSession(SITE, widget.publishable_key!, "visitor-held"));
    // D1 refuses this conversation's row for now: the conversation's object keeps it and retries.
    const title = `Held back ${crypto.randomUUID()}`;
    const trigger = `hold_${crypto.randomUUID().replaceAll("-", "")}`;
    await env.DB.exec(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON conversations WHEN NEW.title = '${title}' BEGIN SELECT RAISE(ABORT, 'held by the test'); END;`,
    );
    try {
      const first = await ask(visitor, assistant.id, { message: title });
      expect(await conversationRows(first.conversation_id)).toBe(0);
      // A test event sent now arrives after any event sent before it: none was.
      await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
      const before = eventsOf(
        await waitForReceived(endpoint.name, (received) =>
          received.some((r) => r.body.includes("webhook.test")),
        ),
      );
      expect(before.map((received) => received.type)).toEqual(["webhook.test"]);
    } finally {
      await env.DB.exec(`DROP TRIGGER ${trigger};`);
    }
    // The object's next retry writes the row, then announces the conversation.
    const [, announced] = eventsOf(await waitForReceived(endpoint.name, (all) => all.length >= 2, 90_000));
    expect(announced).toMatchObject({ type: "conversation.created", data: { conversation: { title } } });
    const id = (announced!.data as { conversation: { id: string } }).conversation.id;
    expect(await conversationRows(id)).toBe(1);
  }, 120_000);

  it("announce a monthly quota passing 80 % and 100 %, once per threshold and period", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["quota.threshold"]);
    const deps = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "5" });
    const ctx = quotaCtx(tenant.id);
    const use = async (messages: number) => {
      const reservation = await reserveQuota({ ctx, deps, input: { amounts: { chat_messages: messages } } });
      await commitQuota({ ctx, deps, input: { reservationId: reservation.id } });
    };
    await use(3); // 60 %: nothing
    await use(1); // 80 %
    await use(1); // 100 %
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const events = eventsOf(
      await waitForReceived(endpoint.name, (all) =>
        all.some((request) => request.body.includes("webhook.test")),
      ),
    );
    expect(events.filter((event) => event.type === "quota.threshold").map((event) => event.data)).toEqual([
      expect.objectContaining({ metric: "chat_messages", threshold: 80, used: 4, limit: 5, plan: "free" }),
      expect.objectContaining({ metric: "chat_messages", threshold: 100, used: 5, limit: 5, plan: "free" }),
    ]);

    // Past both thresholds, later usage announces nothing more this period.
    const more = depsWith({ MAX_CHAT_MESSAGES_PER_MONTH: "10" });
    const reservation = await reserveQuota({ ctx, deps: more, input: { amounts: { chat_messages: 4 } } });
    await commitQuota({ ctx, deps: more, input: { reservationId: reservation.id } });
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const later = eventsOf(
      await waitForReceived(
        endpoint.name,
        (all) => all.filter((request) => request.body.includes("webhook.test")).length === 2,
      ),
    );
    expect(later.filter((event) => event.type === "quota.threshold")).toHaveLength(2);
  });

  it("announce a connector's sync when it ends", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const endpoint = await registerEndpoint(tenant, ["sync.completed"]);
    const connectionId = await connectTenant(tenant, "google-drive");
    await setSourceFiles(connectionId, []);
    const sync = await waitForSync(
      tenant.client,
      (await startSync(tenant.client, "google-drive", collection.id)).id,
    );
    expect(sync.status).toBe("completed");
    const [event] = eventsOf(await waitForReceived(endpoint.name, (all) => all.length === 1));
    expect(event).toMatchObject({
      type: "sync.completed",
      data: {
        sync: { id: sync.id, provider: "google-drive", collection_id: collection.id, status: "completed" },
      },
    });
  });
});

describe("the delivery log", () => {
  it("keeps deliveries for 30 days: the cron trims older ones", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const insert = (id: string, at: string) =>
      env.DB.prepare(
        `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempts, created_at, updated_at)
         VALUES (?, ?, ?, 'evt_x', 'document.ready', 'delivered', 1, ?, ?)`,
      )
        .bind(id, tenant.id, endpoint.id, at, at)
        .run();
    const now = new Date("2026-06-30T12:00:00.000Z");
    await insert(`whd_old${crypto.randomUUID().slice(0, 8)}`, "2026-05-31T11:59:59.000Z");
    await insert(`whd_new${crypto.randomUUID().slice(0, 8)}`, "2026-05-31T12:00:01.000Z");
    await trimWebhookDeliveries({ deps: depsWith(), input: { now } });
    expect(
      await countOf(
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND id LIKE 'whd_old%'",
        endpoint.id,
      ),
    ).toBe(0);
    expect(
      await countOf(
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND id LIKE 'whd_new%'",
        endpoint.id,
      ),
    ).toBe(1);
  });
});
