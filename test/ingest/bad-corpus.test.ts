import { describe, expect, it } from "vitest";
import { readCorpus } from "../helpers/corpus";
import { search, upload, uploadCorpus, uploadRequest, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

/**
 * Hostile files: each is refused at upload with a clear 4xx, or accepted and ends failed with a
 * reason within 60 seconds; the consumer keeps working and a good document beside them is unharmed.
 * Formats Ancre does not take (.zip, .xlsx) are also tried disguised as .docx, to reach the parsers.
 */
const hostile: { path: string; as?: string }[] = [
  { path: "bad/ExternalEntityInText.docx" },
  { path: "bad/jsoup-fuzz-1695-deep-nesting.html" },
  { path: "bad/qpdf-issue-202-deep-nesting.pdf" },
  { path: "bad/qpdf-pages-loop.pdf" },
  { path: "bad/testWORD_protected_passtika.docx" },
  { path: "bad/zbsm.zip", as: "zbsm.docx" },
  { path: "bad/poc-xmlbomb.xlsx", as: "xmlbomb.docx" },
];

describe("hostile files", () => {
  it("refuses the unsupported types as they are named", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    for (const path of ["bad/zbsm.zip", "bad/poc-xmlbomb.xlsx"]) {
      const response = await uploadRequest(
        tenant.client,
        collection.id,
        path.split("/")[1]!,
        await readCorpus(path),
      );
      expect(response.status, path).toBe(415);
    }
  });

  it("ends each one failed with a reason within 60 s, without harming its neighbours", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const started = Date.now();
    const documents = await Promise.all(
      hostile.map((file) => uploadCorpus(tenant, collection.id, file.path, file.as)),
    );
    const good = await upload(
      tenant,
      collection.id,
      "neighbour.md",
      await readCorpus("md/readability-README.md"),
    );
    const finished = await Promise.all(
      documents.map((document) => waitForDocument(tenant, document.id, 60_000)),
    );
    console.log(`hostile corpus settled in ${Date.now() - started} ms`);

    for (const [i, document] of finished.entries()) {
      const name = hostile[i]!.as ?? hostile[i]!.path;
      expect(document.status, name).toBe("failed");
      expect(document.error, name).toMatch(/^the (file|document|PDF|page)\b/);
      expect(document.error, name).not.toMatch(/TypeError|RangeError|stack|at \w+ \(/);
      expect(document.chunk_count, name).toBe(0);
    }
    const protectedDocx = finished[hostile.findIndex((f) => f.path.includes("protected"))]!;
    expect(protectedDocx).toMatchObject({ status: "failed" });
    expect(protectedDocx.error).toMatch(/password|encrypted/);
    for (const bomb of finished.filter((_, i) => hostile[i]!.as)) expect(bomb.status).toBe("failed");

    const neighbour = await waitForDocument(tenant, good.id, 60_000);
    expect(neighbour.status).toBe("ready");
    const hits = await search(tenant, "Readability", { mode: "keyword" });
    expect(hits.some((h) => h.document_id === good.id)).toBe(true);
    const xxe = await search(tenant, "poi apache org", { mode: "keyword" });
    expect(xxe.filter((h) => h.text.includes("poi.apache.org"))).toEqual([]);
  }, 120_000);
});
