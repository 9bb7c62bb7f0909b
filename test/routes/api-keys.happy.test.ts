import { describe, expect, it } from "vitest";
import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { TenantDetailsSchema } from "../../src/routes/tenants/tenants.schemas";
import { api } from "../helpers/api";
import { createTenant } from "../helpers/tenants";

describe("API keys", () => {
  it("creates a key shown once, authenticates with it, lists and revokes it", async () => {
    const tenant = await createTenant();
    const created = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "backend" },
    });
    expect(created.key).toMatch(/^ak_[0-9a-z]{32}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);

    const withKey = api({ authorization: `Bearer ${created.key}` });
    const collection = await withKey.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "via key" },
    });
    const seenByOwner = await tenant.client.expectJson(
      200,
      "GET",
      `collections/${collection.id}`,
      CollectionSchema,
    );
    expect(seenByOwner.name).toBe("via key");

    const list = await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ id: created.id, name: "backend", prefix: created.prefix });
    expect(list.data[0]).not.toHaveProperty("key");
    expect(list.data[0]!.last_used_at).not.toBeNull();

    await tenant.client.expectNoContent("DELETE", `api-keys/${created.id}`);
    const refused = await withKey.expectProblem(401, "GET", "collections");
    expect(refused.code).toBe("unauthenticated");
    expect((await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema)).data).toHaveLength(0);
  });

  it("decides the tenant from the key and refuses a disagreeing X-Tenant-ID", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const { key } = await a.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "k" },
    });
    const details = await api({ authorization: `Bearer ${key}` }).expectJson(
      200,
      "GET",
      `tenants/${a.id}`,
      TenantDetailsSchema,
    );
    expect(details.id).toBe(a.id);
    const problem = await api({ authorization: `Bearer ${key}`, "x-tenant-id": b.id }).expectProblem(
      403,
      "GET",
      "collections",
    );
    expect(problem.code).toBe("forbidden");
  });

  it("rejects unknown keys and does not let a key create tenants", async () => {
    await api({ authorization: "Bearer ak_00000000000000000000000000000000" }).expectProblem(
      401,
      "GET",
      "tenants",
    );
    const tenant = await createTenant();
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "k" },
    });
    await api({ authorization: `Bearer ${key}` }).expectProblem(403, "POST", "tenants", {
      json: { name: "x" },
    });
  });

  it("stores only a hash of the key", async () => {
    const tenant = await createTenant();
    const { key, id } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "k" },
    });
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?")
      .bind(id)
      .first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
