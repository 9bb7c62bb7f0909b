import { afterEach, describe, expect, it, vi } from "vitest";
import { apiWithEnv } from "../helpers/api";
import { createTenant } from "../helpers/tenants";

afterEach(() => vi.restoreAllMocks());

describe("a bad configuration", () => {
  it("serves no one through the development bypass on a staging deployment", async () => {
    const tenant = await createTenant();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const staging = apiWithEnv(
      { ENVIRONMENT: "staging", DEV_AUTH_BYPASS: "true" },
      { "x-tenant-id": tenant.id },
    );
    const problem = await staging.expectProblem(500, "GET", "collections");
    expect(problem.code).toBe("configuration_invalid");
  });

  it("tells callers nothing about the variables, and names them in the log", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const misconfigured = apiWithEnv({ QDRANT_URL: "not a url" });
    const response = await misconfigured.request("GET", "tenants");
    const body = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(body)).toMatchObject({ code: "configuration_invalid", request_id: expect.any(String) });
    expect(body).not.toMatch(/QDRANT|url/i);
    const logged = log.mock.calls.map((call) => call.join(" ")).join("\n");
    expect(logged).toContain("QDRANT_URL");
    expect(logged).toContain(JSON.parse(body).request_id);
  });
});
