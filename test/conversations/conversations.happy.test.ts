// The workspace's conversations for owners and admins: who started each (a member, an API key, a
// website visitor), its assistant, its message count; filtered by assistant, date and starter;
// exported as JSON and CSV.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ConversationExportSchema,
  WorkspaceConversationPageSchema,
} from "../../src/routes/conversations/conversations.schemas";
import { expectBody } from "../helpers/api";
import { ask } from "../helpers/chat";
import { listConversations, startConversation, workspaceWithPeople } from "./helpers";

describe("the workspace's conversations", () => {
  it("lists every conversation for owners and admins, with who started it, newest first", async () => {
    const w = await workspaceWithPeople();
    const members = await startConversation(w.member.client, w.support.id);
    await ask(w.member.client, w.support.id, { message: "And then?", conversation_id: members });
    const keys = await startConversation(w.apiKey, w.sales.id);
    const visitors = await startConversation(w.visitor, w.support.id);
    const owners = await startConversation(w.owner, w.sales.id);

    for (const overseer of [w.owner, w.admin.client]) {
      const page = await listConversations(overseer);
      expect(page.data.map((conversation) => conversation.id)).toEqual([owners, visitors, keys, members]);
      const byId = new Map(page.data.map((conversation) => [conversation.id, conversation]));
      expect(byId.get(members)).toMatchObject({
        assistant_id: w.support.id,
        assistant_name: "Support",
        title: "Hello?",
        started_by: { type: "user", name: w.member.email },
        started_by_me: false,
        message_count: 4,
      });
      expect(byId.get(keys)).toMatchObject({
        assistant_name: "Sales",
        started_by: { type: "api_key", name: "backend" },
        message_count: 2,
      });
      expect(byId.get(visitors)).toMatchObject({ started_by: { type: "visitor", name: null } });
    }
    expect((await listConversations(w.owner)).data.find((c) => c.id === owners)?.started_by_me).toBe(true);
  });

  it("filters by assistant, by date range and to the caller's own", async () => {
    const w = await workspaceWithPeople();
    const old = await startConversation(w.member.client, w.support.id);
    await env.DB.prepare("UPDATE conversations SET created_at = ? WHERE id = ?")
      .bind("2026-01-15T10:00:00.000Z", old)
      .run();
    const sales = await startConversation(w.owner, w.sales.id);
    const support = await startConversation(w.member.client, w.support.id);
    const ids = async (query: string) => (await listConversations(w.owner, query)).data.map((c) => c.id);

    expect(await ids(`&assistant_id=${w.support.id}`)).toEqual([support, old]);
    expect(await ids("&from=2026-01-15&to=2026-01-15")).toEqual([old]);
    expect(await ids("&to=2026-01-14")).toEqual([]);
    expect(await ids("&from=2026-01-16")).toEqual([sales, support].sort().reverse());
    expect(await ids("&from=2026-01-15T10:00:00Z&to=2026-01-15T10:00:00.001Z")).toEqual([old]);
    expect(await ids("&started_by=me")).toEqual([sales]);
  });

  it("pages through the conversations with a cursor", async () => {
    const w = await workspaceWithPeople();
    const started = [];
    for (let i = 0; i < 3; i++) started.push(await startConversation(w.owner, w.support.id, `Q${i}`));
    const page = (query: string) =>
      w.owner.expectJson(200, "GET", `conversations?limit=2${query}`, WorkspaceConversationPageSchema);
    const first = await page("");
    expect(first.data.map((c) => c.id)).toEqual([started[2], started[1]]);
    expect(first.has_more).toBe(true);
    const second = await page(`&cursor=${first.next_cursor}`);
    expect(second.data.map((c) => c.id)).toEqual([started[0]]);
    expect(second.has_more).toBe(false);
  });

  it("exports the conversations with their messages as JSON", async () => {
    const w = await workspaceWithPeople();
    const members = await startConversation(w.member.client, w.support.id, "What are your hours?");
    const visitors = await startConversation(w.visitor, w.support.id, "Do you ship abroad?");
    await startConversation(w.owner, w.sales.id);

    const response = await w.owner.request(
      "GET",
      `conversations/export?format=json&assistant_id=${w.support.id}`,
    );
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="conversations-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const exported = await expectBody(response, 200, ConversationExportSchema);
    expect(exported.conversations.map((c) => c.id)).toEqual([visitors, members]);
    expect(exported.conversations[1]).toMatchObject({
      started_by: { type: "user", name: w.member.email },
      message_count: 2,
    });
    expect(exported.conversations[1]!.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(exported.conversations[1]!.messages[0]!.content).toBe("What are your hours?");
  });

  it("exports one CSV row per message, chosen by format or by Accept, with formulas defused", async () => {
    const w = await workspaceWithPeople();
    const id = await startConversation(
      w.visitor,
      w.support.id,
      '=HYPERLINK("http://evil.example","x"), then "quotes"',
    );
    for (const [path, headers] of [
      ["conversations/export?format=csv", {}],
      ["conversations/export", { accept: "text/csv" }],
    ] as const) {
      const response = await w.admin.client.request("GET", path, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const csv = await response.text();
      const lines = csv.split("\r\n");
      expect(lines[0]).toMatch(
        /^conversation_id,conversation_title,assistant_id,assistant_name,started_by_type,/,
      );
      expect(lines.filter((line) => line.startsWith(id))).toHaveLength(2);
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), then ""quotes"""`);
      expect(lines.at(-1)).toBe("");
    }
  });
});
