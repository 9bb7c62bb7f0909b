/** A sparse vector: term → weight. */
export type TermVector = Map<string, number>;

/**
 * tf-idf vectors of sentences given as their terms, L2-normalised, with the idf of the sentences
 * themselves (each sentence a "document"), as LexRank computes it.
 */
export function tfIdfVectors(sentences: string[][]): TermVector[] {
  const frequency = new Map<string, number>();
  for (const terms of sentences) {
    for (const term of new Set(terms)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  return sentences.map((terms) => {
    const vector: TermVector = new Map();
    for (const term of terms) vector.set(term, (vector.get(term) ?? 0) + 1);
    let norm = 0;
    for (const [term, count] of vector) {
      const weight = count * Math.log(sentences.length / frequency.get(term)!);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    for (const [term, weight] of vector) vector.set(term, norm > 0 ? weight / norm : 0);
    return vector;
  });
}

/** Cosine of two L2-normalised sparse vectors. */
export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-7;

/**
 * Continuous LexRank (Erkan & Radev, 2004): each sentence's centrality is its stationary
 * probability in a random walk over the graph whose edges are the cosine similarities between
 * sentences (PageRank's damping for the teleport). A sentence is central when many sentences,
 * themselves central, resemble it. Quadratic in the number of sentences: callers bound it.
 */
export function lexRank(vectors: TermVector[]): number[] {
  const n = vectors.length;
  if (n === 0) return [];
  // Row-normalised similarity: from each sentence, the walk goes to those that resemble it.
  const rows: { to: number; weight: number }[][] = vectors.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const similarity = cosine(vectors[i]!, vectors[j]!);
      if (similarity <= 0) continue;
      rows[i]!.push({ to: j, weight: similarity });
      rows[j]!.push({ to: i, weight: similarity });
    }
  }
  const totals = rows.map((row) => row.reduce((sum, edge) => sum + edge.weight, 0));
  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let dangling = 0;
    const next = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      // A sentence like no other spreads its share evenly, as PageRank treats dangling nodes.
      if (totals[i] === 0) dangling += scores[i]!;
      else for (const edge of rows[i]!) next[edge.to]! += (scores[i]! * edge.weight) / totals[i]!;
    }
    for (let i = 0; i < n; i++) next[i] = (1 - DAMPING) / n + DAMPING * (next[i]! + dangling / n);
    const change = next.reduce((sum, value, i) => sum + Math.abs(value - scores[i]!), 0);
    scores = next;
    if (change < TOLERANCE) break;
  }
  return scores;
}

/**
 * The `count` most central sentences (index and LexRank score), best first, skipping any that
 * repeats one already chosen (cosine above `maxSimilarity`), as LexRank's summaries avoid redundancy.
 */
export function mostCentral(
  vectors: TermVector[],
  count: number,
  maxSimilarity = 0.5,
): { index: number; score: number }[] {
  const scores = lexRank(vectors);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const chosen: { index: number; score: number }[] = [];
  for (const i of order) {
    if (chosen.length >= count) break;
    if (chosen.some(({ index }) => cosine(vectors[i]!, vectors[index]!) > maxSimilarity)) continue;
    chosen.push({ index: i, score: scores[i]! });
  }
  return chosen;
}
