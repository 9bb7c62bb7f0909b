import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config";
import { apiWithEnv } from "../helpers/api";
import { authWebhook, NANGO, sendNangoWebhook } from "../helpers/nango";
import { createCollection, createTenant } from "../helpers/tenants";

describe("connectors without Nango settings", () => {
  it("answer not_configured on every Nango endpoint, and leave the rest of the API alone", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv(
      { NANGO_URL: undefined, NANGO_SECRET_KEY: undefined },
      { "x-tenant-id": tenant.id },
    );
    const calls: [string, string, unknown?][] = [
      ["POST", `${NANGO}/connect/google-drive`],
      ["GET", `${NANGO}/callback?provider=google-drive&connection_id=c1`],
      ["GET", `${NANGO}/connections`],
      ["DELETE", `${NANGO}/connections/google-drive`],
      ["POST", `${NANGO}/connections/google-drive/sync`, { collection_id: "col_1" }],
      ["GET", `${NANGO}/syncs/syn_1`],
    ];
    for (const [method, path, json] of calls) {
      const problem = await client.expectProblem(503, method, path, { json });
      expect(problem, `${method} ${path}`).toMatchObject({ code: "not_configured" });
      expect(problem.detail).toMatch(/^Nango is not configured/);
    }
    const webhook = await sendNangoWebhook(
      client,
      authWebhook({ tenantId: tenant.id, provider: "google-drive", connectionId: "c1" }),
    );
    expect(webhook.status).toBe(503);
    expect((await client.request("GET", "collections")).status).toBe(200);
  });

  it("explains a sync of a provider it cannot import from", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connected = await sendNangoWebhook(
      tenant.client,
      authWebhook({ tenantId: tenant.id, provider: "slack", connectionId: `slack-${tenant.id}` }),
    );
    expect(connected.status).toBe(200);
    const problem = await tenant.client.expectProblem(400, "POST", `${NANGO}/connections/slack/sync`, {
      json: { collection_id: collection.id },
    });
    expect(problem.detail).toBe("Importing from slack is not supported; supported: google-drive, notion");
  });
});

describe("Nango settings", () => {
  it("are both needed: one without the other is a configuration error naming them", () => {
    for (const half of [{ NANGO_URL: "https://api.nango.dev" }, { NANGO_SECRET_KEY: "nango-secret" }]) {
      expect(() => parseConfig({ ENVIRONMENT: "test", ...half })).toThrow(ConfigError);
      expect(() => parseConfig({ ENVIRONMENT: "test", ...half })).toThrow(/NANGO_URL, NANGO_SECRET_KEY/);
    }
  });

  it("sign webhooks with the secret key unless a webhook secret is set", () => {
    const base = { ENVIRONMENT: "test", NANGO_URL: "https://api.nango.dev/", NANGO_SECRET_KEY: "key" };
    expect(parseConfig(base).nango).toEqual({
      url: "https://api.nango.dev",
      secretKey: "key",
      webhookSecret: "key",
    });
    expect(parseConfig({ ...base, NANGO_WEBHOOK_SECRET: "hook" }).nango?.webhookSecret).toBe("hook");
  });
});
