import { describe, expect, inject, it } from "vitest";
import { TenantPageSchema, TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { expectProblemBody } from "../helpers/api";
import { clerkClient, signToken } from "../helpers/clerk";
import { publicPartOf } from "../helpers/jwk";
import { sleep } from "../helpers/text";

async function whoAmI(token: string) {
  return clerkClient(token).request("GET", "tenants");
}

async function expectRejected(token: string, detail: RegExp) {
  const response = await whoAmI(token);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const problem = await expectProblemBody(response, 401);
  expect(problem.code).toBe("unauthenticated");
  expect(problem.detail).toMatch(detail);
}

describe("Clerk session tokens", () => {
  it("accepts a valid token and identifies the user by sub", async () => {
    const token = await signToken({ sub: "user_valid" });
    const created = await clerkClient(token).expectJson(201, "POST", "tenants", TenantSchema, {
      json: { name: "Acme" },
    });
    expect(created.role).toBe("owner");
    const list = await clerkClient(await signToken({ sub: "user_valid" })).expectJson(
      200,
      "GET",
      "tenants",
      TenantPageSchema,
    );
    expect(list.data.map((t) => t.id)).toContain(created.id);
  });

  it("rejects an expired token", async () => {
    await expectRejected(await signToken({ expiresIn: -60 }), /expired/);
  });

  it("tolerates a small clock skew but not a token from the future", async () => {
    expect((await whoAmI(await signToken({ expiresIn: -2 }))).status).toBe(200);
    await expectRejected(await signToken({ notBefore: 120 }), /nbf/);
  });

  it("rejects a token from another issuer", async () => {
    await expectRejected(await signToken({ issuer: "https://evil.example" }), /iss/);
  });

  it("rejects a token for another authorized party, or none", async () => {
    await expectRejected(await signToken({ azp: "https://other.example" }), /azp/);
    await expectRejected(await signToken({ azp: null }), /azp/);
  });

  it("rejects a tampered payload and a forged signature", async () => {
    const token = await signToken({ sub: "user_honest" });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(atob(payload!.replaceAll("-", "+").replaceAll("_", "/")));
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: "user_admin" }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replaceAll("=", "");
    await expectRejected(`${header}.${forgedPayload}.${signature}`, /signature/);
    await expectRejected(await signToken({ key: inject("clerk").keys.stranger }), /signature/);
  });

  it("rejects an unknown kid, then accepts it once the JWKS serves the rotated key", async () => {
    const clerk = inject("clerk");
    const token = await signToken({ key: clerk.keys.rotated, sub: "user_rotated" });
    await expectRejected(token, /unknown key/);
    await fetch(clerk.rotateUrl, { method: "POST", body: JSON.stringify(publicPartOf(clerk.keys.rotated)) });
    // The key set refetches on an unknown kid at most once a second.
    await sleep(1_100);
    expect((await whoAmI(token)).status).toBe(200);
  });

  it("caches the key set between requests", async () => {
    const clerk = inject("clerk");
    const before = ((await (await fetch(clerk.statsUrl)).json()) as { fetches: number }).fetches;
    for (let i = 0; i < 3; i++) expect((await whoAmI(await signToken())).status).toBe(200);
    const after = ((await (await fetch(clerk.statsUrl)).json()) as { fetches: number }).fetches;
    expect(after - before).toBeLessThanOrEqual(1);
  });

  it("rejects a malformed Authorization header", async () => {
    const response = await clerkClient(undefined, { authorization: "Basic dXNlcjpwYXNz" }).request(
      "GET",
      "tenants",
    );
    expect(response.status).toBe(401);
    expect((await clerkClient("not-a-jwt").request("GET", "tenants")).status).toBe(401);
  });
});
