import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { ask } from "../helpers/chat";
import { readOriginal } from "../helpers/corpus";
import { upload, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

/**
 * Runs in the "openai" project: answers come from the local Chat Completions fake, which keeps the
 * requests it was sent. Each assistant has a model name of its own, so its requests can be told
 * apart from other test files'.
 */

interface SentRequest {
  model: string;
  messages: { role: string; content: string }[];
}

async function sentRequests(): Promise<SentRequest[]> {
  const url = `${env.OPENAI_BASE_URL}/__requests`.replace("/v1/__requests", "/__requests");
  return ((await (await fetch(url)).json()) as { requests: SentRequest[] }).requests;
}

/** The last request whose messages contain `text`. */
async function lastRequestWith(text: string): Promise<SentRequest> {
  const request = (await sentRequests()).findLast((sent) =>
    sent.messages.some((m) => m.content.includes(text)),
  );
  expect(request, `no request contains ${text}`).toBeDefined();
  return request!;
}

function createAssistant(tenant: TestTenant, collectionId: string, model: string, language?: string) {
  return tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: {
      name: model,
      system_prompt: "Tu es un assistant qui répond à partir des documents.",
      collection_ids: [collectionId],
      model,
      ...(language ? { language } : {}),
    },
  });
}

describe("the language of answers written by a model", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await upload(
    tenant,
    collection.id,
    "ancre-saas.md",
    await readOriginal("001_42cd5e214af97fe8.txt"),
  );
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const auto = await createAssistant(tenant, collection.id, "fake-language-auto");

  it("asks for answers in the question's language when the assistant follows questions", async () => {
    const question = "Quel outil gère l'authentification des utilisateurs de la console ?";
    await ask(tenant.client, auto.id, { message: question });
    const sent = await lastRequestWith(question);
    expect(sent.model).toBe("fake-language-auto");
    expect(sent.messages[0]!.role).toBe("system");
    expect(sent.messages[0]!.content).toContain("Answer in French");
  });

  it("asks for answers in the assistant's language when it sets one, whatever the question's", async () => {
    const german = await createAssistant(tenant, collection.id, "fake-language-de", "de");
    const question = "Which tool handles the authentication of console users?";
    await ask(tenant.client, german.id, { message: question });
    const sent = await lastRequestWith(question);
    expect(sent.model).toBe("fake-language-de");
    expect(sent.messages[0]!.content).toContain("Answer in German");
    expect(sent.messages[0]!.content).not.toContain("Answer in English");
  });

  it("rewrites a follow-up in the follow-up's language", async () => {
    const first = await ask(tenant.client, auto.id, {
      message: "Quel outil gère les abonnements et la facturation du produit ?",
    });
    const followUp = "Et combien coûte son offre la plus chère pour une équipe ?";
    await ask(tenant.client, auto.id, { message: followUp, conversation_id: first.conversation_id });
    const rewrite = await lastRequestWith(`Follow-up question: ${followUp}`);
    expect(rewrite.messages[0]!.content).toContain("write the query in French");
  });

  it("gives the model the document's central passages when asked to summarise it", async () => {
    const reply = await ask(tenant.client, auto.id, { message: "Résume ce document" });
    const sent = await lastRequestWith("Résume ce document");
    expect(sent.messages[0]!.content).toContain("Answer in French");
    expect(sent.messages[1]!.content).toMatch(/^Sources:\n\n\[1\] \(ancre-saas\.md/);
    expect(reply.citations.length).toBeGreaterThan(0);
    for (const citation of reply.citations) expect(citation.document_id).toBe(document.id);
  });
});
