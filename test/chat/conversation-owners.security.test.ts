import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import { type ApiClient, api } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { clerkClient, signToken } from "../helpers/clerk";
import { addMember, createAssistant, createTenant } from "../helpers/tenants";

/** A tenant (its owner is the bypass's user), two members, an admin and an admin API key, one assistant. */
async function tenantWithPeople() {
  const tenant = await createTenant();
  const assistant = await createAssistant(tenant, []);
  const person = async (role: "member" | "admin") => {
    const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
    await addMember(tenant, userId, role);
    return clerkClient(await signToken({ sub: userId }), { "x-tenant-id": tenant.id });
  };
  const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
    json: { name: "backend", role: "admin" },
  });
  return {
    assistant,
    owner: tenant.client,
    alice: await person("member"),
    bob: await person("member"),
    admin: await person("admin"),
    apiKey: api({ authorization: `Bearer ${key}` }),
  };
}

async function startConversation(client: ApiClient, assistantId: string): Promise<string> {
  const reply = await ask(client, assistantId, { message: "Hello?" });
  return reply.conversation_id;
}

const listedIds = async (client: ApiClient, assistantId: string) =>
  (
    await client.expectJson(200, "GET", `chat/${assistantId}/conversations?limit=100`, ConversationPageSchema)
  ).data.map((conversation) => conversation.id);

describe("conversation owners", () => {
  it("lets a member read and continue the conversations they started, owned by them", async () => {
    const { assistant, alice } = await tenantWithPeople();
    const id = await startConversation(alice, assistant.id);
    await ask(alice, assistant.id, { message: "And then?", conversation_id: id });
    const conversation = await conversationHistory(alice, assistant.id, id);
    expect(conversation.owner).toEqual({ type: "user", id: expect.stringMatching(/^user_member_/) });
    expect(conversation.messages).toHaveLength(4);
    expect(await listedIds(alice, assistant.id)).toEqual([id]);
  });

  it("hides another member's conversation as if it did not exist, and changes nothing of it", async () => {
    const { assistant, alice, bob } = await tenantWithPeople();
    const id = await startConversation(alice, assistant.id);
    const path = `chat/${assistant.id}/conversations/${id}`;
    const before = await conversationHistory(alice, assistant.id, id);

    for (const [method, target, json] of [
      ["GET", path, undefined],
      ["GET", `${path}/stream`, undefined],
      ["DELETE", path, undefined],
      ["POST", `chat/${assistant.id}`, { message: "Hijack", conversation_id: id }],
      ["POST", `chat/${assistant.id}/stream`, { message: "Hijack", conversation_id: id }],
    ] as const) {
      const problem = await bob.expectProblem(404, method, target, { json });
      expect(problem.code, `${method} ${target}`).toBe("not_found");
    }
    expect(await listedIds(bob, assistant.id)).toEqual([]);
    expect(await conversationHistory(alice, assistant.id, id)).toEqual(before);
  });

  it("lets owners and admins read every conversation but send messages only into their own", async () => {
    const { assistant, owner, alice, admin } = await tenantWithPeople();
    const alices = await startConversation(alice, assistant.id);
    const admins = await startConversation(admin, assistant.id);
    const before = await conversationHistory(alice, assistant.id, alices);

    for (const overseer of [owner, admin]) {
      expect(await conversationHistory(overseer, assistant.id, alices)).toEqual(before);
      expect((await listedIds(overseer, assistant.id)).sort()).toEqual([alices, admins].sort());
      const problem = await overseer.expectProblem(403, "POST", `chat/${assistant.id}`, {
        json: { message: "Me too", conversation_id: alices },
      });
      expect(problem.code).toBe("forbidden");
    }
    expect(await conversationHistory(alice, assistant.id, alices)).toEqual(before);
    // The member does not see the admin's conversation.
    expect(await listedIds(alice, assistant.id)).toEqual([alices]);
  });

  it("gives an API key its own conversations and an admin's view of the others", async () => {
    const { assistant, alice, apiKey } = await tenantWithPeople();
    const keys = await startConversation(apiKey, assistant.id);
    const alices = await startConversation(alice, assistant.id);

    const own = await conversationHistory(apiKey, assistant.id, keys);
    expect(own.owner).toEqual({ type: "api_key", id: expect.stringMatching(/^key_/) });
    await ask(apiKey, assistant.id, { message: "Again", conversation_id: keys });
    await conversationHistory(apiKey, assistant.id, alices);
    await apiKey.expectProblem(403, "POST", `chat/${assistant.id}`, {
      json: { message: "Again", conversation_id: alices },
    });
    await alice.expectProblem(404, "GET", `chat/${assistant.id}/conversations/${keys}`);
  });

  it("shows a conversation without a recorded owner to owners and admins only", async () => {
    const { assistant, owner, alice, admin } = await tenantWithPeople();
    const id = await startConversation(owner, assistant.id);
    // As the migration leaves the conversations started before owners were recorded.
    await env.DB.prepare("UPDATE conversations SET owner_type = NULL, owner_id = NULL WHERE id = ?")
      .bind(id)
      .run();
    expect((await conversationHistory(admin, assistant.id, id)).owner).toBeNull();
    await conversationHistory(owner, assistant.id, id);
    await alice.expectProblem(404, "GET", `chat/${assistant.id}/conversations/${id}`);
    expect(await listedIds(alice, assistant.id)).toEqual([]);
    // Nobody started it as far as Ancre knows: nobody writes into it.
    await owner.expectProblem(403, "POST", `chat/${assistant.id}`, {
      json: { message: "More", conversation_id: id },
    });
  });
});
