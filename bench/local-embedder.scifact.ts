// Retrieval quality of the local embedder on BEIR SciFact (test split): nDCG@10 and recall@100.
// Run with Node 22 (type stripping): `npx node bench/local-embedder.scifact.ts [dimensions]`.
// Reads the data set from ../shared/bench/beir-scifact (see its README).
import { readFileSync } from "node:fs";
import { LocalEmbedder } from "../src/providers/embeddings/local.ts";

const dir = new URL("../../shared/bench/beir-scifact/", import.meta.url);
const lines = (name: string) =>
  readFileSync(new URL(name, dir), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

const corpus = ["corpus-000.jsonl", "corpus-001.jsonl", "corpus-002.jsonl"].flatMap(lines);
const queries = lines("queries.jsonl");
const qrels = new Map<string, Set<string>>();
for (const row of readFileSync(new URL("qrels/test.tsv", dir), "utf8").split("\n").slice(1)) {
  const [queryId, docId, score] = row.split("\t");
  if (!queryId || !docId || Number(score) <= 0) continue;
  if (!qrels.has(queryId)) qrels.set(queryId, new Set());
  qrels.get(queryId)!.add(docId);
}

const dimensions = Number(process.argv[2] ?? 512);
const embedder = new LocalEmbedder(dimensions);
let start = performance.now();
const docs = await embedder.embed(
  corpus.map((doc) => `${doc.title} ${doc.text}`),
  "document",
);
const embedMs = performance.now() - start;
const judged = queries.filter((query) => qrels.has(query._id));
start = performance.now();
const queryVectors = await embedder.embed(
  judged.map((query) => query.text),
  "query",
);
const queryMs = performance.now() - start;

let ndcg = 0;
let recall = 0;
for (const [q, query] of judged.entries()) {
  const vector = queryVectors[q]!;
  const scored = docs.map((doc, i) => {
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += doc[d]! * vector[d]!;
    return { id: corpus[i]._id as string, dot };
  });
  scored.sort((a, b) => b.dot - a.dot);
  const relevant = qrels.get(query._id)!;
  let dcg = 0;
  for (let rank = 0; rank < 10; rank++) if (relevant.has(scored[rank]!.id)) dcg += 1 / Math.log2(rank + 2);
  let ideal = 0;
  for (let rank = 0; rank < Math.min(10, relevant.size); rank++) ideal += 1 / Math.log2(rank + 2);
  ndcg += dcg / ideal;
  recall += scored.slice(0, 100).filter((s) => relevant.has(s.id)).length / relevant.size;
}
console.log(
  `local embedder, ${dimensions} dims, ${corpus.length} docs, ${judged.length} queries: ` +
    `nDCG@10 ${(ndcg / judged.length).toFixed(4)}, R@100 ${(recall / judged.length).toFixed(4)}; ` +
    `embedding ${(embedMs / corpus.length).toFixed(3)} ms/doc, ${(queryMs / judged.length).toFixed(3)} ms/query`,
);
