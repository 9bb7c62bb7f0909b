import { env } from "cloudflare:workers";
import type { Role } from "../../src/context";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
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

/** Makes a (Clerk) user a member of the tenant with this role, as an invitation would. */
export async function addMember(tenant: TestTenant, userId: string, role: Role): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO memberships (id, tenant_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(`mem_${crypto.randomUUID().slice(0, 8)}`, tenant.id, userId, role, new Date().toISOString())
    .run();
}
