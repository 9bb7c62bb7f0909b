import { AssistantSchema } from "../../src/routes/assistants/assistants.routes";
import { CollectionSchema } from "../../src/routes/collections/collections.routes";
import { TenantSchema } from "../../src/routes/tenants/tenants.routes";
import { type ApiClient, api } from "./api";

export interface TestTenant {
  id: string;
  /** A client that acts in this tenant through the development bypass (`X-Tenant-ID` alone). */
  client: ApiClient;
}

let counter = 0;

/** Creates a fresh tenant through the API, as the curl walkthrough does. */
export async function createTenant(name = `Tenant ${++counter}`): Promise<TestTenant> {
  const tenant = await api().expectJson(201, "POST", "tenants", TenantSchema, { json: { name } });
  return { id: tenant.id, client: api({ "x-tenant-id": tenant.id }) };
}

export async function createCollection(tenant: TestTenant, name = "Docs") {
  return tenant.client.expectJson(201, "POST", "collections", CollectionSchema, { json: { name } });
}

export async function createAssistant(tenant: TestTenant, collectionIds: string[], name = "Helper") {
  return tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: { name, system_prompt: "You answer from the documents.", collection_ids: collectionIds },
  });
}
