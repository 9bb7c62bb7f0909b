import { describe, expect, it } from "vitest";
import { search, upload, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const encode = (text: string) => new TextEncoder().encode(text);

async function ingestTexts(tenant: TestTenant, texts: string[]) {
  const collection = await createCollection(tenant);
  const documents = [];
  for (const [i, text] of texts.entries()) {
    documents.push(await upload(tenant, collection.id, `note-${i}.txt`, encode(text)));
  }
  for (const document of documents) expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
}

const OWN_NOTES = [
  "The quorvath valve regulates the coolant loop of the north pump station.",
  "Maintenance schedule: the filters of the west station are changed every spring.",
  "Safety briefing for visitors: helmets and boots are required past the gate.",
  "The control room keeps a log of every alarm raised during the night shift.",
];

describe("search statistics stay within the tenant", () => {
  it("keeps a tenant's keyword scores when another tenant ingests documents sharing its terms", async () => {
    const owner = await createTenant();
    await ingestTexts(owner, OWN_NOTES);
    const before = await search(owner, "quorvath valve", { mode: "keyword", top_k: 10 });
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]!.score).toBeGreaterThan(0.5);

    // The other tenant's documents all hold the owner's rare term: in one shared index its idf
    // would collapse, and the owner's scores with it.
    const other = await createTenant();
    await ingestTexts(
      other,
      Array.from({ length: 6 }, (_, i) => `Report ${i}: the quorvath valve of unit ${i} was inspected.`),
    );

    const after = await search(owner, "quorvath valve", { mode: "keyword", top_k: 10 });
    expect(after).toEqual(before);
    expect(await search(owner, "quorvath valve", { mode: "hybrid", top_k: 10 })).not.toContainEqual(
      expect.objectContaining({ text: expect.stringContaining("Report") }),
    );
  });
});
