// The junk rate of the default answers on the corpus's papers: over a fixed set of questions, the
// share of quoted sentences with a word split at a line end, a stray list glyph, a caption or a
// page-furniture line, or mostly symbols. Documents go through the real parser and chunker; each
// question is answered from the five chunks that share the most of its terms, as search would.
import { beforeAll, expect, it } from "vitest";
import { chunkBlocks } from "../../../src/ingest/chunk";
import { parsePdf } from "../../../src/ingest/parse/pdf";
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
  ],
  "pdf/dpr-paper-multi-column.pdf": [
    "How does dense passage retrieval encode passages?",
    "What is the retrieval accuracy of BM25?",
    "Which datasets are used for evaluation?",
    "How are negative passages chosen for training?",
    "What is the effect of in-batch negatives?",
    "How large is the passage index?",
  ],
};

let documents: { filename: string; chunks: string[]; words: Set<string> }[];

beforeAll(async () => {
  // Chunking counts tokens: its tables are loaded on first use.
  await loadTokenCounter();
  documents = await Promise.all(
    Object.keys(QUESTIONS).map(async (filename) => {
      const { blocks } = await parsePdf(await readCorpus(filename));
      const chunks = chunkBlocks(blocks, { size: 800, overlap: 100 }).map((chunk) => chunk.text);
      const text = chunks.join(" ").toLowerCase();
      return { filename, chunks, words: new Set(text.match(/\p{L}+/gu) ?? []) };
    }),
  );
}, 60_000);

/** What is wrong with a quoted sentence, judged apart from the code that chose it. */
function junk(sentence: string, words: Set<string>): string | undefined {
  for (const [, head, tail] of sentence.matchAll(/(\p{L}+)-(\p{Ll}+)/gu)) {
    const joined = `${head}${tail}`.toLowerCase();
    if (words.has(joined) && !words.has(head!.toLowerCase())) return "split word";
  }
  if (/[•◦▪▫●○■□‣⁃∙]/u.test(sentence)) return "stray glyph";
  if (/^\s*(?:figure|fig\.|table)\s*\d/iu.test(sentence)) return "caption";
  if (/https?:|www\.|permission to make digital/iu.test(sentence)) return "furniture";
  const visible = sentence.match(/\S/gu)?.length ?? 0;
  if ((sentence.match(/\p{L}/gu)?.length ?? 0) < visible * 0.6) return "mostly symbols";
  return undefined;
}

it("quotes no split word, glyph, caption, furniture or symbols on the corpus's papers (junk rate 0)", () => {
  let quoted = 0;
  const found: string[] = [];
  for (const { filename, chunks, words } of documents) {
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
        const reason = junk(text, words);
        if (reason) found.push(`${reason}: ${text.slice(0, 120)}`);
      }
    }
  }
  console.log(
    `junk rate ${((100 * found.length) / quoted).toFixed(1)}% (${found.length}/${quoted} quoted sentences)`,
  );
  expect(quoted).toBeGreaterThan(20);
  expect(found).toEqual([]);
});
