// Loading a BEIR data set served by the benchmarks' global setup, and the two measures BEIR reports.
import { inject } from "vitest";

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirSet {
  /** The corpus as it is split into files, in file order. */
  files: { name: string; documents: BeirDocument[] }[];
  /** The queries that have at least one relevant document (the others are not scored). */
  queries: BeirQuery[];
  /** Query id → corpus id → relevance grade (> 0). */
  qrels: Map<string, Map<string, number>>;
}

async function fetchText(path: string): Promise<string> {
  const response = await fetch(`${inject("benchDataUrl")}/${path}`);
  if (!response.ok) throw new Error(`bench data ${path}: HTTP ${response.status}`);
  // The static server sends octet-stream; decoding explicitly avoids workerd's "not text" warning.
  return new TextDecoder().decode(await response.arrayBuffer());
}

const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));

/** Reads `<name>/<corpusFiles>`, `<name>/queries.jsonl` and `<name>/qrels/<split>.tsv`. */
export async function loadBeir(name: string, corpusFiles: string[], split = "test"): Promise<BeirSet> {
  const files = await Promise.all(
    corpusFiles.map(async (file) => ({
      name: file,
      documents: jsonLines(await fetchText(`${name}/${file}`)).map(
        (line): BeirDocument => ({ id: line._id, title: line.title ?? "", text: line.text }),
      ),
    })),
  );
  const qrels = new Map<string, Map<string, number>>();
  // Header `query-id corpus-id score`; grades of 0 mean "judged, not relevant".
  for (const row of (await fetchText(`${name}/qrels/${split}.tsv`)).split("\n").slice(1)) {
    const [queryId, corpusId, grade] = row.trim().split("\t");
    if (!queryId || !corpusId || !(Number(grade) > 0)) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(corpusId, Number(grade));
  }
  const queries = jsonLines(await fetchText(`${name}/queries.jsonl`))
    .map((line): BeirQuery => ({ id: line._id, text: line.text }))
    .filter((query) => qrels.has(query.id));
  return { files, queries, qrels };
}

/** nDCG at `k` with linear gains, as BEIR computes it (pytrec_eval's ndcg_cut). */
export function ndcgAt(k: number, ranked: string[], relevant: Map<string, number>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, rank) => {
    dcg += (relevant.get(id) ?? 0) / Math.log2(rank + 2);
  });
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, rank) => sum + grade / Math.log2(rank + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/** The share of the relevant documents found in the first `k`. */
export function recallAt(k: number, ranked: string[], relevant: Map<string, number>): number {
  const found = ranked.slice(0, k).filter((id) => relevant.has(id)).length;
  return relevant.size > 0 ? found / relevant.size : 0;
}

/** Mean of a measure over items. */
export function meanOver<T>(items: T[], measure: (item: T, index: number) => number): number {
  return items.reduce((sum, item, index) => sum + measure(item, index), 0) / items.length;
}

/** Mean nDCG@10 and recall@100 of one ranking (corpus ids, best first) per query, in `set.queries` order. */
export function scoreRankings(set: BeirSet, rankings: string[][]): { ndcg10: number; recall100: number } {
  const relevant = (q: number) => set.qrels.get(set.queries[q]!.id)!;
  return {
    ndcg10: meanOver(rankings, (ranked, q) => ndcgAt(10, ranked, relevant(q))),
    recall100: meanOver(rankings, (ranked, q) => recallAt(100, ranked, relevant(q))),
  };
}
