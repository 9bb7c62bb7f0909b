import { afterEach, describe, expect, it, vi } from "vitest";
import { extractPagesFrom } from "../../../src/ingest/parse";
import { ZipArchive } from "../../../src/ingest/parse/zip";
import { readCorpus } from "../../helpers/corpus";

/** How many times document.xml is inflated while `run` runs. */
async function documentXmlReads(run: () => Promise<unknown>): Promise<number> {
  const read = vi.spyOn(ZipArchive.prototype, "read");
  try {
    await run();
    return read.mock.calls.filter(([name]) => name === "word/document.xml").length;
  } finally {
    read.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a DOCX's messages on one isolate", () => {
  it("read and split a long document's body once, and read on from it", async () => {
    const handbook = await readCorpus("docx/handbook-872p.docx");
    const fresh = await extractPagesFrom("docx", handbook.slice(), 26, { pages: 25 });
    let first: Awaited<ReturnType<typeof extractPagesFrom>> | undefined;
    let second: Awaited<ReturnType<typeof extractPagesFrom>> | undefined;
    // Each message reads the file afresh from R2: its own copy of the same bytes.
    const reads = await documentXmlReads(async () => {
      first = await extractPagesFrom("docx", handbook.slice(), 1, { pages: 25 });
      second = await extractPagesFrom("docx", handbook.slice(), first.lastPage + 1, { pages: 25 });
    });
    expect(reads).toBe(0); // the fresh read above opened it
    expect(first!.lastPage).toBe(25);
    expect(second!.blocks).toEqual(fresh.blocks);
    expect(second!.lastPage).toBe(50);
  });

  it("open another file afresh, and the first again after it", async () => {
    const various = await readCorpus("docx/testWORD_various.docx");
    const tables = await readCorpus("docx/docx-tables.docx");
    const reads = await documentXmlReads(async () => {
      await extractPagesFrom("docx", various, 1, { pages: 25 });
      const batch = await extractPagesFrom("docx", tables, 1, { pages: 25 });
      expect(batch.blocks.some((block) => block.text.includes("This is a footnote."))).toBe(false);
      const again = await extractPagesFrom("docx", various, 1, { pages: 25 });
      expect(again.blocks.some((block) => block.text.includes("This is a footnote."))).toBe(true);
    });
    expect(reads).toBe(3);
  });
});
