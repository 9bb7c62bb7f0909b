import { describe, expect, it } from "vitest";
import { decodeText, parseText } from "../../../src/ingest/parse/text";
import { DEFAULT_PARSE_LIMITS } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";
import { parseErrorOf } from "./expect-parse-error";

describe("decodeText", () => {
  it("reads UTF-16 BE without a byte order mark (fake-text-utf-16-be.txt has none, despite MANIFEST)", async () => {
    const bytes = await readCorpus("txt/fake-text-utf-16-be.txt");
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x00, 0x54]);
    expect(decodeText(bytes)).toMatch(
      /^This is a test document to use for unit tests\.\n\nDoylestown, PA 18901/,
    );
  });

  it("reads UTF-16 LE and BE by their byte order mark", () => {
    const littleEndian = new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0xe9, 0x00, 0x3d, 0xd8, 0x00, 0xde]);
    const bigEndian = new Uint8Array([0xfe, 0xff, 0x00, 0x48, 0x00, 0xe9]);
    expect(decodeText(littleEndian)).toBe("Hé😀");
    expect(decodeText(bigEndian)).toBe("Hé");
  });

  it("drops a UTF-8 byte order mark and falls back to Windows-1252 for invalid UTF-8", () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...encode("café")]))).toBe("café");
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe("café €");
  });

  it("refuses binary content", async () => {
    for (const path of ["pdf/loremipsum-flat.pdf", "pptx/fake-power-point-table.pptx"]) {
      const bytes = await readCorpus(path);
      expect(parseErrorOf(() => decodeText(bytes)).reason).toBe("unsupported");
    }
  });
});

describe("parseText", () => {
  it("splits paragraphs on blank lines and keeps each character", async () => {
    const document = parseText(await readCorpus("txt/fake-text-utf-16-be.txt"));
    expect(document.pageCount).toBe(1);
    expect(document.blocks.map((block) => block.text)).toEqual([
      "This is a test document to use for unit tests.",
      "Doylestown, PA 18901",
      "Important points:",
      "- Hamburgers are delicious - Dogs are the best - I love fuzzy blankets",
    ]);
    expect(document.blocks.every((block) => block.page === null && block.kind === "paragraph")).toBe(true);
  });

  it("reads a 48 KB article without blank lines one line a paragraph, characters unchanged", async () => {
    const bytes = await readCorpus("txt/norwich-city.txt");
    const document = parseText(bytes);
    const lines = new TextDecoder()
      .decode(bytes)
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim())
      .filter((line) => line !== "");
    expect(document.blocks.map((block) => block.text)).toEqual(lines);
    expect(document.blocks[0]!.text).toBe("Iwan Roberts");
  });

  it("refuses an empty or blank file", async () => {
    const bytes = await readCorpus("txt/empty.txt");
    expect(bytes.length).toBe(0);
    const empty = parseErrorOf(() => parseText(bytes));
    expect(empty.reason).toBe("empty");
    expect(empty.message).toBe("the file is empty");
    expect(parseErrorOf(() => parseText(encode(" \n\r\n\t \n"))).reason).toBe("empty");
  });

  it("stops once the text outgrows maxTextChars", async () => {
    const bytes = await readCorpus("txt/norwich-city.txt");
    const error = parseErrorOf(() => parseText(bytes, { ...DEFAULT_PARSE_LIMITS, maxTextChars: 10_000 }));
    expect(error.reason).toBe("too_large");
  });
});
