import { describe, expect, it } from "vitest";
import { type ApiClient, api } from "../helpers/api";
import { createTenant } from "../helpers/tenants";
import { SECRET, seedResources, snapshot, tenantScopedEndpoints } from "./tenant-scoped-endpoints";

/** Another tenant's ways in, each giving a client. An API key is made per use: keys are rate limited. */
async function intruders(): Promise<Record<string, () => Promise<ApiClient>>> {
  const other = await createTenant("Intruder");
  // Create the intruder's own resources so that its requests are valid in every way but ownership.
  await seedResources(other, "The intruder keeps its own notes here.");
  const withNewKey = async () => {
    // An admin key, so that key management reaches the tenant check instead of stopping at the role.
    const { key } = await other.client.expectJson(201, "POST", "api-keys", {
      json: { name: "intruder", role: "admin" },
    });
    return api({ authorization: `Bearer ${key}` });
  };
  return { "development bypass": async () => other.client, "API key": withNewKey };
}

describe("tenant isolation", async () => {
  const owner = await createTenant("Owner");
  const ids = await seedResources(owner);
  const callers = await intruders();

  for (const [how, intruderClient] of Object.entries(callers)) {
    for (const endpoint of tenantScopedEndpoints) {
      const path = endpoint.path(ids);
      it(`${endpoint.method} ${path.replace(/_[0-9a-z]{26}/g, "_…")} by another tenant (${how}) is a 404 and changes nothing`, async () => {
        const before = await snapshot(owner, ids);
        const intruder = await intruderClient();
        const response = await intruder.request(endpoint.method, path, {
          json: endpoint.body?.(ids),
          body: endpoint.form?.(ids),
        });
        expect(response.status).toBe(404);
        expect(((await response.json()) as { code: string }).code).toBe("not_found");
        expect(await snapshot(owner, ids)).toEqual(before);
      });
    }
  }

  it("lists and search never show another tenant's resources", async () => {
    for (const intruderClient of Object.values(callers)) {
      const intruder = await intruderClient();
      for (const list of ["collections", "assistants", "api-keys", "documents"]) {
        const page = await intruder.expectJson(200, "GET", list);
        const seen = JSON.stringify(page);
        for (const id of Object.values(ids)) expect(seen).not.toContain(id);
      }
      for (const mode of ["keyword", "vector", "hybrid"]) {
        const found = await intruder.expectJson(200, "POST", "search", {
          json: { query: SECRET, mode, top_k: 50 },
        });
        expect(JSON.stringify(found)).not.toContain("zebra-quartz");
      }
    }
  });
});
