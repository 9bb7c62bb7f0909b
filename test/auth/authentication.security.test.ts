import { describe, expect, it } from "vitest";
import { CollectionPageSchema, CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { api, apiWithEnv, expectProblemBody } from "../helpers/api";
import { clerkClient, signToken } from "../helpers/clerk";
import { addMember, createTenant } from "../helpers/tenants";

describe("authentication modes", () => {
  it("lets X-Tenant-ID alone identify the tenant under the development bypass", async () => {
    const tenant = await createTenant();
    await api({ "x-tenant-id": tenant.id }).expectJson(200, "GET", "collections", CollectionPageSchema);
  });

  it("answers 401 without credentials when the bypass is off", async () => {
    const tenant = await createTenant();
    const response = await apiWithEnv({ DEV_AUTH_BYPASS: "false" }, { "x-tenant-id": tenant.id }).request(
      "GET",
      "collections",
    );
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect((await expectProblemBody(response, 401)).code).toBe("unauthenticated");
  });

  it("refuses session tokens when Clerk is not configured", async () => {
    const problem = await api({ authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig" }).expectProblem(
      401,
      "GET",
      "tenants",
    );
    expect(problem.detail).toContain("CLERK_JWKS_URL");
  });

  it("refuses to serve when the bypass is on in production", async () => {
    const response = await apiWithEnv({ ENVIRONMENT: "production", DEV_AUTH_BYPASS: "true" }).request(
      "GET",
      "tenants",
    );
    const problem = await expectProblemBody(response, 500);
    expect(problem.code).toBe("configuration_invalid");
    expect(problem.detail).not.toContain("DEV_AUTH_BYPASS");
  });

  it("lets members work but keeps API key management to admins and owners", async () => {
    const tenant = await createTenant();
    await addMember(tenant, "user_member_only", "member");
    const member = clerkClient(await signToken({ sub: "user_member_only" }), { "x-tenant-id": tenant.id });
    await member.expectJson(201, "POST", "collections", CollectionSchema, { json: { name: "mine" } });
    const problem = await member.expectProblem(403, "POST", "api-keys", { json: { name: "k" } });
    expect(problem.code).toBe("forbidden");
    await member.expectProblem(403, "GET", "api-keys");
  });
});
