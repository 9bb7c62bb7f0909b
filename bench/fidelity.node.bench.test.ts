// Extraction fidelity: for every PDF, DOCX and PPTX of ../shared/corpus, the text of the chunks
// Ancre would store (parse + the page text check + chunking, as a queue message runs them) against
// a reference extractor, on the pages Ancre kept: poppler's `pdftotext` for PDFs (Debian's poppler-utils, installed here if
// missing), the package's own XML text (`<w:t>`, `<a:t>` runs) for DOCX and PPTX. Per file:
// distinct-word recall and precision, word-order 4-gram recall, and the pages Ancre flagged as
// unreadable. Target: every file with a sound text layer at 0.95 distinct-word recall or better,
// every unsound one flagged. Run: npm run bench -- fidelity
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { expect, it } from "vitest";
import { chunkBlocks } from "../src/ingest/chunk";
import { extractPagesFrom, openPdfBatch, openPdfDocument, type UnreadablePage } from "../src/ingest/parse";
import { loadTokenCounter } from "../src/ingest/tokens";
import { pageWork } from "../src/services/ingestion/page-work";
import type { DocumentFormat } from "../src/storage/schema";
import { LETTER_LINES, letterPdf } from "../test/helpers/letter-pdf";
import { sharedPath } from "../test/shared-data";
import { PIPELINE } from "./ingestion-pipeline";
import { writeBenchResult } from "./results";

const corpus = sharedPath("corpus/");
const FORMATS = ["pdf", "docx", "pptx"] as const;
const RECALL_TARGET = 0.95;
// BENCH_PDF_PARTS=1: every PDF message reads its pages as a part of the file (parse/pdf-part.ts),
// as a large PDF's do, whatever the file's size.
const pdfParts = process.env.BENCH_PDF_PARTS === "1";

/** Words as both sides are compared: lowercased runs of letters and digits, NFKC (ligatures split). */
const wordsOf = (text: string) =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];
const fourGrams = (words: string[]) => new Set(words.slice(3).map((_, i) => words.slice(i, i + 4).join(" ")));

function ensurePdftotext() {
  if (existsSync("/usr/bin/pdftotext")) return;
  const asRoot = process.getuid?.() === 0;
  const install = ["apt-get", "install", "-y", "-qq", "poppler-utils"];
  execFileSync(asRoot ? install[0]! : "sudo", asRoot ? install.slice(1) : install, { stdio: "inherit" });
}

const decodeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");

/**
 * The reference text: pdftotext's without the pages Ancre left out (pdftotext separates pages with
 * form feeds; a left-out page is compared nowhere), or the text runs of the package's parts in order.
 */
function referenceText(format: DocumentFormat, path: string, leftOut: number[]): string {
  if (format === "pdf") {
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", path, "-"], {
      encoding: "utf8",
      maxBuffer: 2 ** 28,
    });
    return text
      .split("\f")
      .filter((_, index) => !leftOut.includes(index + 1))
      .join(" ");
  }
  const parts = unzipSync(new Uint8Array(readFileSync(path)));
  const wanted =
    format === "docx"
      ? /^word\/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$/
      : /^ppt\/(slides\/slide\d+|notesSlides\/notesSlide\d+)\.xml$/;
  // Text runs, and the boundaries between them that separate words: paragraph and cell ends,
  // tabs and breaks (each becomes a space).
  const pieces =
    format === "docx"
      ? /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<\/w:p>|<\/w:tc>|<w:tab\/>|<w:br\/>/g
      : /<a:t>([^<]*)<\/a:t>|<\/a:p>|<a:br\/>/g;
  return Object.keys(parts)
    .filter((name) => wanted.test(name))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((name) =>
      [...new TextDecoder().decode(parts[name]).matchAll(pieces)]
        .map((match) => (match[1] === undefined ? " " : decodeXml(match[1])))
        .join(""),
    )
    .join(" ");
}

/**
 * What Ancre would store: the chunks of every message of the file, and the pages it left out. A
 * PDF is opened once and read batch after batch from the open document, as an isolate that keeps
 * it open between a document's messages does, in batches sized by their work (no vision model);
 * with BENCH_PDF_PARTS=1 each message opens the part of the file holding its pages.
 */
async function storedText(format: DocumentFormat, bytes: Uint8Array) {
  const texts: string[] = [];
  const unreadable: UnreadablePage[] = [];
  const pdf = format === "pdf" && !pdfParts ? await openPdfDocument(bytes.slice()) : undefined;
  const work = pageWork(PIPELINE.messageCpuMs, false);
  const source = {
    size: bytes.length,
    read: async (offset: number, length: number) => bytes.slice(offset, offset + length),
    readAll: async () => bytes.slice(),
  };
  try {
    for (let firstPage = 1; ; ) {
      const part =
        format === "pdf" && pdfParts
          ? await openPdfBatch(source, firstPage, PIPELINE.pagesPerBatch, { partAboveBytes: 0 })
          : undefined;
      const extracted = await extractPagesFrom(format, part ?? pdf ?? bytes.slice(), firstPage, {
        pages: PIPELINE.pagesPerBatch,
        work,
      }).finally(() => part?.close());
      await loadTokenCounter();
      const chunks = chunkBlocks(extracted.blocks, { size: PIPELINE.chunkSize, overlap: 0 });
      texts.push(...chunks.map((chunk) => chunk.text));
      unreadable.push(...extracted.unreadablePages);
      if (!extracted.hasMore)
        return { text: texts.join(" "), unreadable: unreadable.map((entry) => entry.page) };
      firstPage = extracted.lastPage + 1;
    }
  } finally {
    await pdf?.close();
  }
}

function compare(stored: string, reference: string) {
  const storedWords = wordsOf(stored);
  const referenceWords = wordsOf(reference);
  const storedSet = new Set(storedWords);
  const referenceSet = new Set(referenceWords);
  const storedGrams = fourGrams(storedWords);
  const referenceGrams = fourGrams(referenceWords);
  const share = <T>(of: Set<T>, within: Set<T>) =>
    of.size === 0 ? 1 : [...of].filter((item) => within.has(item)).length / of.size;
  return {
    /** A sample of what the stored text lacks and adds, to see why a score is what it is. */
    missingSample: [...referenceSet].filter((word) => !storedSet.has(word)).slice(0, 12),
    extraSample: [...storedSet].filter((word) => !referenceSet.has(word)).slice(0, 12),
    referenceWords: referenceSet.size,
    recall: share(referenceSet, storedSet),
    precision: share(storedSet, referenceSet),
    fourGramRecall: share(referenceGrams, storedGrams),
  };
}

it("distinct-word recall and precision, 4-gram recall and flagged pages per corpus file", async () => {
  ensurePdftotext();
  const files = [];
  // Beside the corpus, a scanned letter whose OCR layer spaces out the letters of words, made here:
  // its reference is the letter as a reader reads it (pdftotext would keep the letters spaced out).
  const made = join(mkdtempSync(join(tmpdir(), "ancre-fidelity-")), "letter-spaced-scan.pdf");
  writeFileSync(made, letterPdf());
  const sources = FORMATS.flatMap((format) =>
    readdirSync(join(corpus, format))
      .sort()
      .map((name) => ({
        format,
        name,
        path: join(corpus, format, name),
        reference: undefined as string | undefined,
      })),
  );
  sources.push({
    format: "pdf",
    name: "letter-spaced-scan.pdf",
    path: made,
    reference: LETTER_LINES.join(" "),
  });
  for (const { format, name, path, reference } of sources) {
    let stored: Awaited<ReturnType<typeof storedText>>;
    try {
      stored = await storedText(format, new Uint8Array(readFileSync(path)));
    } catch (error) {
      console.log(`${format.padEnd(4)} ${name.padEnd(34)} not ingested: ${(error as Error).message}`);
      files.push({ format, name, failed: (error as Error).message });
      continue;
    }
    const scores = compare(stored.text, reference ?? referenceText(format, path, stored.unreadable));
    const flagged = stored.unreadable.length > 0;
    console.log(
      `${format.padEnd(4)} ${name.padEnd(34)} recall ${scores.recall.toFixed(3)}  precision ${scores.precision.toFixed(3)}  ` +
        `4-gram recall ${scores.fourGramRecall.toFixed(3)}  (${scores.referenceWords} reference words)` +
        (flagged ? `  flagged pages: ${stored.unreadable.join(",")}` : "") +
        (scores.recall < RECALL_TARGET
          ? `\n     missing e.g. ${scores.missingSample.join(" ")}\n     extra e.g. ${scores.extraSample.join(" ")}`
          : ""),
    );
    files.push({ format, name, ...scores, flaggedPages: stored.unreadable });
  }
  const sound = files.filter((f) => "recall" in f && f.flaggedPages.length === 0);
  const belowTarget = sound.filter((f) => "recall" in f && f.recall < RECALL_TARGET).map((f) => f.name);
  console.log(
    `${sound.length} files with a sound text layer; below ${RECALL_TARGET} distinct-word recall: ${belowTarget.join(", ") || "none"}`,
  );
  writeBenchResult(pdfParts ? "fidelity-pdf-parts" : "fidelity", {
    pdfs: pdfParts ? "every message reads its pages as a part of the file" : "read whole, kept open",
    reference: "pdftotext (poppler-utils) for PDFs; the package XML text runs for DOCX and PPTX",
    stored: "chunk texts from parse + page text check + chunking (no overlap), as ingestion stores them",
    recallTarget: RECALL_TARGET,
    belowTarget,
    files,
  });
  expect(files.length).toBeGreaterThan(0);
});
