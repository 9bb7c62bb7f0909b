import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import {
  BillingStatusSchema,
  CheckoutSessionSchema,
  SessionSchema,
} from "../../src/routes/billing/billing.schemas";
import { CollectionPageSchema, CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { createApiKey } from "../../src/services/api-keys/api-keys.service";
import { type ApiClient, api, apiWithEnv, expectBody, fieldsOf } from "../helpers/api";
import { stripeEnv } from "../helpers/billing";
import { clerkEnv, signToken } from "../helpers/clerk";
import { depsWith } from "../helpers/quotas";
import { createTenant, type TestTenant } from "../helpers/tenants";

const withKey = (key: string) => api({ authorization: `Bearer ${key}` });

const createKey = (creator: ApiClient, role?: "member" | "admin" | "owner") =>
  creator.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
    json: { name: `k-${role ?? "default"}`, role },
  });

/** A signed-in user with `role` in the tenant, with billing configured against the Stripe fake. */
async function signedIn(tenant: TestTenant, role: "admin" | "member"): Promise<ApiClient> {
  const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare(
    "INSERT INTO memberships (id, tenant_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(`mem_${crypto.randomUUID().slice(0, 8)}`, tenant.id, userId, role, new Date().toISOString())
    .run();
  const token = await signToken({ sub: userId });
  return apiWithEnv(
    { ...clerkEnv(), ...stripeEnv() },
    { authorization: `Bearer ${token}`, "x-tenant-id": tenant.id },
  );
}

const checkout = { success_url: "https://app.example/ok" };
const portal = { return_url: "https://app.example/settings" };

describe("API key roles", () => {
  it("makes member keys by default, which work but cannot manage keys", async () => {
    const tenant = await createTenant();
    const other = await createKey(tenant.client, "admin");
    const member = await createKey(tenant.client);
    expect(member.role).toBe("member");
    const client = withKey(member.key);
    await client.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "via a member key" },
    });
    for (const [method, path, json] of [
      ["POST", "api-keys", { name: "escalate" }],
      ["GET", "api-keys", undefined],
      ["DELETE", `api-keys/${other.id}`, undefined],
    ] as const) {
      expect((await client.expectProblem(403, method, path, { json })).code, `${method} ${path}`).toBe(
        "forbidden",
      );
    }
    await withKey(other.key).expectJson(200, "GET", "collections", CollectionPageSchema);
  });

  it("lists each key with its role", async () => {
    const tenant = await createTenant();
    const admin = await createKey(tenant.client, "admin");
    const member = await createKey(tenant.client, "member");
    const list = await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    const roles = Object.fromEntries(list.data.map((key) => [key.id, key.role]));
    expect(roles).toEqual({ [admin.id]: "admin", [member.id]: "member" });
  });

  it("never gives a key the owner role, nor a role above its creator's", async () => {
    const tenant = await createTenant();
    const refused = await tenant.client.expectProblem(400, "POST", "api-keys", {
      json: { name: "k", role: "owner" },
    });
    expect(fieldsOf(refused)).toEqual(["json.role"]);
    const admin = await createKey(tenant.client, "admin");
    // An admin key may mint keys of its own role or below, no higher.
    expect((await createKey(withKey(admin.key), "admin")).role).toBe("admin");
    expect((await createKey(withKey(admin.key), "member")).role).toBe("member");
    await withKey(admin.key).expectProblem(400, "POST", "api-keys", { json: { name: "k", role: "owner" } });
  });

  it("revokes the keys a key minted, at any depth, when it is revoked", async () => {
    const tenant = await createTenant();
    const parent = await createKey(tenant.client, "admin");
    const child = await createKey(withKey(parent.key), "admin");
    const grandchild = await createKey(withKey(child.key));
    const sibling = await createKey(tenant.client);
    await tenant.client.expectNoContent("DELETE", `api-keys/${parent.id}`);
    for (const revoked of [parent, child, grandchild]) {
      expect((await withKey(revoked.key).expectProblem(401, "GET", "collections")).code).toBe(
        "unauthenticated",
      );
    }
    await withKey(sibling.key).expectJson(200, "GET", "collections", CollectionPageSchema);
    const left = await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    expect(left.data.map((key) => key.id)).toEqual([sibling.id]);
  });

  it("lets an admin key revoke only itself and the keys it minted", async () => {
    const tenant = await createTenant();
    const ownersKey = await createKey(tenant.client, "admin");
    const admin = await createKey(tenant.client, "admin");
    const minted = await createKey(withKey(admin.key));
    const problem = await withKey(admin.key).expectProblem(403, "DELETE", `api-keys/${ownersKey.id}`);
    expect(problem.code).toBe("forbidden");
    await withKey(ownersKey.key).expectJson(200, "GET", "collections", CollectionPageSchema);

    await withKey(admin.key).expectNoContent("DELETE", `api-keys/${minted.id}`);
    await withKey(minted.key).expectProblem(401, "GET", "collections");
    await withKey(admin.key).expectNoContent("DELETE", `api-keys/${admin.id}`);
    await withKey(admin.key).expectProblem(401, "GET", "collections");
  });

  it("revokes at birth a key minted by a request whose key was revoked after authenticating it", async () => {
    const tenant = await createTenant();
    const parent = await createKey(tenant.client, "admin");
    // The request was authenticated with the parent key; the owner revokes it before the insert.
    await tenant.client.expectNoContent("DELETE", `api-keys/${parent.id}`);
    const ctx = {
      tenantId: tenant.id,
      actor: { type: "api_key" as const, keyId: parent.id },
      role: "admin" as const,
      requestId: "req_revoked_meanwhile",
    };
    await expect(createApiKey({ ctx, deps: depsWith(), input: { name: "late" } })).rejects.toMatchObject({
      code: "unauthenticated",
    });
    expect((await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema)).data).toEqual([]);
  });

  it("leaves no key minted by a key revoked at the same time", async () => {
    const tenant = await createTenant();
    const parent = await createKey(tenant.client, "admin");
    const minting = Array.from({ length: 5 }, () =>
      withKey(parent.key).request("POST", "api-keys", { json: { name: "racer" } }),
    );
    const [revocation, ...mints] = await Promise.all([
      tenant.client.request("DELETE", `api-keys/${parent.id}`),
      ...minting,
    ]);
    expect(revocation.status).toBe(204);
    for (const mint of mints) {
      if (mint.status !== 201) continue;
      const { key } = await expectBody(mint, 201, CreatedApiKeySchema);
      await withKey(key).expectProblem(401, "GET", "collections");
    }
    expect((await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema)).data).toEqual([]);
  });
});

describe("billing access", () => {
  it("refuses checkout and the customer portal to API keys, even admin ones", async () => {
    const tenant = await createTenant();
    const admin = await createKey(tenant.client, "admin");
    const client = apiWithEnv(stripeEnv(), { authorization: `Bearer ${admin.key}` });
    for (const [path, json] of [
      ["billing/checkout", checkout],
      ["billing/portal", portal],
    ] as const) {
      const problem = await client.expectProblem(403, "POST", path, { json });
      expect(problem.code, path).toBe("forbidden");
    }
    // Reading the plan stays open to the tenant's keys.
    expect((await client.expectJson(200, "GET", "billing", BillingStatusSchema)).plan).toBe("free");
  });

  it("opens checkout and the portal to a signed-in admin, not to a member", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant, "admin");
    const member = await signedIn(tenant, "member");
    expect((await member.expectProblem(403, "POST", "billing/checkout", { json: checkout })).code).toBe(
      "forbidden",
    );
    expect((await member.expectProblem(403, "POST", "billing/portal", { json: portal })).code).toBe(
      "forbidden",
    );
    const session = await admin.expectJson(200, "POST", "billing/checkout", CheckoutSessionSchema, {
      json: checkout,
    });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    await admin.expectJson(200, "POST", "billing/portal", SessionSchema, { json: portal });
  });
});
