import { describe, expect, it } from "vitest";
import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { AssistantPageSchema } from "../../src/routes/assistants/assistants.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import {
  ConversationExportSchema,
  WorkspaceConversationPageSchema,
} from "../../src/routes/conversations/conversations.schemas";
import { DocumentPageSchema } from "../../src/routes/documents/documents.schemas";
import { ConnectionListSchema } from "../../src/routes/integrations/nango.schemas";
import { TenantKpisSchema } from "../../src/routes/kpis/kpis.schemas";
import { UnansweredReportSchema } from "../../src/routes/reports/reports.schemas";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { type ApiClient, api, expectProblemBody } from "../helpers/api";
import { fetchOpenApiDocument, operationsOf } from "../helpers/openapi";
import { createTenant } from "../helpers/tenants";
import {
  endpointsNamingNoResource,
  pathWith,
  SECRET,
  seedResources,
  snapshot,
  tenantScopedEndpoints,
} from "./tenant-scoped-endpoints";

/** Another tenant's ways in, each giving a client. An API key is made per use: keys are rate limited. */
async function intruders(): Promise<Record<string, () => Promise<ApiClient>>> {
  const other = await createTenant("Intruder");
  // Create the intruder's own resources so that its requests are valid in every way but ownership.
  await seedResources(other, "The intruder keeps its own notes here.", "notion");
  const withNewKey = async () => {
    // An admin key, so that key management reaches the tenant check instead of stopping at the role.
    const { key } = await other.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "intruder", role: "admin" },
    });
    return api({ authorization: `Bearer ${key}` });
  };
  return { "development bypass": async () => other.client, "API key": withNewKey };
}

describe("the isolation table", () => {
  it("holds every endpoint of /openapi.json that takes an id in its path, and no endpoint it lacks", async () => {
    const operations = operationsOf(await fetchOpenApiDocument()).map(
      ({ method, path }) => `${method.toUpperCase()} ${path}`,
    );
    const withPathId = operations.filter(
      (operation) => operation.includes("{") && !endpointsNamingNoResource.includes(operation),
    );
    const inTable = tenantScopedEndpoints.map(
      (endpoint) => `${endpoint.method} /api/v1/${endpoint.path.split("?")[0]}`,
    );
    expect(withPathId.length).toBeGreaterThan(0);
    expect(
      withPathId.filter((operation) => !inTable.includes(operation)),
      "missing from tenantScopedEndpoints",
    ).toEqual([]);
    expect(
      inTable.filter((row) => !operations.includes(row)),
      "rows of tenantScopedEndpoints that /openapi.json does not list",
    ).toEqual([]);
  });
});

describe("tenant isolation", async () => {
  const owner = await createTenant("Owner");
  const ids = await seedResources(owner);
  const callers = await intruders();

  for (const [how, intruderClient] of Object.entries(callers)) {
    for (const endpoint of tenantScopedEndpoints) {
      it(`${endpoint.method} ${endpoint.path} by another tenant (${how}) is a 404 and changes nothing`, async () => {
        const before = await snapshot(owner, ids);
        const intruder = await intruderClient();
        const path = pathWith(endpoint, ids);
        const response = await intruder.request(endpoint.method, path, {
          json: endpoint.body?.(ids),
          body: endpoint.form?.(ids),
        });
        expect((await expectProblemBody(response, 404, `${endpoint.method} ${path}`)).code).toBe("not_found");
        expect(await snapshot(owner, ids)).toEqual(before);
      });
    }
  }

  it("lists, search and KPIs never show another tenant's resources", async () => {
    const lists = {
      collections: CollectionPageSchema,
      assistants: AssistantPageSchema,
      "api-keys": ApiKeyPageSchema,
      documents: DocumentPageSchema,
      "integrations/nango/connections": ConnectionListSchema,
      conversations: WorkspaceConversationPageSchema,
      "conversations/export": ConversationExportSchema,
    };
    for (const intruderClient of Object.values(callers)) {
      const intruder = await intruderClient();
      for (const [list, schema] of Object.entries(lists)) {
        const page = await intruder.expectJson(200, "GET", list, schema);
        const seen = JSON.stringify(page);
        for (const id of Object.values(ids)) expect(seen).not.toContain(id);
      }
      for (const mode of ["keyword", "vector", "hybrid"]) {
        const found = await intruder.expectJson(200, "POST", "search", SearchResponseSchema, {
          json: { query: SECRET, mode, top_k: 50 },
        });
        expect(JSON.stringify(found)).not.toContain("zebra-quartz");
      }
      // The busiest assistants are named by id: the owner's, asked a question, must not appear.
      const kpis = await intruder.expectJson(200, "GET", "kpis", TenantKpisSchema);
      for (const id of Object.values(ids)) expect(JSON.stringify(kpis)).not.toContain(id);
      expect(kpis.busiest_assistants.map((assistant) => assistant.id)).not.toContain(ids.assistant_id);
      const unanswered = await intruder.expectJson(200, "GET", "reports/unanswered", UnansweredReportSchema);
      for (const id of Object.values(ids)) expect(JSON.stringify(unanswered)).not.toContain(id);
    }
  });
});
