import { describe, expect, it } from "vitest";
import { FeedbackSchema } from "../../src/routes/chat/chat.schemas";
import { UnansweredReportSchema } from "../../src/routes/reports/reports.schemas";
import type { ApiClient } from "../helpers/api";
import { ask } from "../helpers/chat";
import { clerkClient, signToken } from "../helpers/clerk";
import { upload, waitForDocument } from "../helpers/documents";
import { addMember, createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

const LIGHTHOUSE =
  "# Lighthouse\n\nThe Harbour lighthouse was built in 1874 by the engineer Marguerite Delorme. Its lamp is lit every evening at dusk.";

const report = (client: ApiClient, query = "") =>
  client.expectJson(200, "GET", `reports/unanswered${query}`, UnansweredReportSchema);

async function rate(
  client: ApiClient,
  assistantId: string,
  reply: { conversation_id: string; message_id: string },
  json: unknown,
) {
  await client.expectJson(
    200,
    "PUT",
    `chat/${assistantId}/conversations/${reply.conversation_id}/messages/${reply.message_id}/feedback`,
    FeedbackSchema,
    { json },
  );
}

describe("the report of unanswered questions", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await upload(tenant, collection.id, "lighthouse.md", encode(LIGHTHOUSE));
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);
  const other = await createAssistant(tenant, [], "Other");

  // Two wordings of one question the documents do not answer, another one, and an answer thumbed down.
  const refused = [
    await ask(tenant.client, assistant.id, { message: "What is the refund policy?" }),
    await ask(tenant.client, assistant.id, { message: "How do I reset my password?" }),
    await ask(tenant.client, assistant.id, { message: "Is there a refund policy for damaged goods?" }),
  ];
  const answered = await ask(tenant.client, assistant.id, {
    message: "When was the Harbour lighthouse built?",
  });
  const liked = await ask(tenant.client, assistant.id, { message: "Who built the Harbour lighthouse?" });
  const otherRefusal = await ask(tenant.client, other.id, { message: "What is the refund policy?" });

  it("counts refusals and thumbed-down answers by similar question, with the documents retrieved", async () => {
    for (const reply of refused) expect(reply.citations).toEqual([]);
    expect(answered.citations.length).toBeGreaterThan(0);
    expect(liked.citations.length).toBeGreaterThan(0);
    await rate(tenant.client, assistant.id, answered, { rating: "down", comment: "I wanted the month too" });
    await rate(tenant.client, assistant.id, liked, { rating: "up" });

    const body = await report(tenant.client, `?assistant_id=${assistant.id}`);
    expect(body).toMatchObject({
      assistant_id: assistant.id,
      grouping: "terms",
      answers: 4,
      truncated: false,
    });
    const groups = body.groups.map((group) => ({
      questions: [...group.questions].sort(),
      count: group.count,
      refusals: group.refusals,
      thumbs_down: group.thumbs_down,
      comments: group.comments,
      assistant: group.assistant_name,
    }));
    expect(groups).toEqual([
      {
        questions: ["Is there a refund policy for damaged goods?", "What is the refund policy?"],
        count: 2,
        refusals: 2,
        thumbs_down: 0,
        comments: [],
        assistant: "Helper",
      },
      // Groups asked as often: the latest first.
      {
        questions: ["When was the Harbour lighthouse built?"],
        count: 1,
        refusals: 0,
        thumbs_down: 1,
        comments: ["I wanted the month too"],
        assistant: "Helper",
      },
      expect.objectContaining({ questions: ["How do I reset my password?"], count: 1, refusals: 1 }),
    ]);
    const thumbedDown = body.groups.find((group) => group.thumbs_down === 1)!;
    expect(thumbedDown.documents).toEqual([
      { document_id: document.id, filename: "lighthouse.md", count: 1 },
    ]);
  });

  it("reports every assistant unless one is asked for, and only the period asked for", async () => {
    const all = await report(tenant.client);
    expect(all.answers).toBe(5);
    expect(all.groups.filter((group) => group.assistant_id === other.id)).toEqual([
      expect.objectContaining({ question: "What is the refund policy?", count: 1, documents: [] }),
    ]);
    expect(otherRefusal.answer_mode).toBe("none");
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await report(tenant.client, `?from=${tomorrow}&to=${tomorrow}`)).toMatchObject({
      answers: 0,
      groups: [],
    });
    await tenant.client.expectProblem(400, "GET", `reports/unanswered?from=${tomorrow}&to=2020-01-01`);
  });

  it("is for owners and admins: a member is refused", async () => {
    const userId = `user_member_${crypto.randomUUID().slice(0, 8)}`;
    await addMember(tenant, userId, "member");
    const member = clerkClient(await signToken({ sub: userId }), { "x-tenant-id": tenant.id });
    await member.expectProblem(403, "GET", "reports/unanswered");
  });

  it("shows another tenant nothing of this one, and another tenant's assistant is a 404", async () => {
    const intruder = await createTenant();
    expect(await report(intruder.client)).toMatchObject({ answers: 0, groups: [] });
    await intruder.client.expectProblem(404, "GET", `reports/unanswered?assistant_id=${assistant.id}`);
  });
});
