import { describe, expect, it } from "vitest";
import { extractBatch } from "../../../src/ingest/parse";
import {
  assessPageText,
  pageRanges,
  rejoinLetterSpaced,
  unreadablePagesSentence,
} from "../../../src/ingest/parse/text-quality";
import { readCorpus } from "../../helpers/corpus";

describe("assessPageText", () => {
  it("counts a page's characters by code point, white space aside", () => {
    // Astral letters (a pair of UTF-16 units each) count once; a lone surrogate counts once too.
    expect(assessPageText("ab c\n d").characters).toBe(4);
    expect(assessPageText("𝐀𝐁 😀x").characters).toBe(4);
    expect(assessPageText("a\udc00 b\ud835 \ud835").characters).toBe(5);
    expect(assessPageText("").characters).toBe(0);
  });

  it("reads prose in spaced and unspaced scripts as text", () => {
    const english =
      "Dynamic languages such as JavaScript are more difficult to compile than statically typed ones. " +
      "Since no concrete type information is available, traditional compilers need to emit generic code.";
    const french =
      "Les journaux de requêtes OLAP sont analysés afin d'évaluer l'approche proposée sur trois jeux de données réels.";
    const korean =
      "적립 제외 대상 근로자의 퇴직급여 적립금은 별도로 관리하며 매년 정산하여야 합니다 그리고 보고합니다";
    const japanese =
      "動的言語のコンパイルは静的型付け言語よりも難しい。型情報がないため汎用的なコードを生成する必要がある。";
    for (const text of [english, french, korean, japanese]) {
      expect(assessPageText(text)).toMatchObject({ readable: true });
    }
  });

  it("flags glyph codes from fonts without a Unicode map", () => {
    // As pdf.js extracts page 2 of the corpus's TAMReview.pdf: one character per glyph, no words.
    const garbled =
      '! " # ! "$ Abstract " % & % \' ( -.45 & -0)& * + , - . / 0 1 2 3 4 ) 5 6 7 8 9 : ; < = > ? @ A B C D ' +
      "E F G H I J K L M N O P Q R S T U V W X Y Z [ \\ ] ^ _ ` a b c d e f g h i j k l m n o p";
    expect(assessPageText(garbled)).toMatchObject({ readable: false, reason: "unmapped_glyphs" });
  });

  it("flags text made of private-use code points", () => {
    const privateUse = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0xe000 + i)).join("");
    expect(assessPageText(`${privateUse} Introduction ${privateUse}`)).toMatchObject({
      readable: false,
      reason: "private_use",
    });
  });

  it("does not judge a page too short to tell (a title, a page number)", () => {
    expect(assessPageText("! 12 §")).toMatchObject({ readable: true });
  });

  it("keeps pages of numbers and section references that still hold words", () => {
    const manual =
      "2.3.59.1 (10-01-2020) Program Scope and Objectives (1) Purpose: This IRM section provides " +
      "procedures for 2.3.59.2 and IRM 2.3.59.3 Table 2.3.59-1 Code 01 02 03 04 Form 941 Form 940";
    expect(assessPageText(manual)).toMatchObject({ readable: true });
    // As page 144 of the corpus's IRS manual: a table of codes and amounts.
    const table =
      "LINE POSITION DESCRIPTION AND VALIDITY 09 = suspense 10 = 170(b)(1)(A)(i) 11 = 170(b)(1)(A)(ii) " +
      "16 = 509(a)(2) 17 = 509(a)(3) 11 46 Asset Code 0 = blank, zero, negative 1 = $1-$9,999 " +
      "2 = $10,000-$24,999 3 = $25,000-$99,999 4 = $100,000-$499,999 11 74 Deductibility Code 1 =yes 2 = no 3 = treaty";
    expect(assessPageText(table)).toMatchObject({ readable: true });
  });

  it("flags a garbled page that holds almost no letters", () => {
    const symbols =
      '! " # $ % & \' ( ) * + , - . / 0 1 2 3 4 ! " # $ % & ( ) * + , - . / : ; < = > ? @ [ ] ^ _ ` { | } ~';
    expect(assessPageText(symbols)).toMatchObject({ readable: false, reason: "unmapped_glyphs" });
  });
});

describe("unreadable pages in words", () => {
  it("compacts page numbers into ranges", () => {
    expect(pageRanges([7, 2, 3, 4, 9, 10])).toBe("2–4, 7, 9–10");
  });

  it("names the pages and the reason in one sentence per reason", () => {
    const sentence = unreadablePagesSentence([
      { page: 2, reason: "unmapped_glyphs" },
      { page: 3, reason: "unmapped_glyphs" },
      { page: 9, reason: "private_use" },
    ]);
    expect(sentence).toMatch(
      /^pages 2–3: the text layer does not decode to words .*OCR would be needed, from a rendering of the page that a Worker cannot draw \(a vision model, VISION_MODEL, reads scanned pages only\); page 9: /,
    );
  });
});

describe("PDF extraction with the text check", () => {
  it("leaves out TAMReview.pdf's garbled pages and keeps its readable ones", {
    timeout: 120_000,
  }, async () => {
    const batch = await extractBatch("pdf", await readCorpus("pdf/TAMReview.pdf"), 0, 25);
    const unreadable = batch.unreadablePages.map((entry) => entry.page);
    // Body pages 2-21 are glyph codes; the title page and the last page are real text.
    expect(unreadable).toEqual(expect.arrayContaining([2, 3, 4, 5, 10, 15, 16, 20]));
    expect(unreadable).not.toContain(1);
    expect(unreadable).not.toContain(23);
    const pagesWithBlocks = new Set(batch.blocks.map((block) => block.page));
    for (const page of unreadable) expect(pagesWithBlocks.has(page)).toBe(false);
    expect(pagesWithBlocks.has(1)).toBe(true);
  });

  it.each([
    "pdf/tracemonkey.pdf",
    "pdf/dpr-paper-multi-column.pdf",
    "pdf/embedded-images-tables.pdf",
    "pdf/korean-text-with-tables.pdf",
    "pdf/copy-protected.pdf",
  ])("finds every page of a sound PDF readable: %s", async (path) => {
    const batch = await extractBatch("pdf", await readCorpus(path), 0, 25);
    expect(batch.unreadablePages).toEqual([]);
  });
});

describe("rejoinLetterSpaced", () => {
  it("rejoins words spaced out letter by letter, two spaces ending a word", () => {
    expect(rejoinLetterSpaced("A  l e t t e r from the o f f i c e").text).toBe("A letter from the office");
    expect(rejoinLetterSpaced("W e  a r e  w r i t i n g").text).toBe("We are writing");
    expect(rejoinLetterSpaced("(S u m m a r y).")).toEqual({ text: "(Summary).", runs: 1 });
  });

  it("leaves initials, one-character words of other scripts and glyph codes as they are", () => {
    for (const text of [
      "U S A and x y",
      "료 시 월 단 연",
      "@ A B C D E F G H",
      "a b c d e f g h i j k l m n o p",
    ]) {
      expect(rejoinLetterSpaced(text)).toEqual({ text, runs: 0 });
    }
  });
});
