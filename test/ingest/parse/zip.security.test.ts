import { describe, expect, it } from "vitest";
import { DEFAULT_PARSE_LIMITS, ParseError } from "../../../src/ingest/parse/types";
import { ZipArchive } from "../../../src/ingest/parse/zip";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";

/** The ParseError `run` throws. */
function failureOf(run: () => unknown): { error: ParseError } {
  try {
    run();
  } catch (error) {
    if (error instanceof ParseError) return { error };
    throw error;
  }
  throw new Error("expected a ParseError");
}

/** A copy of `bytes` whose central directory declares `size` inflated bytes for the entry `name`. */
function withDeclaredSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const wanted = encode(name);
  for (let at = 0; at + 46 < copy.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const entryName = copy.subarray(at + 46, at + 46 + nameLength);
    if (entryName.length === wanted.length && entryName.every((byte, i) => byte === wanted[i])) {
      view.setUint32(at + 24, size, true);
      return copy;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

describe("ZipArchive", () => {
  it("opens a real DOCX and inflates exactly the entries asked for", async () => {
    const zip = ZipArchive.open(await readCorpus("docx/testWORD_various.docx"));
    expect(zip.names).toHaveLength(18);
    expect(zip.has("word/document.xml")).toBe(true);
    const documentXml = new TextDecoder().decode(zip.read("word/document.xml"));
    expect(documentXml.length).toBeGreaterThan(10_000);
    expect(documentXml).toContain("Suddenly some Japanese");
  });

  it("refuses the overlapping-entries zip bomb (42 KB declaring 5.5 GB) before inflating anything", async () => {
    const bytes = await readCorpus("bad/zbsm.zip");
    // Opening reads only the central directory: refused there, nothing was inflated.
    const { error } = failureOf(() => ZipArchive.open(bytes));
    expect(error.reason).toBe("hostile");
    expect(error.message).toMatch(/overlap/);
  });

  it("says a password-protected Office file (an OLE container, not a zip) is encrypted", async () => {
    const bytes = await readCorpus("bad/testWORD_protected_passtika.docx");
    const { error } = failureOf(() => ZipArchive.open(bytes));
    expect(error.reason).toBe("encrypted");
    expect(error.message).toBe("the document is password-protected");
  });

  it("says a file that is not a zip at all is corrupt", async () => {
    const bytes = await readCorpus("pdf/helloworld-bad.pdf");
    const { error } = failureOf(() => ZipArchive.open(bytes));
    expect(error.reason).toBe("corrupt");
    expect(failureOf(() => ZipArchive.open(new Uint8Array(0))).error.reason).toBe("corrupt");
  });

  it("caps the number of entries and the declared total size before inflating", async () => {
    const bytes = await readCorpus("docx/testWORD_various.docx");
    const tooMany = failureOf(() => ZipArchive.open(bytes, { ...DEFAULT_PARSE_LIMITS, maxZipEntries: 17 }));
    expect(tooMany.error.reason).toBe("too_large");
    // The 18 entries declare 71,638 bytes in all.
    const tooBig = failureOf(() =>
      ZipArchive.open(bytes, { ...DEFAULT_PARSE_LIMITS, maxInflatedBytes: 71_637 }),
    );
    expect(tooBig.error.reason).toBe("too_large");
    expect(ZipArchive.open(bytes, { ...DEFAULT_PARSE_LIMITS, maxInflatedBytes: 71_638 }).names).toHaveLength(
      18,
    );
  });

  it("refuses an entry declaring more than deflate can produce from its compressed size", async () => {
    const bytes = withDeclaredSize(
      await readCorpus("docx/testWORD_various.docx"),
      "word/document.xml",
      2 ** 31,
    );
    const { error } = failureOf(() => ZipArchive.open(bytes));
    expect(error.reason).toBe("hostile");
  });

  it("stops inflating an entry as soon as it outgrows its declared size", async () => {
    const bytes = withDeclaredSize(await readCorpus("docx/testWORD_various.docx"), "word/document.xml", 1000);
    const zip = ZipArchive.open(bytes);
    const { error } = failureOf(() => zip.read("word/document.xml"));
    expect(error.reason).toBe("hostile");
    expect(error.message).toMatch(/more than it declares/);
  });

  it("says an entry that inflates to less than it declares is corrupt", async () => {
    const bytes = withDeclaredSize(
      await readCorpus("docx/testWORD_various.docx"),
      "word/document.xml",
      17_320,
    );
    const { error } = failureOf(() => ZipArchive.open(bytes).read("word/document.xml"));
    expect(error.reason).toBe("corrupt");
  });

  it("inflates every entry the same through the runtime's zlib as through fflate", async () => {
    const zip = ZipArchive.open(await readCorpus("docx/handbook-872p.docx"));
    for (const name of zip.names) {
      expect(await zip.readInflated(name), name).toEqual(zip.read(name));
    }
  });

  it("through the runtime's zlib too, stops an entry that outgrows its declared size and refuses one shorter", async () => {
    const corpus = await readCorpus("docx/testWORD_various.docx");
    const failureOfAsync = (name: string, bytes: Uint8Array) =>
      ZipArchive.open(bytes)
        .readInflated(name)
        .then(
          () => expect.unreachable("expected a ParseError"),
          (error: unknown) => error as ParseError,
        );
    const longer = await failureOfAsync(
      "word/document.xml",
      withDeclaredSize(corpus, "word/document.xml", 1000),
    );
    expect(longer).toBeInstanceOf(ParseError);
    expect(longer.reason).toBe("hostile");
    expect(longer.message).toMatch(/more than it declares/);
    const shorter = await failureOfAsync(
      "word/document.xml",
      withDeclaredSize(corpus, "word/document.xml", 17_320),
    );
    expect(shorter.reason).toBe("corrupt");
  });
});
