import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { apiWithEnv } from "../helpers/api";
import { uploadRequest } from "../helpers/documents";
import { type Call, recording } from "../helpers/quotas";
import { createCollection, createTenant } from "../helpers/tenants";

const note = (text: string) => new TextEncoder().encode(text);

const statusOf = (id: string) =>
  env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<string>("status");

const documentsOf = (tenantId: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM documents WHERE tenant_id = ?").bind(tenantId).first<number>("n");

describe("an upload's calls to the quota objects", () => {
  it("draws the rate limit with the reservation at the region's lease holder: one call before the file is stored, one after to count it, none to the ledger", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "uploads" },
    });
    const calls: Call[] = [];
    const quotas = {
      TENANT_QUOTA: recording(env.TENANT_QUOTA, calls, "ledger."),
      QUOTA_LEASE: recording(env.QUOTA_LEASE, calls, "holder."),
    };
    // A member of the console (the development bypass) and a program with an API key.
    const callers = { member: { "x-tenant-id": tenant.id }, program: { authorization: `Bearer ${key}` } };
    for (const [caller, headers] of Object.entries(callers)) {
      calls.length = 0;
      const client = apiWithEnv(quotas, headers);
      const response = await uploadRequest(
        client,
        collection.id,
        "note.txt",
        note(`A note from the ${caller}.`),
      );
      expect(response.status).toBe(202);
      expect(response.headers.get("ratelimit-remaining")).not.toBeNull();
      // The commit follows the response (it may not have run yet when the 202 arrives).
      expect(calls.map((call) => call.method)[0]).toBe("holder.admit");
      const { id } = (await response.json()) as { id: string };
      await vi.waitFor(async () => expect(await statusOf(id)).not.toBe("uploading"));
      expect(calls.map((call) => call.method)).toEqual(["holder.admit", "holder.commit"]);
      // The draw went with the reservation.
      expect(calls[0]!.input).toMatchObject({
        rate: { key: expect.any(String) },
        reserve: expect.anything(),
      });
    }
  });

  it("still refuses an upload over the rate limit, storing nothing", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "uploads" },
    });
    const client = apiWithEnv({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "1" }, { authorization: `Bearer ${key}` });
    expect((await uploadRequest(client, collection.id, "one.txt", note("The first note."))).status).toBe(202);
    const refused = await uploadRequest(client, collection.id, "two.txt", note("The second note."));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: "rate_limited" });
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(await documentsOf(tenant.id)).toBe(1);
  });

  it("draws first when identical content must be cleared away: a refused upload leaves it as it was", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "uploads" },
    });
    const client = apiWithEnv({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "1" }, { authorization: `Bearer ${key}` });
    const bytes = note("A note deleted a moment ago.");
    const first = await uploadRequest(client, collection.id, "note.txt", bytes);
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    // Its deletion has started but not finished.
    await env.DB.prepare("UPDATE documents SET status = 'deleting' WHERE id = ?").bind(id).run();
    const refused = await uploadRequest(client, collection.id, "note.txt", bytes);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: "rate_limited" });
    const row = await env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first();
    expect(row).toEqual({ status: "deleting" });
  });
});
