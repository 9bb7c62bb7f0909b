import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { WebhookDeliveryPageSchema, WebhookDeliverySchema } from "../../src/routes/webhooks/webhooks.schemas";
import { api } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { receiverEndpoint, registerEndpoint, waitForDeliveries } from "../helpers/webhooks";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

describe("webhook endpoints", () => {
  it("are managed by admins only: a member's key is refused on every route", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "member key", role: "member" },
    });
    const member = api({ authorization: `Bearer ${key}` });
    const routes: [string, string, unknown?][] = [
      ["POST", "webhooks", { url: receiverEndpoint().url, events: ["document.ready"] }],
      ["GET", "webhooks"],
      ["GET", `webhooks/${endpoint.id}`],
      ["PATCH", `webhooks/${endpoint.id}`, { enabled: false }],
      ["DELETE", `webhooks/${endpoint.id}`],
      ["POST", `webhooks/${endpoint.id}/rotate-secret`],
      ["POST", `webhooks/${endpoint.id}/test`],
      ["GET", `webhooks/${endpoint.id}/deliveries`],
    ];
    for (const [method, path, json] of routes) {
      const problem = await member.expectProblem(403, method, path, { json });
      expect(problem.code, `${method} ${path}`).toBe("forbidden");
    }
  });

  it("are out of a widget visitor's reach", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const widget = await publishWidget(tenant, assistant.id);
    const visitor = visitorClient(await openSession(SITE, widget.publishable_key!));
    const response = await visitor.request("GET", "webhooks");
    expect([403, 404]).toContain(response.status);
  });

  it("keep their signing secret encrypted: neither D1 nor any answer but the first holds it", async () => {
    const tenant = await createTenant();
    const endpoint = await registerEndpoint(tenant, ["document.ready"]);
    const row = await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
      .bind(endpoint.id)
      .first();
    expect(JSON.stringify(row)).not.toContain(endpoint.secret);
    expect(JSON.stringify(row)).not.toContain(endpoint.secret.slice(10));

    await tenant.client.expectJson(202, "POST", `webhooks/${endpoint.id}/test`, WebhookDeliverySchema);
    await waitForDeliveries(tenant, endpoint.id, (log) => log[0]?.status === "delivered");
    const deliveries = await tenant.client.expectJson(
      200,
      "GET",
      `webhooks/${endpoint.id}/deliveries`,
      WebhookDeliveryPageSchema,
    );
    expect(JSON.stringify(deliveries)).not.toContain(endpoint.secret);
  });
});
