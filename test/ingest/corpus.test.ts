import { describe, expect, it } from "vitest";
import { DocumentSchema } from "../../src/routes/documents/documents.schemas";
import { type DocumentJson, search, uploadCorpus, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { normalise, sleep } from "../helpers/text";

/**
 * Every document of ../shared/corpus (but bad/) goes through the real pipeline: upload, queue,
 * parse, chunk, embed, index. Each ends ready, or failed with the reason MANIFEST.md calls for,
 * and the strings MANIFEST.md lists are found by /search.
 */

interface Expectation {
  path: string;
  failure?: RegExp;
  /** The failure's `error_code`, what the console translates. */
  code?: string;
  /** Strings that /search must find, each optionally on a given page or slide. */
  finds?: { text: string; page?: number }[];
}

const corpus: Expectation[] = [
  {
    path: "pdf/tracemonkey.pdf",
    finds: [
      { text: "Trace-based Just-in-Time Type Specialization for Dynamic Languages", page: 1 },
      { text: "Andreas Gal", page: 1 },
      { text: "Brendan Eich", page: 1 },
    ],
  },
  // MANIFEST.md says "Hello World"; the page's text is "Hello, world!".
  { path: "pdf/helloworld-bad.pdf", finds: [{ text: "Hello, world!", page: 1 }] },
  { path: "pdf/libreoffice-writer-password.pdf", failure: /the PDF is encrypted/, code: "encrypted" },
  // A scan: without a vision model (VISION_MODEL) it cannot be read, and the reason says what would.
  {
    path: "pdf/loremipsum-flat.pdf",
    failure:
      /^the PDF has no text layer \(it looks scanned\); OCR would be needed to read it, which a vision model can do \(set VISION_MODEL\)$/,
    code: "no_text_layer",
  },
  { path: "pdf/copy-protected.pdf" },
  { path: "pdf/TAMReview.pdf" },
  { path: "pdf/dpr-paper-multi-column.pdf", finds: [{ text: "Dense Passage Retrieval" }] },
  { path: "pdf/embedded-images-tables.pdf" },
  { path: "pdf/korean-text-with-tables.pdf" },
  {
    path: "docx/testWORD_various.docx",
    finds: [
      { text: "This is the header text." },
      { text: "This is the footer text." },
      { text: "Here is a text box" },
      { text: "This is a footnote." },
      { text: "Suddenly some Japanese" },
    ],
  },
  { path: "docx/category-level.docx" },
  { path: "docx/docx-tables.docx" },
  { path: "docx/govdocs-014760-ihc-review.docx", finds: [{ text: "Hotshot" }] },
  {
    path: "pptx/testPPT_various2.pptx",
    finds: [
      { text: "Slide2Header" },
      { text: "FirstBullet" },
      { text: "SecondBullet" },
      { text: "R1c1" },
      { text: "This slide is hidden" },
      { text: "MASTERFOOTERMSG" },
      { text: "NotesForSlide2", page: 2 },
      { text: "NotesTableSlide2", page: 2 },
      { text: "Notes for slide3", page: 3 },
    ],
  },
  { path: "pptx/HowWeRefactor.pptx", finds: [{ text: "How We Refactor" }] },
  { path: "pptx/fake-power-point-table.pptx" },
  { path: "html/wikipedia.html", finds: [{ text: "Mozilla" }] },
  { path: "html/bbc-1.html" },
  { path: "html/isw-with-scripts.html" },
  { path: "md/pypdf-extract-text.md", finds: [{ text: "extract_text" }] },
  { path: "md/readability-README.md", finds: [{ text: "Readability" }] },
  { path: "md/simple-table.md" },
  { path: "txt/norwich-city.txt", finds: [{ text: "Carrow Road" }] },
  { path: "txt/fake-text-utf-16-be.txt" },
  { path: "txt/empty.txt", failure: /the file is empty/, code: "empty" },
];

async function ingestAll(tenant: TestTenant, collectionId: string, expectations: Expectation[]) {
  const uploaded = await Promise.all(expectations.map((e) => uploadCorpus(tenant, collectionId, e.path)));
  return Promise.all(uploaded.map((document) => waitForDocument(tenant, document.id, 120_000)));
}

describe.each(["pdf", "docx", "pptx", "html", "md", "txt"])("the %s corpus", (family) => {
  const expectations = corpus.filter((e) => e.path.startsWith(`${family}/`));

  it("ingests every file to ready or to the expected failure, and finds its strings", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant, family);
    const documents = await ingestAll(tenant, collection.id, expectations);

    for (const [i, expectation] of expectations.entries()) {
      const document = documents[i]!;
      if (expectation.failure) {
        expect(document.status, expectation.path).toBe("failed");
        expect(document.error, expectation.path).toMatch(expectation.failure);
        expect(document.error_code, expectation.path).toBe(expectation.code);
        expect(document.chunk_count).toBe(0);
        continue;
      }
      expect(document.status, `${expectation.path}: ${document.error}`).toBe("ready");
      expect(document.chunk_count, expectation.path).toBeGreaterThan(0);
      expect(document.progress.pages_done, expectation.path).toBe(document.progress.pages_total);

      for (const wanted of expectation.finds ?? []) {
        const hits = await search(tenant, wanted.text, { mode: "keyword", top_k: 20 });
        const hit = hits.find(
          (h) => h.document_id === document.id && normalise(h.text).includes(wanted.text),
        );
        expect(hit, `${expectation.path}: "${wanted.text}"`).toBeDefined();
        if (wanted.page !== undefined) {
          expect(hit!.page, `${expectation.path}: page of "${wanted.text}"`).toBeLessThanOrEqual(wanted.page);
          expect(
            hit!.page_end ?? hit!.page,
            `${expectation.path}: page of "${wanted.text}"`,
          ).toBeGreaterThanOrEqual(wanted.page);
        }
        if (family === "pptx") expect(hit!.page, "PPTX chunks carry their slide number").not.toBeNull();
      }
    }
  }, 300_000);
});

describe("large documents", () => {
  it("ingests the 400-page PDF completely, in page batches", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "pdf/irs-irm-2.3.59-400p.pdf");
    const started = Date.now();
    const pagesSeen = new Set<number>();
    let current: DocumentJson = document;
    while (current.status !== "ready" && current.status !== "failed") {
      if (Date.now() - started > 600_000) throw new Error("400-page PDF not ingested in 10 minutes");
      await sleep(500);
      current = await tenant.client.expectJson(200, "GET", `documents/${document.id}`, DocumentSchema);
      pagesSeen.add(current.progress.pages_done);
    }
    console.log(
      `400-page PDF: ${current.chunk_count} chunks, ${current.token_count} tokens in ${Date.now() - started} ms`,
    );
    expect(current.status, current.error ?? "").toBe("ready");
    expect(current.page_count).toBe(400);
    expect(current.progress).toEqual({ pages_done: 400, pages_total: 400 });
    // Progress moved through intermediate values as batches landed.
    expect([...pagesSeen].filter((p) => p > 0 && p < 400).length).toBeGreaterThan(0);
    const last = await search(tenant, "Internal Revenue Manual", { mode: "keyword", top_k: 50 });
    expect(last.some((h) => (h.page ?? 0) > 300)).toBe(true);
  }, 660_000);

  it("ingests the 870-page DOCX handbook completely", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const started = Date.now();
    const document = await uploadCorpus(tenant, collection.id, "docx/handbook-872p.docx");
    const ready = await waitForDocument(tenant, document.id, 300_000);
    console.log(
      `872-page DOCX: ${ready.chunk_count} chunks, ${ready.token_count} tokens in ${Date.now() - started} ms`,
    );
    expect(ready.status, ready.error ?? "").toBe("ready");
    expect(ready.token_count).toBeGreaterThan(120_000);
    const hits = await search(tenant, "Chapter 13 standing trustee", { mode: "hybrid" });
    expect(hits[0]?.document_id).toBe(document.id);
  }, 360_000);
});
