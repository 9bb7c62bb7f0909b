// A citation of any format opens in place: the text of its page, slide or section, holding the
// cited excerpt, with the document's name and its format's unit; the original downloads under its
// real file name.
import { describe, expect, it } from "vitest";
import { PassageSchema } from "../../src/routes/documents/documents.schemas";
import { ask } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

const cases = [
  { path: "pdf/tracemonkey.pdf", question: "Who wrote the TraceMonkey paper?", unit: "page" },
  { path: "pptx/testPPT_various2.pptx", question: "What does SecondBullet follow?", unit: "slide" },
  { path: "docx/testWORD_various.docx", question: "Where is the text box?", unit: "section" },
  { path: "html/wikipedia.html", question: "What is the Mozilla Foundation?", unit: "section" },
  { path: "md/readability-README.md", question: "How do I install Readability?", unit: "section" },
  { path: "txt/norwich-city.txt", question: "When was Norwich City founded?", unit: "section" },
] as const;

/** A run of `size` characters found twice in `text`, if any: the join repeated an overlap. */
function repeatedRun(text: string, size: number): string | null {
  const seen = new Set<string>();
  for (let at = 0; at + size <= text.length; at += 1) {
    const run = text.slice(at, at + size);
    if (seen.has(run)) return run;
    seen.add(run);
  }
  return null;
}

describe("the passage a citation points into", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const documents = await Promise.all(
    cases.map(async (test) => ({ ...test, document: await uploadCorpus(tenant, collection.id, test.path) })),
  );
  for (const { document } of documents)
    expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const assistant = await createAssistant(tenant, [collection.id]);

  it.each(documents)(
    "gives the $unit of a $path citation, holding its excerpt",
    async ({ document, question, unit }) => {
      const reply = await ask(tenant.client, assistant.id, { message: question });
      const citation = reply.citations.find((cited) => cited.document_id === document.id);
      expect(citation, JSON.stringify(reply)).toBeDefined();
      const query = new URLSearchParams({ chunk_id: citation!.chunk_id });
      if (citation!.page) query.set("page", String(citation!.page));
      const passage = await tenant.client.expectJson(
        200,
        "GET",
        `documents/${document.id}/passage?${query}`,
        PassageSchema,
      );
      expect(passage).toMatchObject({ document_id: document.id, filename: document.filename, unit });
      expect(passage.number).toBe(unit === "section" ? null : citation!.page);
      expect(passage.text).toContain(citation!.excerpt);
      // Overlapping chunks are joined once: no long run of text (an overlap is about 400
      // characters) appears twice.
      expect(repeatedRun(passage.text, 300)).toBeNull();
      // The cited chunk's place holds the excerpt.
      expect(passage.text.slice(passage.cited.start, passage.cited.end)).toContain(citation!.excerpt);
    },
  );

  it("answers 404 for a chunk of another document, and for a chunk id it never gave", async () => {
    const [pdf, pptx] = documents;
    const reply = await ask(tenant.client, assistant.id, { message: cases[0].question });
    const citation = reply.citations.find((cited) => cited.document_id === pdf!.document.id)!;
    for (const path of [
      `documents/${pptx!.document.id}/passage?chunk_id=${citation.chunk_id}`,
      `documents/${pdf!.document.id}/passage?chunk_id=chk_unknown`,
    ]) {
      expect((await tenant.client.expectProblem(404, "GET", path)).code).toBe("not_found");
    }
  });

  it("downloads the original under its real file name, accents and all", async () => {
    const deck = await uploadCorpus(
      tenant,
      collection.id,
      "pptx/fake-power-point-table.pptx",
      "Présentation d'été.pptx",
    );
    const response = await tenant.client.request("GET", `documents/${deck.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Presentation d'ete.pptx"; filename*=UTF-8''Pr%C3%A9sentation%20d%27%C3%A9t%C3%A9.pptx`,
    );
    await response.arrayBuffer();
  });
});
