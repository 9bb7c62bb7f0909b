import { beforeAll, describe, expect, it } from "vitest";
import { chunkBlocks } from "../../src/ingest/chunk";
import type { TextBlock } from "../../src/ingest/parse/types";
import { countTokens, loadTokenCounter } from "../../src/ingest/tokens";

const sentence = (i: number) => `Sentence number ${i} talks about topic ${i % 7} in some detail.`;

function paragraph(
  from: number,
  count: number,
  page: number | null = 1,
  sectionPath: string[] = [],
): TextBlock {
  const text = Array.from({ length: count }, (_, i) => sentence(from + i)).join(" ");
  return { page, sectionPath, text, kind: "paragraph" };
}

// The token tables load on first use (a large module: slow to transform on a busy machine).
beforeAll(loadTokenCounter, 60_000);

describe("chunkBlocks", () => {
  it("chunks a text that holds a model's special-token strings as ordinary text", () => {
    // A document about language models may quote "<|endoftext|>"; it is text, not a control token.
    const quoted = "Training data ends each document with <|endoftext|> and code with <|fim_middle|>.";
    expect(countTokens(quoted)).toBeGreaterThan(countTokens("<|endoftext|>"));
    const blocks = [paragraph(0, 10), { page: 2, sectionPath: [], text: quoted, kind: "paragraph" as const }];
    const chunks = chunkBlocks(blocks, { size: 200, overlap: 30 });
    expect(chunks.map((c) => c.text).join("\n")).toContain(quoted);
  });

  it("keeps every chunk within the size and covers every sentence", () => {
    const blocks = Array.from({ length: 20 }, (_, i) => paragraph(i * 30, 30, i + 1));
    const chunks = chunkBlocks(blocks, { size: 200, overlap: 30 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(countTokens(chunk.text)).toBeLessThanOrEqual(200);
    const all = chunks.map((c) => c.text).join("\n");
    for (let i = 0; i < 600; i++) expect(all).toContain(sentence(i));
  });

  it("repeats about `overlap` tokens between consecutive chunks of a section", () => {
    const chunks = chunkBlocks([paragraph(0, 120)], { size: 150, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!.text;
      const current = chunks[i]!.text;
      // The longest start of this chunk that ends the previous one.
      let shared = "";
      for (let k = 1; k <= current.length; k++)
        if (previous.endsWith(current.slice(0, k))) shared = current.slice(0, k);
      expect(shared.length).toBeGreaterThan(20);
      expect(countTokens(shared)).toBeLessThanOrEqual(40);
    }
  });

  it("starts a new chunk at a new section and records section and pages", () => {
    const blocks = [
      paragraph(0, 20, 1, ["Intro"]),
      paragraph(100, 20, 2, ["Intro"]),
      paragraph(200, 20, 3, ["Methods", "Setup"]),
    ];
    const chunks = chunkBlocks(blocks, { size: 800, overlap: 100 });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatchObject({ pageStart: 1, pageEnd: 2, sectionPath: ["Intro"] });
    expect(chunks[1]).toMatchObject({ pageStart: 3, pageEnd: 3, sectionPath: ["Methods", "Setup"] });
    expect(chunks[1]!.text).not.toContain(sentence(19));
  });

  it("cuts a run without sentence boundaries between words", () => {
    const table = Array.from({ length: 2000 }, (_, i) => `cell${i}`).join(" | ");
    const chunks = chunkBlocks([{ page: 4, sectionPath: [], text: table, kind: "table" }], {
      size: 100,
      overlap: 0,
    });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(100);
    expect(chunks.map((c) => c.text).join(" ")).toContain("cell1999");
  });

  it("keeps the exact characters of the source", () => {
    const text = "Café — naïve façade: 東京は大きい。Ünïcödé stays “as is”.";
    const [chunk] = chunkBlocks([{ page: null, sectionPath: [], text, kind: "paragraph" }], {
      size: 800,
      overlap: 100,
    });
    expect(chunk!.text).toBe(text);
  });
});

describe("page offsets", () => {
  it("records where each page starts in a chunk spanning pages", () => {
    const blocks: TextBlock[] = [
      { page: 3, sectionPath: [], text: "The end of page three.", kind: "paragraph" },
      { page: 4, sectionPath: [], text: "The start of page four.", kind: "paragraph" },
    ];
    const [chunk] = chunkBlocks(blocks, { size: 800, overlap: 100 });
    expect(chunk!.pageOffsets).toEqual([
      [0, 3],
      [chunk!.text.indexOf("The start of page four."), 4],
    ]);
    const single = chunkBlocks([blocks[0]!], { size: 800, overlap: 100 });
    expect(single[0]!.pageOffsets).toBeNull();
  });
});
