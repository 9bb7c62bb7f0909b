// Members list and export only the conversations they started; owners and admins read the others'
// but cannot write into them; another tenant's assistant is a 404.
import { describe, expect, it } from "vitest";
import { ConversationExportSchema } from "../../src/routes/conversations/conversations.schemas";
import { expectBody } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { listConversations, startConversation, workspaceWithPeople } from "./helpers";

describe("who sees which conversations", () => {
  it("gives a member their own conversations only, in the list and the export", async () => {
    const w = await workspaceWithPeople();
    const own = await startConversation(w.member.client, w.support.id);
    await startConversation(w.owner, w.support.id);
    await startConversation(w.visitor, w.support.id);
    expect((await listConversations(w.member.client)).data.map((c) => c.id)).toEqual([own]);
    const exported = await expectBody(
      await w.member.client.request("GET", "conversations/export?format=json"),
      200,
      ConversationExportSchema,
    );
    expect(exported.conversations.map((c) => c.id)).toEqual([own]);
  });

  it("answers 404 for another tenant's assistant, in the list and the export", async () => {
    const w = await workspaceWithPeople();
    await startConversation(w.owner, w.support.id);
    const intruder = await createTenant();
    await createAssistant(intruder, []);
    for (const path of [
      `conversations?assistant_id=${w.support.id}`,
      `conversations/export?assistant_id=${w.support.id}`,
    ]) {
      expect((await intruder.client.expectProblem(404, "GET", path)).code).toBe("not_found");
    }
    expect((await listConversations(intruder.client)).data).toEqual([]);
  });

  it("lets an owner read a visitor's conversation but not reply into it", async () => {
    const w = await workspaceWithPeople();
    const visitors = await startConversation(w.visitor, w.support.id);
    const listed = (await listConversations(w.owner)).data.find((c) => c.id === visitors);
    expect(listed?.started_by_me).toBe(false);
    const problem = await w.owner.expectProblem(403, "POST", `chat/${w.support.id}`, {
      json: { message: "Me too", conversation_id: visitors },
    });
    expect(problem.code).toBe("forbidden");
  });

  it("keeps a Playground's list to the caller's own, even for an owner", async () => {
    const w = await workspaceWithPeople();
    await startConversation(w.visitor, w.support.id);
    await startConversation(w.member.client, w.support.id);
    const owners = await startConversation(w.owner, w.support.id);
    const page = await listConversations(w.owner, `&assistant_id=${w.support.id}&started_by=me`);
    expect(page.data.map((c) => c.id)).toEqual([owners]);
  });
});
