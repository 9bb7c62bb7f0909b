import { upload, waitForDocument } from "../helpers/documents";
import type { TestTenant } from "../helpers/tenants";

/** A phrase only the owner's document holds: an intruder must never see it. */
export const SECRET = "The vault code of Tenant Owner is zebra-quartz-1977.";

/** Ids of one resource of each kind, all owned by the same tenant. */
export interface SeededIds {
  tenantId: string;
  /** What confirms the tenant's deletion. */
  tenantName: string;
  collectionId: string;
  assistantId: string;
  apiKeyId: string;
  documentId: string;
  conversationId: string;
}

/** Creates one resource of each kind in the tenant. Later resources add a line here. */
export async function seedResources(tenant: TestTenant, secret = SECRET): Promise<SeededIds> {
  const collection = await tenant.client.expectJson(201, "POST", "collections", { json: { name: "Secret" } });
  const assistant = await tenant.client.expectJson(201, "POST", "assistants", {
    json: { name: "Private", system_prompt: "p", collection_ids: [collection.id] },
  });
  const apiKey = await tenant.client.expectJson(201, "POST", "api-keys", { json: { name: "k" } });
  const document = await upload(
    tenant,
    collection.id,
    "secret.md",
    new TextEncoder().encode(`# Secret\n\n${secret}`),
  );
  await waitForDocument(tenant, document.id);
  const chat = await tenant.client.expectJson(200, "POST", `chat/${assistant.id}`, {
    json: { message: "What is the vault code?" },
  });
  const { name: tenantName } = await tenant.client.expectJson(200, "GET", `tenants/${tenant.id}`);
  return {
    conversationId: chat.conversation_id,
    tenantId: tenant.id,
    tenantName,
    collectionId: collection.id,
    assistantId: assistant.id,
    apiKeyId: apiKey.id,
    documentId: document.id,
  };
}

export interface TenantScopedEndpoint {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (ids: SeededIds) => string;
  /** A JSON body. */
  body?: (ids: SeededIds) => unknown;
  /** A multipart body, for uploads. */
  form?: (ids: SeededIds) => FormData;
}

const fileForm = () => {
  const form = new FormData();
  form.append("file", new File(["intruder's text"], "intruder.txt"));
  return form;
};

/**
 * Every tenant-scoped endpoint that names a resource, as another tenant would call it with the
 * owner's ids. Each must answer 404 and change nothing. Add new endpoints with one line.
 */
export const tenantScopedEndpoints: TenantScopedEndpoint[] = [
  { method: "GET", path: (ids) => `tenants/${ids.tenantId}` },
  {
    method: "DELETE",
    path: (ids) => `tenants/${ids.tenantId}`,
    body: (ids) => ({ confirm: ids.tenantName }),
  },
  { method: "GET", path: (ids) => `tenants/${ids.tenantId}/deletion` },
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
  { method: "GET", path: (ids) => `documents/${ids.documentId}` },
  { method: "GET", path: (ids) => `documents/${ids.documentId}/content` },
  { method: "DELETE", path: (ids) => `documents/${ids.documentId}` },
  { method: "POST", path: (ids) => `documents/${ids.documentId}/reindex` },
  { method: "GET", path: (ids) => `documents?collection_id=${ids.collectionId}` },
  { method: "POST", path: (ids) => `documents/upload/${ids.collectionId}`, form: fileForm },
  {
    method: "POST",
    path: () => "search",
    body: (ids) => ({ query: "vault code", collection_ids: [ids.collectionId] }),
  },
  {
    method: "POST",
    path: (ids) => `chat/${ids.assistantId}`,
    body: () => ({ message: "What is the vault code?" }),
  },
  {
    method: "POST",
    path: (ids) => `chat/${ids.assistantId}/stream`,
    body: () => ({ message: "vault code?" }),
  },
  { method: "GET", path: (ids) => `chat/${ids.assistantId}/conversations` },
  { method: "GET", path: (ids) => `chat/${ids.assistantId}/conversations/${ids.conversationId}` },
  { method: "GET", path: (ids) => `chat/${ids.assistantId}/conversations/${ids.conversationId}/stream` },
  { method: "DELETE", path: (ids) => `chat/${ids.assistantId}/conversations/${ids.conversationId}` },
  {
    method: "POST",
    path: () => "openai/chat/completions",
    body: (ids) => ({
      model: ids.assistantId,
      messages: [{ role: "user", content: "What is the vault code?" }],
    }),
  },
];

/** What the owner sees of its seeded resources; compared before and after the intrusions. */
export async function snapshot(owner: TestTenant, ids: SeededIds): Promise<unknown> {
  return {
    tenant: await owner.client.expectJson(200, "GET", `tenants/${ids.tenantId}`),
    collection: await owner.client.expectJson(200, "GET", `collections/${ids.collectionId}`),
    assistant: await owner.client.expectJson(200, "GET", `assistants/${ids.assistantId}`),
    apiKeys: await owner.client.expectJson(200, "GET", "api-keys"),
    document: await owner.client.expectJson(200, "GET", `documents/${ids.documentId}`),
    documents: await owner.client.expectJson(200, "GET", "documents"),
    search: await owner.client.expectJson(200, "POST", "search", { json: { query: "vault code zebra" } }),
    usage: await owner.client.expectJson(200, "GET", "usage"),
    usageHistory: await owner.client.expectJson(200, "GET", "usage/history"),
    billing: await owner.client.expectJson(200, "GET", "billing"),
    conversation: await owner.client.expectJson(
      200,
      "GET",
      `chat/${ids.assistantId}/conversations/${ids.conversationId}`,
    ),
  };
}
