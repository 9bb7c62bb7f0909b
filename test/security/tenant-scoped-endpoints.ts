import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { AuditEventPageSchema } from "../../src/routes/audit/audit.schemas";
import { BillingStatusSchema } from "../../src/routes/billing/billing.schemas";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { DocumentPageSchema, DocumentSchema } from "../../src/routes/documents/documents.schemas";
import { ConnectionListSchema, SyncSchema } from "../../src/routes/integrations/nango.schemas";
import { InvitationPageSchema, InvitationSchema } from "../../src/routes/invitations/invitations.schemas";
import { TenantKpisSchema } from "../../src/routes/kpis/kpis.schemas";
import { MemberPageSchema } from "../../src/routes/members/members.schemas";
import { UnansweredReportSchema } from "../../src/routes/reports/reports.schemas";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { TenantDetailsSchema } from "../../src/routes/tenants/tenants.schemas";
import { UsageHistorySchema, UsageSchema } from "../../src/routes/usage/usage.schemas";
import { WebhookEndpointPageSchema } from "../../src/routes/webhooks/webhooks.schemas";
import { WidgetSchema } from "../../src/routes/widgets/widgets.schemas";
import { ask, conversationHistory } from "../helpers/chat";
import { upload, waitForDocument } from "../helpers/documents";
import { connectTenant, NANGO, setSourceFiles, startSync, waitForSync } from "../helpers/nango";
import type { TestTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";
import { receiverEndpoint, registerEndpoint } from "../helpers/webhooks";

/** A phrase only the owner's document holds: an intruder must never see it. */
export const SECRET = "The vault code of Tenant Owner is zebra-quartz-1977.";

/**
 * Ids of one resource of each kind, all owned by the same tenant, named as the OpenAPI path
 * parameters that carry them (`{collection_id}`…).
 */
export interface SeededIds {
  tenant_id: string;
  /** What confirms the tenant's deletion. */
  tenant_name: string;
  collection_id: string;
  assistant_id: string;
  key_id: string;
  document_id: string;
  conversation_id: string;
  /** A chunk of the document, cited by the conversation's answer. */
  chunk_id: string;
  /** The answer of that conversation. */
  message_id: string;
  /** The Nango integration the tenant is connected to, and its connection and sync. */
  provider: string;
  connection_id: string;
  sync_id: string;
  member_id: string;
  invitation_id: string;
  webhook_id: string;
}

/**
 * Creates one resource of each kind in the tenant. Later resources add a line here. Tenants seeded
 * to be compared connect different providers: a provider names a connection only within a tenant.
 */
export async function seedResources(
  tenant: TestTenant,
  secret = SECRET,
  provider = "google-drive",
): Promise<SeededIds> {
  const collection = await tenant.client.expectJson(201, "POST", "collections", CollectionSchema, {
    json: { name: "Secret" },
  });
  const assistant = await tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: { name: "Private", system_prompt: "p", collection_ids: [collection.id] },
  });
  const apiKey = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
    json: { name: "k" },
  });
  await tenant.client.expectJson(200, "PUT", `assistants/${assistant.id}/widget`, WidgetSchema, {
    json: { allowed_origins: ["https://owner.example"] },
  });
  const document = await upload(tenant, collection.id, "secret.md", encode(`# Secret\n\n${secret}`));
  await waitForDocument(tenant, document.id);
  const chat = await ask(tenant.client, assistant.id, { message: "What is the vault code?" });
  const connectionId = await connectTenant(tenant, provider);
  await setSourceFiles(connectionId, []);
  const sync = await waitForSync(tenant.client, (await startSync(tenant.client, provider, collection.id)).id);
  const { name: tenant_name } = await tenant.client.expectJson(
    200,
    "GET",
    `tenants/${tenant.id}`,
    TenantDetailsSchema,
  );
  const members = await tenant.client.expectJson(200, "GET", "members", MemberPageSchema);
  const invitation = await tenant.client.expectJson(201, "POST", "invitations", InvitationSchema, {
    json: { email: `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`, role: "admin" },
  });
  const webhook = await registerEndpoint(tenant, ["document.ready"]);
  return {
    tenant_id: tenant.id,
    tenant_name,
    collection_id: collection.id,
    assistant_id: assistant.id,
    key_id: apiKey.id,
    document_id: document.id,
    conversation_id: chat.conversation_id,
    chunk_id: chat.citations[0]?.chunk_id ?? "no-citation",
    message_id: chat.message_id,
    provider,
    connection_id: connectionId,
    sync_id: sync.id,
    member_id: members.data[0]?.id ?? "",
    invitation_id: invitation.id,
    webhook_id: webhook.id,
  };
}

export interface TenantScopedEndpoint {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path below /api/v1 as `/openapi.json` writes it: `{collection_id}` stands for the seeded id. */
  path: string;
  /** A JSON body. */
  body?: (ids: SeededIds) => unknown;
  /** A multipart body, for uploads. */
  form?: (ids: SeededIds) => FormData;
}

/** The endpoint's path with the seeded ids in place of its parameters. */
export function pathWith(endpoint: TenantScopedEndpoint, ids: SeededIds): string {
  return endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in ids)) throw new Error(`${endpoint.path}: seedResources seeds no ${name}`);
    return ids[name as keyof SeededIds];
  });
}

const fileForm = () => {
  const form = new FormData();
  form.append("file", new File(["intruder's text"], "intruder.txt"));
  return form;
};

/**
 * Endpoints with a path parameter that names no resource of a tenant: another tenant calling them
 * acts on its own behalf (a connect session for itself).
 */
export const endpointsNamingNoResource = [`POST /api/v1/${NANGO}/connect/{provider}`];

/**
 * Every tenant-scoped endpoint that names a resource, as another tenant would call it with the
 * owner's ids. Each must answer 404 and change nothing. Every endpoint of `/openapi.json` with a path
 * parameter must be here (a test compares); the rows without one pass an id in the query or body.
 */
export const tenantScopedEndpoints: TenantScopedEndpoint[] = [
  { method: "GET", path: "tenants/{tenant_id}" },
  { method: "DELETE", path: "tenants/{tenant_id}", body: (ids) => ({ confirm: ids.tenant_name }) },
  { method: "GET", path: "tenants/{tenant_id}/deletion" },
  { method: "GET", path: "collections/{collection_id}" },
  { method: "PATCH", path: "collections/{collection_id}", body: () => ({ name: "hijacked" }) },
  { method: "DELETE", path: "collections/{collection_id}" },
  { method: "GET", path: "assistants/{assistant_id}" },
  { method: "PATCH", path: "assistants/{assistant_id}", body: () => ({ name: "hijacked" }) },
  { method: "DELETE", path: "assistants/{assistant_id}" },
  { method: "GET", path: "assistants/{assistant_id}/widget" },
  {
    method: "PUT",
    path: "assistants/{assistant_id}/widget",
    body: () => ({ allowed_origins: ["https://intruder.example"] }),
  },
  { method: "POST", path: "assistants/{assistant_id}/widget/rotate" },
  {
    method: "POST",
    path: "assistants/{assistant_id}/widget/allowed-origins",
    body: () => ({ origin: "https://intruder.example" }),
  },
  { method: "DELETE", path: "assistants/{assistant_id}/widget" },
  {
    method: "POST",
    path: "assistants",
    body: (ids) => ({ name: "thief", system_prompt: "p", collection_ids: [ids.collection_id] }),
  },
  {
    method: "PATCH",
    path: "assistants/{assistant_id}",
    body: (ids) => ({ collection_ids: [ids.collection_id] }),
  },
  { method: "DELETE", path: "api-keys/{key_id}" },
  { method: "PATCH", path: "members/{member_id}", body: () => ({ role: "member" }) },
  { method: "DELETE", path: "members/{member_id}" },
  { method: "DELETE", path: "invitations/{invitation_id}" },
  { method: "POST", path: "user/invitations/{invitation_id}/accept" },
  { method: "DELETE", path: "user/invitations/{invitation_id}" },
  { method: "GET", path: "documents/{document_id}" },
  { method: "GET", path: "documents/{document_id}/content" },
  { method: "GET", path: "documents/{document_id}/passage?chunk_id={chunk_id}" },
  { method: "DELETE", path: "documents/{document_id}" },
  { method: "POST", path: "documents/{document_id}/reindex" },
  { method: "GET", path: "documents?collection_id={collection_id}" },
  { method: "POST", path: "documents/upload/{collection_id}", form: fileForm },
  {
    method: "POST",
    path: "search",
    body: (ids) => ({ query: "vault code", collection_ids: [ids.collection_id] }),
  },
  { method: "POST", path: "chat/{assistant_id}", body: () => ({ message: "What is the vault code?" }) },
  { method: "POST", path: "chat/{assistant_id}/stream", body: () => ({ message: "vault code?" }) },
  { method: "GET", path: "chat/{assistant_id}/conversations" },
  { method: "GET", path: "chat/{assistant_id}/conversations/{conversation_id}" },
  { method: "GET", path: "chat/{assistant_id}/conversations/{conversation_id}/stream" },
  { method: "DELETE", path: "chat/{assistant_id}/conversations/{conversation_id}" },
  { method: "GET", path: "conversations?assistant_id={assistant_id}" },
  { method: "GET", path: "conversations/export?assistant_id={assistant_id}" },
  {
    method: "PUT",
    path: "chat/{assistant_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
    body: () => ({ rating: "down", comment: "hijacked" }),
  },
  {
    method: "DELETE",
    path: "chat/{assistant_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
  },
  { method: "GET", path: "reports/unanswered?assistant_id={assistant_id}" },
  {
    method: "POST",
    path: "openai/chat/completions",
    body: (ids) => ({
      model: ids.assistant_id,
      messages: [{ role: "user", content: "What is the vault code?" }],
    }),
  },
  { method: "GET", path: `${NANGO}/callback?provider={provider}&connection_id={connection_id}` },
  { method: "DELETE", path: `${NANGO}/connections/{provider}` },
  {
    method: "POST",
    path: `${NANGO}/connections/{provider}/sync`,
    body: (ids) => ({ collection_id: ids.collection_id }),
  },
  { method: "GET", path: `${NANGO}/syncs/{sync_id}` },
  { method: "GET", path: "webhooks/{webhook_id}" },
  {
    method: "PATCH",
    path: "webhooks/{webhook_id}",
    body: () => ({ url: receiverEndpoint().url, enabled: false }),
  },
  { method: "DELETE", path: "webhooks/{webhook_id}" },
  { method: "POST", path: "webhooks/{webhook_id}/rotate-secret" },
  { method: "POST", path: "webhooks/{webhook_id}/test" },
  { method: "GET", path: "webhooks/{webhook_id}/deliveries" },
];

/** What the owner sees of its seeded resources; compared before and after the intrusions. */
export async function snapshot(owner: TestTenant, ids: SeededIds): Promise<unknown> {
  return {
    tenant: await owner.client.expectJson(200, "GET", `tenants/${ids.tenant_id}`, TenantDetailsSchema),
    collection: await owner.client.expectJson(
      200,
      "GET",
      `collections/${ids.collection_id}`,
      CollectionSchema,
    ),
    assistant: await owner.client.expectJson(200, "GET", `assistants/${ids.assistant_id}`, AssistantSchema),
    widget: await owner.client.expectJson(200, "GET", `assistants/${ids.assistant_id}/widget`, WidgetSchema),
    apiKeys: await owner.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema),
    members: await owner.client.expectJson(200, "GET", "members", MemberPageSchema),
    invitations: await owner.client.expectJson(200, "GET", "invitations", InvitationPageSchema),
    document: await owner.client.expectJson(200, "GET", `documents/${ids.document_id}`, DocumentSchema),
    documents: await owner.client.expectJson(200, "GET", "documents", DocumentPageSchema),
    search: await owner.client.expectJson(200, "POST", "search", SearchResponseSchema, {
      json: { query: "vault code zebra" },
    }),
    usage: await owner.client.expectJson(200, "GET", "usage", UsageSchema),
    usageHistory: await owner.client.expectJson(200, "GET", "usage/history", UsageHistorySchema),
    billing: await owner.client.expectJson(200, "GET", "billing", BillingStatusSchema),
    kpis: await owner.client.expectJson(200, "GET", "kpis", TenantKpisSchema),
    unanswered: await owner.client.expectJson(200, "GET", "reports/unanswered", UnansweredReportSchema),
    conversation: await conversationHistory(owner.client, ids.assistant_id, ids.conversation_id),
    connections: await owner.client.expectJson(200, "GET", `${NANGO}/connections`, ConnectionListSchema),
    sync: await owner.client.expectJson(200, "GET", `${NANGO}/syncs/${ids.sync_id}`, SyncSchema),
    webhooks: await owner.client.expectJson(200, "GET", "webhooks", WebhookEndpointPageSchema),
    webhookDeliveries: await owner.client
      .request("GET", `webhooks/${ids.webhook_id}/deliveries`)
      .then((r) => r.json()),
    // An intrusion refused records nothing in the owner's audit log.
    auditEvents: await owner.client.expectJson(200, "GET", "audit-events?limit=100", AuditEventPageSchema),
  };
}
