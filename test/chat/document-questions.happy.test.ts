// Questions about a document itself (who wrote it, its title, its authors' institutions, what it is
// about) are answered from its title page and its summary, with citations, in the supported
// languages, through the API with the default (extractive) answerer.
import { describe, expect, it } from "vitest";
import { answerMessages } from "../../src/lib/text/answer-messages";
import { documentFactRequest } from "../../src/lib/text/document-question";
import { ask } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

describe("questions about the document itself", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const paper = await uploadCorpus(tenant, collection.id, "pdf/tracemonkey.pdf");
  expect((await waitForDocument(tenant, paper.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);
  const askPaper = (message: string) => ask(tenant.client, assistant.id, { message });

  it("names the authors of the paper, cited from its title page, in English and in French", async () => {
    for (const question of [
      "Who wrote the TraceMonkey paper?",
      "Who are the authors of this paper?",
      "Qui sont les auteurs de l'article ?",
      "Wer hat dieses Dokument geschrieben?",
    ]) {
      const reply = await askPaper(question);
      expect(reply.answer, question).toContain("Andreas Gal");
      expect(reply.answer, question).toContain("Brendan Eich");
      expect(reply.citations, question).toHaveLength(1);
      expect(reply.citations[0]).toMatchObject({ document_id: paper.id, page: 1 });
      // The excerpt is a sentence of the quoted author list.
      expect(reply.answer).toContain(reply.citations[0]!.excerpt);
    }
  });

  it("gives the title and the institutions from the title page", async () => {
    const title = await askPaper("What is the title of the document?");
    expect(title.answer).toContain("Trace-based Just-in-Time Type Specialization for Dynamic Languages");
    expect(title.citations).toHaveLength(1);
    const institutions = await askPaper("Which institutions do the authors come from?");
    for (const name of [
      "Mozilla Corporation",
      "Adobe Corporation",
      "Intel Corporation",
      "University of California, Irvine",
    ]) {
      expect(institutions.answer).toContain(name);
    }
    expect(institutions.answer).not.toContain(answerMessages("en").sourcesDoNotAnswer);
  });

  it("answers what the document is about with its summary, however the question is phrased", async () => {
    for (const question of ["Quel est le sujet principal de ce document ?", "What is this paper about?"]) {
      const reply = await askPaper(question);
      expect(reply.answer, question).not.toContain(answerMessages("fr").sourcesDoNotAnswer);
      expect(reply.answer, question).not.toContain(answerMessages("en").sourcesDoNotAnswer);
      expect(reply.citations.length, question).toBeGreaterThanOrEqual(3);
    }
  });

  it("leaves questions about a topic, or about authors of something else, to search", () => {
    expect(documentFactRequest("Who wrote the trace monitor?")?.rest).toEqual(["trace", "monitor"]);
    expect(documentFactRequest("How are traces recorded?")).toBeUndefined();
    expect(documentFactRequest("Who invented JavaScript?")).toBeUndefined();
    expect(documentFactRequest("Quand cet article a-t-il été publié ?")).toMatchObject({
      fact: "date",
      rest: [],
    });
  });
});
