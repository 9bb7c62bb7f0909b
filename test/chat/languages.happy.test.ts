import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/ingest/parse/markdown";
import { answerMessages } from "../../src/lib/text/answer-messages";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import type { ChatResponseSchema } from "../../src/routes/chat/chat.schemas";
import { ask } from "../helpers/chat";
import { readOriginal } from "../helpers/corpus";
import { upload, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { normalise } from "../helpers/text";

type Reply = z.infer<typeof ChatResponseSchema>;

// The original product's two READMEs, in French: Markdown in .txt files, uploaded as .md so that
// their headings become the sections citations name.
const SAAS = { original: "001_42cd5e214af97fe8.txt", filename: "ancre-saas.md" };
const BACKEND = { original: "000_394daf98beeccaf7.txt", filename: "ancre-backend.md" };

async function uploadReadme(tenant: TestTenant, collectionId: string, readme: typeof SAAS) {
  const document = await upload(tenant, collectionId, readme.filename, await readOriginal(readme.original));
  expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  return document;
}

/** The text of a README as ingestion reads it, whitespace folded. */
async function readmeText(readme: typeof SAAS): Promise<string> {
  const parsed = parseMarkdown(await readOriginal(readme.original));
  return normalise(parsed.blocks.map((block) => block.text).join(" "));
}

function createAssistant(tenant: TestTenant, collectionIds: string[], extra: { language?: string } = {}) {
  return tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: {
      name: "Mon Assistant",
      system_prompt: "Tu es un assistant qui répond en français.",
      collection_ids: collectionIds,
      ...extra,
    },
  });
}

function expectMarkersMatchCitations(reply: Reply) {
  const markers = new Set([...reply.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  expect(markers.size, reply.answer).toBeGreaterThan(0);
  expect(new Set(reply.citations.map((c) => c.index))).toEqual(markers);
}

const FRENCH_REFUSALS = [answerMessages("fr").sourcesDoNotAnswer, answerMessages("fr").nothingFound];

describe("answers in the question's language, with nothing configured", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  await uploadReadme(tenant, collection.id, SAAS);
  await uploadReadme(tenant, collection.id, BACKEND);
  const assistant = await createAssistant(tenant, [collection.id]);
  const texts = { [SAAS.filename]: await readmeText(SAAS), [BACKEND.filename]: await readmeText(BACKEND) };

  /** Asks, and checks that every citation quotes its document verbatim. */
  async function askFrench(message: string): Promise<Reply> {
    const reply = await ask(tenant.client, assistant.id, { message });
    expect(FRENCH_REFUSALS, reply.answer).not.toContain(reply.answer);
    expectMarkersMatchCitations(reply);
    for (const citation of reply.citations) {
      expect(texts[citation.filename], citation.filename).toContain(normalise(citation.excerpt));
    }
    return reply;
  }

  // French function words ("quel", "combien", "faut", "des") are not the question's topic: weighed
  // as content, they are rare in the documents, so they outweighed the words that matter.
  it("answers French questions from the French documents, citing the document that says it", async () => {
    const authentication = await askFrench("Quel outil gère l'authentification des utilisateurs ?");
    expect(authentication.answer).toContain("Clerk pour l'auth utilisateur");
    expect(authentication.citations.map((c) => c.filename)).toContain(SAAS.filename);

    const terminals = await askFrench("Combien de terminaux faut-il ouvrir pour démarrer l'application ?");
    expect(terminals.answer).toContain("Ouvrir **4 terminaux**");
    const citation = terminals.citations.find((c) => c.excerpt.includes("4 terminaux"));
    expect(citation, JSON.stringify(terminals.citations)).toMatchObject({ filename: SAAS.filename });
    expect(citation!.section).toMatch(/Installation en local/);
  });

  it("cites the section an answer comes from", async () => {
    const reply = await askFrench("Que permet la variable DEV_AUTH_BYPASS ?");
    expect(reply.answer).toContain("permet de tester sans Clerk");
    const citation = reply.citations.find((c) => c.excerpt.includes("permet de tester sans Clerk"));
    expect(citation, JSON.stringify(reply.citations)).toMatchObject({ filename: SAAS.filename });
    expect(citation!.section).toMatch(/Variables d’environnement backend|Installation en local/);
  });

  it("refuses in French when the documents do not answer a French question", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "Quelle est la capitale de l'Australie ?",
    });
    expect(FRENCH_REFUSALS).toContain(reply.answer);
    expect(reply.citations).toEqual([]);
  });

  it("still refuses in English when the question is in English", async () => {
    const reply = await ask(tenant.client, assistant.id, {
      message: "What is the boiling point of mercury in kelvin?",
    });
    expect([answerMessages("en").sourcesDoNotAnswer, answerMessages("en").nothingFound]).toContain(
      reply.answer,
    );
  });
});

describe("an assistant's language setting", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  await uploadReadme(tenant, collection.id, SAAS);

  it("writes the fixed sentences in the assistant's language, whatever the question's", async () => {
    const french = await createAssistant(tenant, [collection.id], { language: "fr" });
    const refusal = await ask(tenant.client, french.id, {
      message: "What is the boiling point of mercury in kelvin?",
    });
    expect(FRENCH_REFUSALS).toContain(refusal.answer);
    const summary = await ask(tenant.client, french.id, { message: "Summarize this document" });
    expect(summary.answer.startsWith(answerMessages("fr").summaryOf(`« ${SAAS.filename} »`))).toBe(true);
  });

  it("follows each question's language when set to auto", async () => {
    const auto = await createAssistant(tenant, [collection.id], { language: "auto" });
    const english = await ask(tenant.client, auto.id, {
      message: "What is the boiling point of mercury in kelvin?",
    });
    expect(english.answer).toMatch(/^I don't know/);
    const french = await ask(tenant.client, auto.id, { message: "Quelle est la capitale de l'Australie ?" });
    expect(FRENCH_REFUSALS).toContain(french.answer);
  });
});

/** The sentences a summary quotes, in its order: the text before each marker. */
const quotedSentences = (answer: string) =>
  answer
    .split("\n\n")
    .slice(1)
    .join(" ")
    .split(/\s*\[\d+\]\s*/)
    .filter(Boolean);

describe("requests about a whole document", async () => {
  const tenant = await createTenant();
  const single = await createCollection(tenant, "SaaS");
  const saas = await uploadReadme(tenant, single.id, SAAS);
  const both = await createCollection(tenant, "Both");
  const backendInBoth = await uploadReadme(tenant, both.id, BACKEND);
  await uploadReadme(tenant, both.id, SAAS);
  const assistant = await createAssistant(tenant, [single.id]);
  const saasText = await readmeText(SAAS);

  it("answers « Résume ce document » with the document's central sentences, in document order, each cited", async () => {
    const reply = await ask(tenant.client, assistant.id, { message: "Résume ce document" });
    expect(reply).toMatchObject({ model: "extractive", finish_reason: "stop" });
    expect(
      reply.answer.startsWith(answerMessages("fr").summaryOf(`« ${SAAS.filename} »`)),
      reply.answer,
    ).toBe(true);
    expectMarkersMatchCitations(reply);
    const sentences = quotedSentences(reply.answer);
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    // Each sentence is its own citation, quoted verbatim from the document.
    expect(reply.citations.map((c) => normalise(c.excerpt))).toEqual(sentences.map(normalise));
    for (const citation of reply.citations) {
      expect(citation).toMatchObject({ document_id: saas.id, filename: SAAS.filename });
    }
    const positions = sentences.map((sentence) => saasText.indexOf(normalise(sentence)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("recognises the request however it is phrased, and picks the same sentences whatever the words", async () => {
    const reference = await ask(tenant.client, assistant.id, { message: "Résume ce document" });
    for (const [message, language] of [
      ["De quoi parle ce document ?", "fr"],
      ["Summarize this document, please.", "en"],
      ["Fasse dieses Dokument zusammen", "de"],
    ] as const) {
      const reply = await ask(tenant.client, assistant.id, { message });
      expect(reply.answer.split("\n\n")[0], message).toBe(
        answerMessages(language).summaryOf(
          { fr: `« ${SAAS.filename} »`, en: `“${SAAS.filename}”`, de: `„${SAAS.filename}“` }[language],
        ),
      );
      expect(reply.citations.map((c) => c.excerpt)).toEqual(reference.citations.map((c) => c.excerpt));
    }
  });

  it("summarises the document the conversation is about", async () => {
    const both2 = await createAssistant(tenant, [both.id]);
    const first = await ask(tenant.client, both2.id, {
      message: "Combien d'assistants un tenant peut-il avoir ?",
    });
    // The answer quotes the backend README ("Jusqu'à 3 assistants par tenant"): "this document" is it.
    const cited = first.citations.map((c) => c.document_id);
    expect(cited.filter((id) => id === backendInBoth.id).length).toBeGreaterThan(cited.length / 2);
    const summary = await ask(tenant.client, both2.id, {
      message: "Résume ce document",
      conversation_id: first.conversation_id,
    });
    expect(summary.answer.startsWith(answerMessages("fr").summaryOf(`« ${BACKEND.filename} »`))).toBe(true);
    expect(summary.citations.length).toBeGreaterThan(0);
    for (const citation of summary.citations) expect(citation.document_id).toBe(backendInBoth.id);
  });
});
