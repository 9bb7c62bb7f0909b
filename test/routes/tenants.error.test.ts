import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TenantPageSchema, TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { apiWithEnv } from "../helpers/api";
import { clerkClient, clerkEnv, signToken } from "../helpers/clerk";
import { countOf } from "../helpers/db";

const FREE_TENANTS_PER_USER = 3;

const createTenantAs = (client: ReturnType<typeof clerkClient>, name: string) =>
  client.request("POST", "tenants", { json: { name } });

describe("the Free tenants one user owns", () => {
  it("stops at MAX_FREE_TENANTS_PER_USER with a problem saying what to do", async () => {
    const alice = clerkClient(await signToken({ sub: "user_cap_alice" }));
    for (let i = 1; i <= FREE_TENANTS_PER_USER; i++) {
      await alice.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: `T${i}` } });
    }
    const problem = await alice.expectProblem(403, "POST", "tenants", { json: { name: "one too many" } });
    expect(problem).toMatchObject({
      code: "plan_limit_reached",
      metric: "free_tenants",
      limit: FREE_TENANTS_PER_USER,
    });
    expect(problem.detail).toMatch(/upgrade one to Pro/);
    expect((await alice.expectJson(200, "GET", "tenants", TenantPageSchema)).data).toHaveLength(
      FREE_TENANTS_PER_USER,
    );
    // Another user is not affected.
    await clerkClient(await signToken({ sub: "user_cap_bob" })).expectJson(
      201,
      "POST",
      "tenants",
      TenantSchema,
      {
        json: { name: "B1" },
      },
    );
  });

  it("holds under concurrent creations and leaves no tenant without its owner", async () => {
    const carol = clerkClient(await signToken({ sub: "user_cap_carol" }));
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => createTenantAs(carol, `C${i}`)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 201, 403, 403, 403, 403, 403]);
    const orphans = await countOf(
      "SELECT COUNT(*) AS n FROM tenants t WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = t.id)",
    );
    expect(orphans).toBe(0);
  });

  it("counts only Free tenants, up to a configurable limit", async () => {
    const token = await signToken({ sub: "user_cap_dave" });
    const dave = apiWithEnv(clerkEnv({ MAX_FREE_TENANTS_PER_USER: "1" }), {
      authorization: `Bearer ${token}`,
    });
    const first = await dave.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "D1" } });
    expect((await dave.expectProblem(403, "POST", "tenants", { json: { name: "D2" } })).limit).toBe(1);
    await env.DB.prepare("UPDATE tenants SET plan = 'pro' WHERE id = ?").bind(first.id).run();
    await dave.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "D2" } });
  });
});
