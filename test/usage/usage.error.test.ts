import { describe, expect, it } from "vitest";
import { api, fieldsOf } from "../helpers/api";
import { createTenant } from "../helpers/tenants";

describe("usage history errors", () => {
  it("names a bad date, a reversed range and a range too long", async () => {
    const tenant = await createTenant();
    const cases: [string, string][] = [
      ["usage/history?from=2026-02-30&to=2026-03-01", "query.from"],
      ["usage/history?from=yesterday", "query.from"],
      ["usage/history?from=2026-03-02&to=2026-03-01", "query.to"],
      ["usage/history?from=2024-01-01&to=2026-01-01", "query.from"],
      ["usage/history?granularity=week", "query.granularity"],
    ];
    for (const [path, field] of cases) {
      const problem = await tenant.client.expectProblem(400, "GET", path);
      expect(problem.code, path).toBe("validation_failed");
      expect(fieldsOf(problem), path).toEqual([field]);
    }
  });

  it("needs a tenant", async () => {
    const problem = await api().expectProblem(400, "GET", "usage");
    expect(problem.code).toBe("tenant_required");
  });
});
