import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv } from "../helpers/api";
import { uploadRequest } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

const encoder = new TextEncoder();

describe("requests per minute", () => {
  it("limits each API key to the plan's rate, with Retry-After once over it", async () => {
    const tenant = await createTenant();
    const limits = { MAX_REQUESTS_PER_MINUTE_PER_KEY: "3" };
    const owner = apiWithEnv(limits, { "x-tenant-id": tenant.id });
    const { key: first } = await owner.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "first" },
    });
    const { key: second } = await owner.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "second" },
    });
    const withFirst = apiWithEnv(limits, { authorization: `Bearer ${first}` });

    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push(await withFirst.request("GET", "collections"));
    expect(allowed.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(allowed.map((r) => r.headers.get("RateLimit-Remaining"))).toEqual(["2", "1", "0"]);
    expect(allowed[0]!.headers.get("RateLimit-Limit")).toBe("3");

    const limited = await withFirst.request("GET", "collections");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    // Three per minute: a token comes back every 20 seconds.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(await limited.json()).toMatchObject({ code: "rate_limited", limit: 3 });

    // Another key of the same tenant has its own bucket; the dashboard (no key) is not limited here.
    const withSecond = apiWithEnv(limits, { authorization: `Bearer ${second}` });
    expect((await withSecond.request("GET", "collections")).status).toBe(200);
    for (let i = 0; i < 5; i++) await owner.expectJson(200, "GET", "collections", CollectionPageSchema);
  });

  it("limits uploads of callers without an API key too", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "2" }, { "x-tenant-id": tenant.id });
    const collection = await createCollection(tenant);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await uploadRequest(client, collection.id, `n${i}.txt`, encoder.encode(`note ${i}`));
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("Retry-After")).toMatch(/^\d+$/);
        expect(await response.json()).toMatchObject({ code: "rate_limited" });
      }
    }
    expect(statuses).toEqual([202, 202, 429]);
    const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.documents.used).toBe(2);
    expect(usage.rate_limit).toEqual({ requests_per_minute: 2 });
  });
});
