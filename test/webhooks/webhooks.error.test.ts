import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config";
import {
  CreatedWebhookEndpointSchema,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
} from "../../src/routes/webhooks/webhooks.schemas";
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "../../src/services/webhooks/deliver";
import { checkEndpointUrl } from "../../src/services/webhooks/endpoint-url";
import { sealSecret } from "../../src/services/webhooks/secret-box";
import { emitWebhookEvent, MAX_EVENT_BYTES } from "../../src/services/webhooks/webhook-events";
import { MAX_ENDPOINTS_PER_TENANT } from "../../src/services/webhooks/webhooks.service";
import { fieldsOf } from "../helpers/api";
import { depsWith } from "../helpers/quotas";
import { createTenant } from "../helpers/tenants";
import {
  receivedBy,
  receiverEndpoint,
  registerEndpoint,
  scriptReceiver,
  waitForDeliveries,
  waitForReceived,
} from "../helpers/webhooks";

describe("webhook endpoint URLs", () => {
  it("are refused unless https, without credentials, with a field error", async () => {
    const tenant = await createTenant();
    for (const url of [
      "http://hooks.example.com/ancre",
      "ftp://hooks.example.com/ancre",
      "https://user:password@hooks.example.com/ancre",
      "not a url",
    ]) {
      const problem = await tenant.client.expectProblem(400, "POST", "webhooks", {
        json: { url, events: ["document.ready"] },
      });
      expect(problem.code, url).toBe("validation_failed");
      expect(fieldsOf(problem), url).toEqual(["json.url"]);
    }
  });

  it("may not name the machine or a private network in production; https to a public host may", () => {
    for (const url of [
      "https://localhost/hook",
      "https://api.localhost/hook",
      "https://127.0.0.1/hook",
      "https://10.0.0.8/hook",
      "https://172.20.0.1/hook",
      "https://192.168.1.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/hook",
      "https://0.0.0.0/hook",
      "https://[::1]/hook",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      "https://[::ffff:10.0.0.1]/hook",
      "https://printer.local/hook",
      "https://db.internal/hook",
      "http://127.0.0.1:8787/hook",
    ]) {
      expect(() => checkEndpointUrl(url, false), url).toThrow(/not accepted/);
    }
    expect(checkEndpointUrl("https://hooks.example.com/ancre", false)).toBe(
      "https://hooks.example.com/ancre",
    );
    expect(checkEndpointUrl("https://8.8.8.8/hook", false)).toBe("https://8.8.8.8/hook");
    // Development may point at a receiver on the machine.
    expect(checkEndpointUrl("http://127.0.0.1:8787/hook", true)).toBe("http://127.0.0.1:8787/hook");
    expect(() => checkEndpointUrl("http://hooks.example.com/hook", true)).toThrow(/use https/);
  });

  it("follow the environment: local receivers only in development and test", () => {
    expect(parseConfig({ ENVIRONMENT: "production" }).webhooks.allowLocalUrls).toBe(false);
    expect(parseConfig({ ENVIRONMENT: "staging" }).webhooks.allowLocalUrls).toBe(false);
    expect(parseConfig({ ENVIRONMENT: "test" }).webhooks.allowLocalUrls).toBe(true);
  });
});

describe("webhook endpoints", () => {
  it("need at least one known event", async () => {
    const tenant = await createTenant();
    const { url } = receiverEndpoint();
    for (const events of [[], ["document.deleted"]]) {
      const problem = await tenant.client.expectProblem(400, "POST", "webhooks", { json: { url, events } });
      expect(fieldsOf(problem)[0]).toMatch(/^json\.events/);
    }
  });

  it(`are at most ${MAX_ENDPOINTS_PER_TENANT} per tenant`, async () => {
    const tenant = await createTenant();
    for (let i = 0; i < MAX_ENDPOINTS_PER_TENANT; i++) await registerEndpoint(tenant, ["document.ready"]);
    const problem = await tenant.client.expectProblem(403, "POST", "webhooks", {
      json: { url: receiverEndpoint().url, events: ["document.ready"] },
    });
    expect(problem.code).toBe("plan_limit_reached");
  });

  it("cannot keep a secret outside development and test without WEBHOOK_SECRETS_KEY", async () => {
    const production = parseConfig({ ENVIRONMENT: "production" });
    await expect(sealSecret(production, "whsec_x")).rejects.toThrow(ConfigError);
    await expect(sealSecret(production, "whsec_x")).rejects.toThrow(/WEBHOOK_SECRETS_KEY/);
  });
});

describe("webhook events", () => {
  it(`are not sent over ${MAX_EVENT_BYTES / 1024} KiB, and emitting one never throws`, async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const ctx = { tenantId: tenant.id };
    const data = { document: { id: "doc_big", error: "x".repeat(MAX_EVENT_BYTES) } };
    await expect(
      emitWebhookEvent({ ctx, deps: depsWith(), input: { type: "document.ready", data } }),
    ).resolves.toBeUndefined();
    await emitWebhookEvent({
      ctx,
      deps: depsWith(),
      input: { type: "document.ready", data: { document: { id: "doc_small" } } },
    });
    const [received] = await waitForReceived(endpoint.name, (all) => all.length === 1);
    expect(JSON.parse(received!.body)).toMatchObject({ data: { document: { id: "doc_small" } } });
    // A queue that fails is logged, not thrown at the emitter.
    const broken = {
      ...depsWith(),
      webhookQueue: { sendBatch: () => Promise.reject(new Error("queue down")) },
    };
    await expect(
      emitWebhookEvent({ ctx, deps: broken as never, input: { type: "document.ready", data: {} } }),
    ).resolves.toBeUndefined();
    expect(await receivedBy(endpoint.name)).toHaveLength(1);
  });
});

describe("failing receivers", () => {
  it("wait longer before each retry, about 19 hours over 8 attempts, 12 hours at most", () => {
    const delays = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(60, i + 1));
    expect(delays).toEqual([60, 300, 900, 3600, 7200, 14400, 43200]);
    expect(delays.reduce((total, delay) => total + delay, 0) / 3600).toBeCloseTo(19.35, 1);
    expect(retryDelaySeconds(600, 7)).toBe(43_200);
  });

  it("count a redirect as a failure: it is not followed", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    await scriptReceiver(endpoint.name, [302]);
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const received = await waitForReceived(endpoint.name, (all) => all.length === 2);
    expect(received.map((request) => request.status)).toEqual([302, 200]);
    const [delivery] = await waitForDeliveries(tenant, endpoint.id, (log) => log[0]?.status === "delivered");
    expect(delivery?.attempts).toBe(2);
  });

  it(`disable the endpoint, saying why, when a delivery fails ${MAX_DELIVERY_ATTEMPTS} times; re-enabled, it receives again`, async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    await scriptReceiver(endpoint.name, Array(MAX_DELIVERY_ATTEMPTS).fill(500));
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);

    const [delivery] = await waitForDeliveries(
      tenant,
      endpoint.id,
      (log) => log[0]?.status === "failed",
      60_000,
    );
    expect(delivery).toMatchObject({
      attempts: MAX_DELIVERY_ATTEMPTS,
      last_status_code: 500,
      last_error: "The endpoint answered HTTP 500",
      next_attempt_at: null,
    });
    expect(await receivedBy(endpoint.name)).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    const disabled = await tenant.client.expectJson(
      200,
      "GET",
      `webhooks/${endpoint.id}`,
      WebhookEndpointSchema,
    );
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabled_reason).toMatch(
      /^Disabled on .+: 8 attempts over [\d.]+ h to deliver webhook\.test \(evt_\w+\) failed; the last: The endpoint answered HTTP 500\. Fix the endpoint, then re-enable it\.$/,
    );
    const refused = await tenant.client.expectProblem(409, "POST", `webhooks/${endpoint.id}/test`);
    expect(refused.code).toBe("conflict");

    const enabled = await tenant.client.expectJson(
      200,
      "PATCH",
      `webhooks/${endpoint.id}`,
      WebhookEndpointSchema,
      {
        json: { enabled: true },
      },
    );
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    const log = await waitForDeliveries(tenant, endpoint.id, (all) => all[0]?.status === "delivered");
    expect(log.map((item) => item.status)).toEqual(["delivered", "failed"]);
  });

  it("disable the endpoint after 20 failed attempts in a row, whichever deliveries; what was queued is not sent", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    // 19 attempts already failed in a row (of earlier deliveries): the next failure is the 20th.
    await env.DB.prepare("UPDATE webhook_endpoints SET consecutive_failures = 19 WHERE id = ?")
      .bind(endpoint.id)
      .run();
    await scriptReceiver(endpoint.name, [503]);
    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);

    const [delivery] = await waitForDeliveries(tenant, endpoint.id, (log) => log[0]?.status === "failed");
    expect(delivery).toMatchObject({ attempts: 2, last_error: "Not sent: the endpoint is disabled" });
    expect(await receivedBy(endpoint.name)).toHaveLength(1);
    const disabled = await tenant.client.expectJson(
      200,
      "GET",
      `webhooks/${endpoint.id}`,
      WebhookEndpointSchema,
    );
    expect(disabled.disabled_reason).toMatch(
      /^Disabled on .+: 20 delivery attempts in a row failed; the last: The endpoint answered HTTP 503\. Fix the endpoint, then re-enable it\.$/,
    );
  });

  it("a rotated secret is shown once, and rotating another tenant's endpoint is a 404", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    await other.client.expectProblem(404, "POST", `webhooks/${endpoint.id}/rotate-secret`);
    const rotated = await tenant.client.expectJson(
      200,
      "POST",
      `webhooks/${endpoint.id}/rotate-secret`,
      CreatedWebhookEndpointSchema,
    );
    const read = await tenant.client.expectJson(200, "GET", `webhooks/${endpoint.id}`, WebhookEndpointSchema);
    expect(JSON.stringify(read)).not.toContain(rotated.secret);
    expect(read.secret_prefix).toBe(rotated.secret.slice(0, 10));
  });
});
