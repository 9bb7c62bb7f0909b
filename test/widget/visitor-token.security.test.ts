import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { configFor } from "../../src/config";
import { ConversationPageSchema } from "../../src/routes/chat/chat.schemas";
import { api, expectProblemBody } from "../helpers/api";
import { ask, conversationHistory } from "../helpers/chat";
import { readSse } from "../helpers/sse";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { openSession, publishWidget, SITE, visitorClient } from "../helpers/widgets";

async function widgetWithVisitor() {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const assistant = await createAssistant(tenant, [collection.id]);
  const other = await createAssistant(tenant, [collection.id], "Internal");
  const widget = await publishWidget(tenant, assistant.id);
  const key = widget.publishable_key!;
  const session = await openSession(SITE, key);
  return { tenant, collection, assistant, other, key, session, visitor: visitorClient(session) };
}

const conversationsOf = (client: ReturnType<typeof visitorClient>, assistantId: string) =>
  client.expectJson(200, "GET", `chat/${assistantId}/conversations`, ConversationPageSchema);

describe("a visitor token", () => {
  it("chats with its assistant, streams, resumes and reads its own conversations", async () => {
    const { assistant, visitor, session } = await widgetWithVisitor();
    const answer = await ask(visitor, assistant.id, { message: "Hello?" });
    const history = await conversationHistory(visitor, assistant.id, answer.conversation_id);
    expect(history.owner).toEqual({ type: "visitor", id: session.visitor_id });
    expect(history.messages.map((message) => message.role)).toEqual(["user", "assistant"]);

    const streamed = await visitor.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "And then?", conversation_id: answer.conversation_id },
    });
    expect(streamed.status).toBe(200);
    const { events } = await readSse(streamed.body!);
    expect(events.at(-1)?.event).toBe("done");

    const resumed = await visitor.request(
      "GET",
      `chat/${assistant.id}/conversations/${answer.conversation_id}/stream`,
      { headers: { "last-event-id": events[0]!.id! } },
    );
    expect(resumed.status).toBe(200);
    const replay = await readSse(resumed.body!);
    expect(replay.events.map((event) => event.id)).toEqual(events.slice(1).map((event) => event.id));

    const page = await conversationsOf(visitor, assistant.id);
    expect(page.data.map((conversation) => conversation.id)).toEqual([answer.conversation_id]);
  });

  it("keeps a returning visitor's conversations, and hides everyone else's", async () => {
    const { tenant, assistant, key, session, visitor } = await widgetWithVisitor();
    const mine = await ask(visitor, assistant.id, { message: "Mine" });
    const owners = await ask(tenant.client, assistant.id, { message: "The owner's" });
    const stranger = visitorClient(await openSession(SITE, key));
    const theirs = await ask(stranger, assistant.id, { message: "A stranger's" });

    const returning = visitorClient(await openSession(SITE, key, session.visitor_id));
    expect((await conversationsOf(returning, assistant.id)).data.map((c) => c.id)).toEqual([
      mine.conversation_id,
    ]);
    for (const id of [owners.conversation_id, theirs.conversation_id]) {
      const path = `chat/${assistant.id}/conversations/${id}`;
      for (const [method, target, json] of [
        ["GET", path, undefined],
        ["GET", `${path}/stream`, undefined],
        ["POST", `chat/${assistant.id}`, { message: "Hijack", conversation_id: id }],
        ["POST", `chat/${assistant.id}/stream`, { message: "Hijack", conversation_id: id }],
      ] as const) {
        expect(
          (await returning.expectProblem(404, method, target, { json })).code,
          `${method} ${target}`,
        ).toBe("not_found");
      }
    }
  });

  it("reaches nothing else: documents, collections, search, usage, billing, keys, tenants, settings", async () => {
    const { tenant, collection, assistant, visitor } = await widgetWithVisitor();
    const conversation = await ask(visitor, assistant.id, { message: "Hi" });
    const forbidden: [string, string, unknown?][] = [
      ["GET", "documents"],
      ["GET", `documents?collection_id=${collection.id}`],
      ["GET", "collections"],
      ["GET", `collections/${collection.id}`],
      ["POST", "collections", { name: "Mine now" }],
      ["POST", "search", { query: "anything" }],
      ["GET", "usage"],
      ["GET", "usage/history"],
      ["GET", "reports/unanswered"],
      ["GET", `reports/unanswered?assistant_id=${assistant.id}`],
      ["GET", "billing"],
      ["GET", "api-keys"],
      ["POST", "api-keys", { name: "escalate" }],
      ["GET", "tenants"],
      ["GET", `tenants/${tenant.id}`],
      ["GET", "assistants"],
      ["GET", `assistants/${assistant.id}`],
      ["GET", `assistants/${assistant.id}/widget`],
      ["PUT", `assistants/${assistant.id}/widget`, { allowed_origins: ["https://evil.example"] }],
      ["DELETE", `chat/${assistant.id}/conversations/${conversation.conversation_id}`],
      [
        "POST",
        "openai/chat/completions",
        { model: assistant.id, messages: [{ role: "user", content: "Hi" }] },
      ],
    ];
    for (const [method, path, json] of forbidden) {
      const problem = await visitor.expectProblem(403, method, path, { json });
      expect(problem.code, `${method} ${path}`).toBe("forbidden");
    }
    expect((await conversationHistory(tenant.client, assistant.id, conversation.conversation_id)).id).toBe(
      conversation.conversation_id,
    );
  });

  it("does not reach another assistant, of its tenant or of another tenant's widget", async () => {
    const { other, visitor } = await widgetWithVisitor();
    const elsewhere = await widgetWithVisitor();
    for (const [method, path, json] of [
      ["POST", `chat/${elsewhere.assistant.id}`, { message: "Hi" }],
      ["GET", `chat/${elsewhere.assistant.id}/conversations`, undefined],
      ["POST", `chat/${other.id}`, { message: "Hi" }],
      ["POST", `chat/${other.id}/stream`, { message: "Hi" }],
      ["GET", `chat/${other.id}/conversations`, undefined],
    ] as const) {
      expect((await visitor.expectProblem(404, method, path, { json })).code, `${method} ${path}`).toBe(
        "not_found",
      );
    }
  });

  it("works only from the origin it was issued for", async () => {
    const { assistant, session } = await widgetWithVisitor();
    for (const origin of ["https://evil.example", "https://www.customer.example:8443"]) {
      const problem = await visitorClient(session, origin).expectProblem(
        403,
        "POST",
        `chat/${assistant.id}`,
        {
          json: { message: "Hi" },
        },
      );
      expect(problem.code, origin).toBe("widget_origin_not_allowed");
    }
    // A same-origin GET carries no Origin: the Referer's origin stands for it.
    const sameOriginPage = api({ authorization: `Bearer ${session.token}`, referer: `${SITE}/help?q=1` });
    await sameOriginPage.expectJson(200, "GET", `chat/${assistant.id}/conversations`, ConversationPageSchema);
    const elsewherePage = api({ authorization: `Bearer ${session.token}`, referer: "https://evil.example/" });
    expect((await elsewherePage.expectProblem(403, "GET", `chat/${assistant.id}/conversations`)).code).toBe(
      "widget_origin_not_allowed",
    );
    const withoutOrigin = api({ authorization: `Bearer ${session.token}` });
    expect((await withoutOrigin.expectProblem(403, "GET", `chat/${assistant.id}/conversations`)).code).toBe(
      "widget_origin_not_allowed",
    );
  });

  it("stops at once when the key rotates, the widget is disabled or the origin is removed", async () => {
    const rotated = await widgetWithVisitor();
    await rotated.tenant.client.request("POST", `assistants/${rotated.assistant.id}/widget/rotate`);
    const afterRotation = await rotated.visitor.expectProblem(
      401,
      "GET",
      `chat/${rotated.assistant.id}/conversations`,
    );
    expect(afterRotation.code).toBe("unauthenticated");

    const disabled = await widgetWithVisitor();
    await disabled.tenant.client.expectNoContent("DELETE", `assistants/${disabled.assistant.id}/widget`);
    const afterDisabling = await disabled.visitor.expectProblem(
      403,
      "POST",
      `chat/${disabled.assistant.id}`,
      {
        json: { message: "Hi" },
      },
    );
    expect(afterDisabling.code).toBe("widget_disabled");

    const moved = await widgetWithVisitor();
    await publishWidget(moved.tenant, moved.assistant.id, {
      allowed_origins: ["https://other.customer.example"],
    });
    const afterRemoval = await moved.visitor.expectProblem(
      403,
      "GET",
      `chat/${moved.assistant.id}/conversations`,
    );
    expect(afterRemoval.code).toBe("widget_origin_not_allowed");
  });

  it("is refused when expired, forged or tampered with", async () => {
    const { tenant, assistant, key, session } = await widgetWithVisitor();
    const claims = { tid: tenant.id, aid: assistant.id, org: SITE, pk: key };
    const sign = (secret: string, expiresAt: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "ancre-visitor+jwt" })
        .setIssuer("ancre")
        .setAudience("ancre-widget")
        .setSubject(session.visitor_id)
        .setIssuedAt(expiresAt - 1800)
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(secret));
    const secret = configFor(env).widget.tokenSecret!;
    const now = Math.floor(Date.now() / 1000);
    const [header, payload, signature] = session.token.split(".");
    const fromBase64Url = (text: string) => JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    const toBase64Url = (value: unknown) =>
      btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const otherTenant = toBase64Url({ ...fromBase64Url(payload!), tid: "ten_other" });
    const tokens = {
      expired: await sign(secret, now - 60),
      forged: await sign("a-secret-that-is-not-the-servers-secret", now + 600),
      tampered: `${header}.${otherTenant}.${signature}`,
    };
    // The test can fail: the same claims signed with the real secret are accepted.
    const genuine = api({ authorization: `Bearer ${await sign(secret, now + 600)}`, origin: SITE });
    await genuine.expectJson(200, "GET", `chat/${assistant.id}/conversations`, ConversationPageSchema);
    for (const [what, token] of Object.entries(tokens)) {
      const response = await api({ authorization: `Bearer ${token}`, origin: SITE }).request(
        "GET",
        `chat/${assistant.id}/conversations`,
      );
      expect((await expectProblemBody(response, 401, what)).code, what).toBe("unauthenticated");
    }
  });
});
