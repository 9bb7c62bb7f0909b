import type { TestTenant } from "../helpers/tenants";

/** Ids of one resource of each kind, all owned by the same tenant. */
export interface SeededIds {
  tenantId: string;
  collectionId: string;
  assistantId: string;
  apiKeyId: string;
}

/** Creates one resource of each kind in the tenant. Later resources add a line here. */
export async function seedResources(tenant: TestTenant): Promise<SeededIds> {
  const collection = await tenant.client.expectJson(201, "POST", "collections", { json: { name: "Secret" } });
  const assistant = await tenant.client.expectJson(201, "POST", "assistants", {
    json: { name: "Private", system_prompt: "p", collection_ids: [collection.id] },
  });
  const apiKey = await tenant.client.expectJson(201, "POST", "api-keys", { json: { name: "k" } });
  return { tenantId: tenant.id, collectionId: collection.id, assistantId: assistant.id, apiKeyId: apiKey.id };
}

export interface TenantScopedEndpoint {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (ids: SeededIds) => string;
  body?: (ids: SeededIds) => unknown;
}

/**
 * Every tenant-scoped endpoint that names a resource, as another tenant would call it with the
 * owner's ids. Each must answer 404 and change nothing. Add new endpoints with one line.
 */
export const tenantScopedEndpoints: TenantScopedEndpoint[] = [
  { method: "GET", path: (ids) => `tenants/${ids.tenantId}` },
  { method: "GET", path: (ids) => `collections/${ids.collectionId}` },
  { method: "DELETE", path: (ids) => `collections/${ids.collectionId}` },
  { method: "GET", path: (ids) => `assistants/${ids.assistantId}` },
  { method: "PATCH", path: (ids) => `assistants/${ids.assistantId}`, body: () => ({ name: "hijacked" }) },
  { method: "DELETE", path: (ids) => `assistants/${ids.assistantId}` },
  {
    method: "POST",
    path: () => "assistants",
    body: (ids) => ({ name: "thief", system_prompt: "p", collection_ids: [ids.collectionId] }),
  },
  {
    method: "PATCH",
    path: (ids) => `assistants/${ids.assistantId}`,
    body: (ids) => ({ collection_ids: [ids.collectionId] }),
  },
  { method: "DELETE", path: (ids) => `api-keys/${ids.apiKeyId}` },
];

/** What the owner sees of its seeded resources; compared before and after the intrusions. */
export async function snapshot(owner: TestTenant, ids: SeededIds): Promise<unknown> {
  return {
    tenant: await owner.client.expectJson(200, "GET", `tenants/${ids.tenantId}`),
    collection: await owner.client.expectJson(200, "GET", `collections/${ids.collectionId}`),
    assistant: await owner.client.expectJson(200, "GET", `assistants/${ids.assistantId}`),
    apiKeys: await owner.client.expectJson(200, "GET", "api-keys"),
  };
}
