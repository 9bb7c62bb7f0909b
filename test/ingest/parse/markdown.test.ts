import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../../src/ingest/parse/markdown";
import { ParseError, type TextBlock } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";

const find = (blocks: TextBlock[], start: string) => blocks.find((block) => block.text.startsWith(start));

describe("parseMarkdown", () => {
  it("keeps a GFM pipe table as one row a line (simple-table.md)", async () => {
    const document = parseMarkdown(await readCorpus("md/simple-table.md"));
    expect(document.blocks).toEqual([
      {
        page: null,
        sectionPath: [],
        kind: "table",
        text: "Item | Price | # In stock\nJuicy Apples | 1.99 | 739\nBananas | 1.89 | 6",
      },
    ]);
  });

  it("turns headings into section paths and keeps code and lists (readability-README.md)", async () => {
    const document = parseMarkdown(await readCorpus("md/readability-README.md"));
    expect(document.title).toBe("Readability.js");
    // Page equivalents of 3,000 characters: the README's text fills three.
    expect(document.pageCount).toBe(3);
    const { blocks } = document;
    expect(find(blocks, "Installation")).toMatchObject({ kind: "heading", sectionPath: ["Readability.js"] });
    expect(find(blocks, "npm install @mozilla/readability")).toMatchObject({
      kind: "code",
      text: "npm install @mozilla/readability",
      sectionPath: ["Readability.js", "Installation"],
    });
    // Link targets go, link text stays.
    expect(find(blocks, "A standalone version")?.text).toBe(
      "A standalone version of the readability library used for Firefox Reader View.",
    );
    const options = find(blocks, "* `debug`");
    expect(options?.kind).toBe("list");
    expect(options?.sectionPath).toEqual([
      "Readability.js",
      "API Reference",
      "`new Readability(document, options)`",
    ]);
    expect(options?.text.split("\n")).toHaveLength(10);
    expect(options?.text.split("\n")[0]).toBe(
      "* `debug` (boolean, default `false`): whether to enable logging.",
    );
    // An indented block is code too, with its line breaks.
    const licence = blocks.find((block) => block.text.startsWith("Copyright (c) 2010 Arc90 Inc"));
    expect(licence).toMatchObject({ kind: "code", sectionPath: ["Readability.js", "License"] });
    expect(licence?.text).toContain('\nLicensed under the Apache License, Version 2.0 (the "License");\n');
  });

  it("keeps fenced code verbatim and joins wrapped list items (pypdf-extract-text.md)", async () => {
    const bytes = await readCorpus("md/pypdf-extract-text.md");
    const source = new TextDecoder().decode(bytes);
    const { blocks } = parseMarkdown(bytes);
    const code = blocks.filter((block) => block.kind === "code");
    expect(code.length).toBeGreaterThanOrEqual(8);
    for (const block of code) expect(source).toContain(block.text);
    expect(find(blocks, "from pypdf import PdfReader")?.sectionPath).toEqual(["Extract Text from a PDF"]);
    const objectives = find(blocks, "1. **Paragraphs**");
    expect(objectives?.sectionPath).toEqual([
      "Extract Text from a PDF",
      "Why Text Extraction is hard",
      "Unclear Objective",
    ]);
    const items = objectives!.text.split("\n");
    expect(items).toHaveLength(14);
    expect(items[0]).toBe(
      "1. **Paragraphs**: Should the text of a paragraph have line breaks at the same places where the original PDF had them or should it rather be one block of text?",
    );
    expect(blocks.some((block) => block.text.includes("```") || block.text.startsWith("#"))).toBe(false);
  });

  it("drops YAML and TOML front matter", () => {
    const yaml = parseMarkdown(encode("---\ntitle: Notes\ntags: [a, b]\n---\n# Notes\n\nBody text.\n"));
    expect(yaml.blocks.map((block) => block.text)).toEqual(["Notes", "Body text."]);
    const toml = parseMarkdown(encode('+++\ntitle = "Notes"\n+++\nBody text.'));
    expect(toml.blocks.map((block) => block.text)).toEqual(["Body text."]);
  });

  it("reads setext headings and nests sections by level", () => {
    const { blocks } = parseMarkdown(
      encode("Guide\n=====\n\nSetup\n-----\n\nInstall it.\n\n## Use\n\nRun it.\n"),
    );
    expect(blocks.map((block) => [block.kind, block.sectionPath.join(" > "), block.text])).toEqual([
      ["heading", "", "Guide"],
      ["heading", "Guide", "Setup"],
      ["paragraph", "Guide > Setup", "Install it."],
      ["heading", "Guide", "Use"],
      ["paragraph", "Guide > Use", "Run it."],
    ]);
  });

  it("reads ATX headings with closing hashes, and '#' without a space as text", () => {
    const { blocks } = parseMarkdown(encode("## Setup ##\n#hashtag\n\n### C# notes\n"));
    expect(blocks.map((block) => [block.kind, block.text])).toEqual([
      ["heading", "Setup"],
      ["paragraph", "#hashtag"],
      ["heading", "C# notes"],
    ]);
  });

  it("keeps the visible text of nested links and links with parentheses", () => {
    const markdown =
      "[![build](https://ci/badge.svg)](https://ci) on [Mozilla](https://en.wikipedia.org/wiki/Mozilla_(company)).";
    expect(parseMarkdown(encode(markdown)).blocks[0]?.text).toBe("build on Mozilla.");
  });

  // A scan that went back over the line for each bracket would not finish within the test's timeout.
  it("reads a long line of unclosed brackets as text", () => {
    const { blocks } = parseMarkdown(encode(`# ${"[".repeat(200_000)}\n\n${"[a](".repeat(50_000)}`));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.text).toBe("[".repeat(200_000));
  });

  it("refuses a file with nothing but front matter", () => {
    expect(() => parseMarkdown(encode("---\ntitle: Empty\n---\n\n"))).toThrow(ParseError);
  });
});
