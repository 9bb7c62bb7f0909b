/**
 * A sparse vector: the ids of its terms, ascending, and their weights. Sorted ids make a dot
 * product one merge, which keeps LexRank's quadratic number of them cheap.
 */
export interface TermVector {
  ids: Int32Array;
  weights: Float64Array;
}

/**
 * tf-idf vectors of sentences given as their terms, L2-normalised, with the idf of the sentences
 * themselves (each sentence a "document"), as LexRank computes it.
 */
export function tfIdfVectors(sentences: string[][]): TermVector[] {
  const idOf = new Map<string, number>();
  const frequency: number[] = [];
  const counted = sentences.map((terms) => {
    const counts = new Map<number, number>();
    for (const term of terms) {
      let id = idOf.get(term);
      if (id === undefined) {
        id = idOf.size;
        idOf.set(term, id);
        frequency.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) frequency[id]!++;
    return counts;
  });
  return counted.map((counts) => {
    const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const weights = Float64Array.from(
      ids,
      (id) => counts.get(id)! * Math.log(sentences.length / frequency[id]!),
    );
    const norm = Math.sqrt(weights.reduce((sum, weight) => sum + weight * weight, 0));
    if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids, weights };
  });
}

/** Cosine of two L2-normalised sparse vectors. */
export function cosine(a: TermVector, b: TermVector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
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
  // The similarity graph, each row normalised: from a sentence, the walk goes to those like it.
  const targets: number[][] = vectors.map(() => []);
  const weights: number[][] = vectors.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const similarity = cosine(vectors[i]!, vectors[j]!);
      if (similarity <= 0) continue;
      targets[i]!.push(j);
      weights[i]!.push(similarity);
      targets[j]!.push(i);
      weights[j]!.push(similarity);
    }
  }
  for (const row of weights) {
    const total = row.reduce((sum, weight) => sum + weight, 0);
    for (let k = 0; k < row.length; k++) row[k]! /= total;
  }
  let scores = new Float64Array(n).fill(1 / n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let dangling = 0;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = targets[i]!;
      // A sentence like no other spreads its share evenly, as PageRank treats dangling nodes.
      if (row.length === 0) dangling += scores[i]!;
      for (let k = 0; k < row.length; k++) next[row[k]!]! += scores[i]! * weights[i]![k]!;
    }
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = (1 - DAMPING) / n + DAMPING * (next[i]! + dangling / n);
      change += Math.abs(next[i]! - scores[i]!);
    }
    scores = next;
    if (change < TOLERANCE) break;
  }
  return [...scores];
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
