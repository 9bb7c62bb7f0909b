import { describe, expect, it } from "vitest";
import { extractBatch } from "../../src/ingest/parse";
import { search, upload, waitForDocument } from "../helpers/documents";
import { LETTER_LINES, letterPdf } from "../helpers/letter-pdf";
import { createCollection, createTenant } from "../helpers/tenants";

describe("a scanned letter whose OCR layer spaces out the letters of words", () => {
  it("is rejoined word by word and read", async () => {
    const extracted = await extractBatch("pdf", letterPdf(), 0, 25);
    expect(extracted.unreadablePages).toEqual([]);
    expect(extracted.letterSpacedPages).toEqual([1]);
    const text = extracted.blocks.map((block) => block.text).join(" ");
    for (const line of LETTER_LINES) expect(text).toContain(line);
  });

  it("is ready, searchable, with a warning naming its page", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const uploaded = await upload(tenant, collection.id, "harbour-letter.pdf", letterPdf());
    const document = await waitForDocument(tenant, uploaded.id);

    expect(document.status).toBe("ready");
    expect(document.warnings).toEqual([
      {
        code: "letter_spaced_pages",
        pages: [1],
        message: expect.stringMatching(/^page 1: the text layer spaces out the letters of words/),
      },
    ]);
    const [hit] = await search(tenant, "breakwater renovation", {
      mode: "keyword",
      collection_ids: [collection.id],
    });
    expect(hit?.page).toBe(1);
    expect(hit?.text).toContain("renovation of the eastern breakwater");
  });
});
