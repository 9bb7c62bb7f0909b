// The junk rate of the default answers on the corpus's papers: over a fixed set of questions, the
// share of quoted sentences with a word split at a line end, a stray list glyph, a caption or a
// page-furniture line, mostly symbols, a bibliography entry, or the title page's title, author,
// affiliation or keywords lines. Documents go through the real parser and chunker; each question is
// answered from the five chunks that share the most of its terms, as search would.
import { beforeAll, expect, it } from "vitest";
import { chunkBlocks } from "../../../src/ingest/chunk";
import { extractPagesFrom } from "../../../src/ingest/parse/index";
import { loadTokenCounter } from "../../../src/ingest/tokens";
import { contentTerms } from "../../../src/lib/text/terms";
import { selectSentences } from "../../../src/providers/llm/extractive";
import type { Source } from "../../../src/providers/llm/types";
import { readCorpus } from "../../helpers/corpus";

const QUESTIONS: Record<string, string[]> = {
  "pdf/tracemonkey.pdf": [
    "How does TraceMonkey represent values on trace?",
    "Why are doubles converted to integers?",
    "What is a side exit?",
    "What does the trace monitor do at loop edges?",
    "Which benchmarks are slower with tracing?",
    "How are type-unstable loops handled?",
    "What is the oracle used for?",
    "What does the state machine of TraceMonkey describe?",
    "Where can I download Firefox?",
    "What is blacklisting?",
    "How does nested trace tree formation work?",
    "What speedup does TraceMonkey achieve?",
    // Its answer quoted a bibliography entry and the title page (issue 26).
    "What is trace-based JIT compilation?",
    "What is a trace-based just-in-time compiler?",
    "What is HotpathVM?",
    "What is a trace tree?",
    "What is region-based compilation?",
    "What is Dynamo?",
    "What is type specialization?",
  ],
  "pdf/copy-protected.pdf": [
    "What is LayoutParser?",
    "What is document image analysis?",
    "What deep learning models does LayoutParser use?",
    "What is layout detection?",
  ],
  "pdf/TAMReview.pdf": [
    "What is the technology acceptance model?",
    "What is perceived usefulness?",
    "What is the theory of reasoned action?",
    "How has TAM been extended?",
  ],
  "pdf/embedded-images-tables.pdf": [
    "What data is described?",
    "How was the data collected?",
    "What is the inhibition efficiency?",
  ],
  "pdf/dpr-paper-multi-column.pdf": [
    "How does dense passage retrieval encode passages?",
    "What is the retrieval accuracy of BM25?",
    "Which datasets are used for evaluation?",
    "How are negative passages chosen for training?",
    "What is the effect of in-batch negatives?",
    "How large is the passage index?",
    "What is open-domain question answering?",
    "What is the inverse cloze task?",
    "What is ORQA?",
  ],
};

interface Document {
  filename: string;
  chunks: string[];
  words: Set<string>;
  title: string;
  /** The text of the reference list, and of the title page before the abstract. */
  references: string;
  titlePage: string;
}
let documents: Document[];

beforeAll(async () => {
  // Chunking counts tokens: its tables are loaded on first use.
  await loadTokenCounter();
  documents = await Promise.all(
    Object.keys(QUESTIONS).map(async (filename) => {
      const { blocks } = await extractPagesFrom("pdf", await readCorpus(filename), 1, { pages: 100 });
      const chunks = chunkBlocks(blocks, { size: 800, overlap: 100 }).map((chunk) => chunk.text);
      const text = chunks.join(" ").toLowerCase();
      // The title: the first heading of the first page that is not a running head ("Working Papers…").
      const title =
        blocks.find((block) => block.kind === "heading" && block.text.split(" ").length >= 4)?.text ?? "";
      // The reference list: from its heading ("References", or a block opening with it) to the next heading.
      const start = blocks.findIndex((block) => /^(?:references|bibliography)(?:\s|$)/iu.test(block.text));
      const end = blocks.findIndex((block, i) => i > start && block.kind === "heading");
      const references =
        start < 0
          ? ""
          : blocks
              .slice(start, end < 0 ? undefined : end)
              .map((block) => block.text)
              .join(" ");
      const abstract = blocks.findIndex((block) => /^abstract/iu.test(block.text));
      const titlePage = blocks
        .slice(0, Math.max(abstract, 0))
        .map((block) => block.text)
        .join(" ");
      return { filename, chunks, words: new Set(text.match(/\p{L}+/gu) ?? []), title, references, titlePage };
    }),
  );
}, 60_000);

/** What is wrong with a quoted sentence, judged apart from the code that chose it. */
function junk(
  sentence: string,
  { words, title, chunks, references, titlePage }: Document,
): string | undefined {
  for (const [, head, tail] of sentence.matchAll(/(\p{L}+)-(\p{Ll}+)/gu)) {
    const joined = `${head}${tail}`.toLowerCase();
    if (words.has(joined) && !words.has(head!.toLowerCase())) return "split word";
  }
  if (/[•◦▪▫●○■□‣⁃∙]/u.test(sentence)) return "stray glyph";
  // A caption: its number, then a stop or a capital ("Figure 10 shows…" is prose).
  if (/^\s*(?:[Ff]igure|[Ff]ig\.|[Tt]able)\s*\d+[a-z]?(?:\s*[.:—–-]|\s+\p{Lu})/u.test(sentence))
    return "caption";
  // The rest of a caption whose number the sentence splitter cut off ("Figure 10. | Speedup vs…").
  const after = (chunk: string) =>
    chunk.slice(Math.max(0, chunk.indexOf(sentence) - 16), chunk.indexOf(sentence));
  if (
    chunks.some(
      (chunk) =>
        chunk.includes(sentence) && /(?:figure|fig\.|table)\s*\d+[a-z]?[.:]\s*$/iu.test(after(chunk)),
    )
  )
    return "caption";
  // A bibliography entry: initials before a surname ("A. Gal", "Davis, F. D."), a venue, pages.
  const initials = sentence.match(
    /(?<!\p{L})\p{Lu}\.\s*(?:\p{Lu}\.\s*)?\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+,\s\p{Lu}\.\s?(?:\p{Lu}\.)?/gu,
  );
  const venue = /\bIn Proceedings\b|\bpages \d+\s*[–-]|\bpp\.\s*\d|\bJournal\b|\bPress\b|\b(?:19|20)\d\d\b/u;
  if ((initials?.length ?? 0) >= 2 || ((initials?.length ?? 0) >= 1 && venue.test(sentence)))
    return "reference";
  // The title page: the title, e-mail addresses, keyword lines, an author list (names and marks).
  if (title && sentence.replace(/\s+/g, " ").trim() === title) return "title";
  if (references.includes(sentence)) return "reference";
  if (titlePage.includes(sentence)) return "title page";
  if (/@[\p{L}\d-]+\.\p{L}/u.test(sentence)) return "byline";
  if (/^\s*(?:keywords|categories and subject descriptors|general terms)\b/iu.test(sentence))
    return "keywords";
  if ((sentence.match(/\p{Lu}\p{Ll}+\s\p{Lu}[\p{L}-]+\s*[\d∗*†‡$#+]*\s*(?:,|\band\b)/gu)?.length ?? 0) >= 3)
    return "author list";
  if (/https?:|www\.|permission to make digital/iu.test(sentence)) return "furniture";
  const visible = sentence.match(/\S/gu)?.length ?? 0;
  if ((sentence.match(/\p{L}/gu)?.length ?? 0) < visible * 0.6) return "mostly symbols";
  return undefined;
}

it("quotes no split word, glyph, caption, furniture, symbols, reference or title page line on the corpus's papers (junk rate 0)", () => {
  let quoted = 0;
  const found: string[] = [];
  for (const document of documents) {
    const { filename, chunks } = document;
    for (const question of QUESTIONS[filename]!) {
      const asked = contentTerms(question, "en");
      const overlap = (text: string) =>
        [...contentTerms(text, "en")].filter((term) => asked.has(term)).length;
      const sources: Source[] = [...chunks]
        .sort((a, b) => overlap(b) - overlap(a))
        .slice(0, 5)
        .map((text, i) => ({ index: i + 1, text, filename }));
      for (const { text } of selectSentences(question, sources, "en")) {
        quoted++;
        const reason = junk(text, document);
        if (reason) found.push(`${reason}: ${text.slice(0, 120)}`);
      }
    }
  }
  console.log(
    `junk rate ${((100 * found.length) / quoted).toFixed(1)}% (${found.length}/${quoted} quoted sentences)`,
  );
  expect(quoted).toBeGreaterThan(60);
  expect(found).toEqual([]);
});

it("quotes neither the title page nor the bibliography when search returns them first (the widget's question)", () => {
  const document = documents.find(({ filename }) => filename === "pdf/tracemonkey.pdf")!;
  const { filename, chunks } = document;
  // What hybrid search ranks first for this question: the title page and the reference list, both
  // full of "trace-based" and "just-in-time", then the body.
  const first = chunks[0]!;
  const references = chunks.filter((chunk) => chunk.includes("[13] J. Ha"));
  const body = chunks.filter(
    (chunk) => chunk.includes("trace-based") && chunk !== first && !references.includes(chunk),
  );
  const sources: Source[] = [first, ...references, ...body.slice(0, 2)].map((text, i) => ({
    index: i + 1,
    text,
    filename,
  }));
  const answer = (question: string) => selectSentences(question, sources, "en").map(({ text }) => text);
  // "JIT" is written only in a caption and in the reference list: nothing else says it, so nothing is quoted.
  const jit = answer("What is trace-based JIT compilation?");
  expect(jit.flatMap((text) => junk(text, document) ?? [])).toEqual([]);
  // Asked in the body's words, the body answers.
  const spelled = answer("What is trace-based just-in-time compilation?");
  expect(spelled.length).toBeGreaterThan(0);
  expect(spelled.flatMap((text) => junk(text, document) ?? [])).toEqual([]);
});
