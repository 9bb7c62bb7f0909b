import { describe, expect, it } from "vitest";
import { APP_VERSION } from "../../src/config";
import { HealthSchema } from "../../src/routes/health/health.schemas";
import { api, apiWithEnv, expectBody } from "../helpers/api";

describe("health", () => {
  it("reports the version and that every binding answers, without credentials", async () => {
    const health = await apiWithEnv({ DEV_AUTH_BYPASS: "false" }).expectJson(
      200,
      "GET",
      "/api/v1/health",
      HealthSchema,
    );
    expect(health.version).toBe(APP_VERSION);
    expect(health.status).toBe("ok");
    expect(health.checks.database?.status).toBe("ok");
    expect(health.checks.files?.status).toBe("ok");
    expect(Object.keys(health.checks)).toEqual(
      expect.arrayContaining(["ingest_queue", "conversations", "tenant_quotas", "vector_index"]),
    );
  });

  it("says degraded with 503 when a binding fails", async () => {
    const brokenDb = {
      prepare() {
        throw new Error("D1 is down");
      },
      // Each request reads through a D1 session: the same broken database.
      withSession: () => brokenDb,
      getBookmark: () => null,
    };
    const health = await apiWithEnv({ DB: brokenDb }).expectJson(503, "GET", "/api/v1/health", HealthSchema);
    expect(health.status).toBe("degraded");
    expect(health.checks.database).toMatchObject({ status: "error" });
  });

  it("answers at /health too, through a redirect to the versioned path", async () => {
    const response = await api().request("GET", "/health");
    expect(response.redirected).toBe(true);
    expect(new URL(response.url).pathname).toBe("/api/v1/health");
    expect((await expectBody(response, 200, HealthSchema)).version).toBe(APP_VERSION);
  });
});
