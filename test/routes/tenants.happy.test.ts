import { describe, expect, it } from "vitest";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import {
  TenantDetailsSchema,
  TenantPageSchema,
  TenantSchema,
} from "../../src/routes/tenants/tenants.schemas";
import { api } from "../helpers/api";
import { clerkClient, signToken } from "../helpers/clerk";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

describe("tenants", () => {
  it("creates a tenant on the free plan, owned by its creator", async () => {
    const tenant = await api().expectJson(201, "POST", "tenants", TenantSchema, {
      json: { name: "Mon Workspace" },
    });
    expect(tenant).toMatchObject({ name: "Mon Workspace", plan: "free", role: "owner" });
    expect(tenant.id).toMatch(/^ten_[0-9a-z]{26}$/);
    expect(new Date(tenant.created_at).toISOString()).toBe(tenant.created_at);
  });

  it("shows details with limits and counts", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    await createAssistant(tenant, [collection.id]);
    const details = await tenant.client.expectJson(200, "GET", `tenants/${tenant.id}`, TenantDetailsSchema);
    expect(details.limits).toEqual({
      assistants: 3,
      collections: 10,
      documents: 100,
      storage_bytes: 100 * 1024 * 1024,
      chat_messages: 500,
      ingested_pages: 1000,
      llm_tokens: 5_000_000,
      requests_per_minute: 60,
    });
    expect(details.counts).toEqual({ collections: 1, assistants: 1, api_keys: 0 });
  });

  it("lists only the tenants the signed-in user belongs to", async () => {
    const alice = clerkClient(await signToken({ sub: "user_list_alice" }));
    const bob = clerkClient(await signToken({ sub: "user_list_bob" }));
    const a1 = await alice.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "A1" } });
    const a2 = await alice.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "A2" } });
    const b1 = await bob.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "B1" } });
    const aliceList = await alice.expectJson(200, "GET", "tenants", TenantPageSchema);
    expect(aliceList.data.map((t) => t.id)).toEqual([a1.id, a2.id]);
    const bobList = await bob.expectJson(200, "GET", "tenants", TenantPageSchema);
    expect(bobList.data.map((t) => t.id)).toEqual([b1.id]);
    await bob.expectProblem(404, "GET", `tenants/${a1.id}`);
  });

  it("lets a user act in a tenant only through a membership", async () => {
    const aliceToken = await signToken({ sub: "user_member_alice" });
    const tenant = await clerkClient(aliceToken).expectJson(201, "POST", "tenants", TenantSchema, {
      json: { name: "T" },
    });
    const asAlice = clerkClient(aliceToken, { "x-tenant-id": tenant.id });
    await asAlice.expectJson(201, "POST", "collections", CollectionSchema, { json: { name: "Docs" } });
    const asMallory = clerkClient(await signToken({ sub: "user_mallory" }), { "x-tenant-id": tenant.id });
    const problem = await asMallory.expectProblem(404, "GET", "collections");
    expect(problem.code).toBe("not_found");
  });
});
