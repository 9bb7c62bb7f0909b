import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { MemberPageSchema } from "../../src/routes/members/members.schemas";
import { apiWithEnv } from "../helpers/api";
import { clerkEnv, signToken } from "../helpers/clerk";
import { addMember, createTenant, type TestTenant } from "../helpers/tenants";
import { sleep } from "../helpers/text";

// The isolate keeps an API key's row for LOOKUP_CACHE_SECONDS (tests run with 0 elsewhere).
const withBound = (seconds: number, headers: Record<string, string>) =>
  apiWithEnv({ ...clerkEnv(), LOOKUP_CACHE_SECONDS: String(seconds) }, headers);

/** A signed-in user of the tenant with `role`, in an isolate whose lookups are cached for `seconds`. */
async function signedIn(tenant: TestTenant, role: "owner" | "admin", seconds: number) {
  const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
  await addMember(tenant, userId, role);
  const token = await signToken({ sub: userId });
  return {
    userId,
    client: withBound(seconds, { authorization: `Bearer ${token}`, "x-tenant-id": tenant.id }),
  };
}

const mintKey = (client: ReturnType<typeof withBound>) =>
  client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, { json: { name: "cached" } });

/** Revokes a key as another isolate would: its row changes, this isolate's cache does not hear of it. */
const revokeElsewhere = (keyId: string) =>
  env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?")
    .bind(new Date().toISOString(), keyId)
    .run();

describe("cached API keys", () => {
  it("refuses a key revoked through this isolate at once, though its row was cached", async () => {
    const tenant = await createTenant();
    const owner = await signedIn(tenant, "owner", 30);
    const key = await mintKey(owner.client);
    const asKey = withBound(30, { authorization: `Bearer ${key.key}` });
    await asKey.expectJson(200, "GET", "collections", CollectionPageSchema);

    await owner.client.expectNoContent("DELETE", `api-keys/${key.id}`);
    expect((await asKey.expectProblem(401, "GET", "collections")).code).toBe("unauthenticated");
  });

  it("refuses a key revoked elsewhere once the bound has passed, and serves it only within it", async () => {
    const tenant = await createTenant();
    const owner = await signedIn(tenant, "owner", 1);
    const key = await mintKey(owner.client);
    const asKey = withBound(1, { authorization: `Bearer ${key.key}` });
    await asKey.expectJson(200, "GET", "collections", CollectionPageSchema);

    await revokeElsewhere(key.id);
    // Within the bound this isolate still knows the key as it was: that is the staleness allowed.
    await asKey.expectJson(200, "GET", "collections", CollectionPageSchema);
    await sleep(1100);
    expect((await asKey.expectProblem(401, "GET", "collections")).code).toBe("unauthenticated");
  });

  it("refuses at once the keys of a member removed through this isolate", async () => {
    const tenant = await createTenant();
    const owner = await signedIn(tenant, "owner", 30);
    const admin = await signedIn(tenant, "admin", 30);
    const key = await mintKey(admin.client);
    const asKey = withBound(30, { authorization: `Bearer ${key.key}` });
    await asKey.expectJson(200, "GET", "collections", CollectionPageSchema);

    const members = await owner.client.expectJson(200, "GET", "members", MemberPageSchema);
    const member = members.data.find((row) => row.user_id === admin.userId)!;
    await owner.client.expectNoContent("DELETE", `members/${member.id}`);
    expect((await asKey.expectProblem(401, "GET", "collections")).code).toBe("unauthenticated");
  });
});

describe("cached memberships", () => {
  it("refuses a member removed through this isolate at once, though the membership was cached", async () => {
    const tenant = await createTenant();
    const owner = await signedIn(tenant, "owner", 30);
    const admin = await signedIn(tenant, "admin", 30);
    await admin.client.expectJson(200, "GET", "collections", CollectionPageSchema);

    const members = await owner.client.expectJson(200, "GET", "members", MemberPageSchema);
    const member = members.data.find((row) => row.user_id === admin.userId)!;
    await owner.client.expectNoContent("DELETE", `members/${member.id}`);
    expect((await admin.client.expectProblem(404, "GET", "collections")).code).toBe("not_found");
  });

  it("refuses a member removed elsewhere once the bound has passed, and serves them only within it", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant, "admin", 1);
    await admin.client.expectJson(200, "GET", "collections", CollectionPageSchema);

    // Removed as another isolate would: this isolate's cache does not hear of it.
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(tenant.id, admin.userId)
      .run();
    await admin.client.expectJson(200, "GET", "collections", CollectionPageSchema);
    await sleep(1100);
    expect((await admin.client.expectProblem(404, "GET", "collections")).code).toBe("not_found");
  });
});

describe("cached tenants (development bypass)", () => {
  it("answers 410 for a tenant whose deletion was asked elsewhere once the bound has passed (development bypass)", async () => {
    const tenant = await createTenant();
    const dev = apiWithEnv({ LOOKUP_CACHE_SECONDS: "1" }, { "x-tenant-id": tenant.id });
    await dev.expectJson(200, "GET", "collections", CollectionPageSchema);

    await env.DB.prepare("UPDATE tenants SET deletion_requested_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), tenant.id)
      .run();
    // The tenant as it was, within the bound; then the deletion counts.
    await dev.expectJson(200, "GET", "collections", CollectionPageSchema);
    await sleep(1100);
    await dev.expectProblem(410, "GET", "collections");
  });
});
