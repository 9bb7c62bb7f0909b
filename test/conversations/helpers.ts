import { env } from "cloudflare:workers";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { WorkspaceConversationPageSchema } from "../../src/routes/conversations/conversations.schemas";
import { type ApiClient, api } from "../helpers/api";
import { ask } from "../helpers/chat";
import { clerkClient, signToken } from "../helpers/clerk";
import { addMember, createAssistant, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

/**
 * A tenant (its owner is the bypass's user) with a member and an admin who have e-mails, an API
 * key named "backend", a website visitor and two assistants, the first published on SITE.
 */
export async function workspaceWithPeople() {
  const tenant = await createTenant();
  const support = await createAssistant(tenant, [], "Support");
  const sales = await createAssistant(tenant, [], "Sales");
  const person = async (role: "member" | "admin") => {
    const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
    const email = `${role}-${userId.slice(-8)}@example.com`;
    await addMember(tenant, userId, role);
    await env.DB.prepare("UPDATE memberships SET email = ? WHERE tenant_id = ? AND user_id = ?")
      .bind(email, tenant.id, userId)
      .run();
    return { client: clerkClient(await signToken({ sub: userId }), { "x-tenant-id": tenant.id }), email };
  };
  const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
    json: { name: "backend", role: "admin" },
  });
  const widget = await publishWidget(tenant, support.id);
  return {
    tenant,
    support,
    sales,
    owner: tenant.client,
    member: await person("member"),
    admin: await person("admin"),
    apiKey: api({ authorization: `Bearer ${key}` }),
    visitor: visitorClient(await openSession(SITE, widget.publishable_key!)),
  };
}

/** Starts a conversation and returns its id. */
export const startConversation = async (client: ApiClient, assistantId: string, message = "Hello?") =>
  (await ask(client, assistantId, { message })).conversation_id;

/** GET /conversations with a query string, all of its first page. */
export const listConversations = (client: ApiClient, query = "") =>
  client.expectJson(200, "GET", `conversations?limit=100${query}`, WorkspaceConversationPageSchema);
