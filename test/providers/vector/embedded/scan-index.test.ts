import { describe, expect, it } from "vitest";
import { normalized, quantize } from "../../../../src/providers/vector/embedded/quantize";
import { ScanIndex, SEGMENT_SIZE } from "../../../../src/providers/vector/embedded/scan-index";
import { cosine, randomVectors, seededRandom } from "../../../helpers/vectors";

interface Entry {
  collectionId: string;
  scale: number;
  quantized: Int8Array;
  vector: Float32Array;
}

/** The index under test beside a plain map of what it should hold. */
function filled(vectors: Float32Array[], collectionOf: (i: number) => string) {
  const index = new ScanIndex(vectors[0]!.length);
  const model = new Map<number, Entry>();
  vectors.forEach((vector, i) => {
    put(index, model, keyOf(i), collectionOf(i), vector);
  });
  return { index, model };
}

// Keys are SQLite row numbers in the object: sparse, and unrelated to slots.
const keyOf = (i: number) => 1000 + 3 * i;

function put(
  index: ScanIndex,
  model: Map<number, Entry>,
  key: number,
  collectionId: string,
  vector: Float32Array,
) {
  const { scale, quantized } = quantize(normalized(vector));
  index.put(key, collectionId, scale, quantized);
  model.set(key, { collectionId, scale, quantized, vector });
}

/** The keys of the best `limit` by the same int8 score the scan computes, by a full sort. */
function bruteForce(model: Map<number, Entry>, unit: Float32Array, limit: number, collectionIds?: string[]) {
  const query = Float64Array.from(unit);
  return [...model]
    .filter(([, entry]) => !collectionIds || collectionIds.includes(entry.collectionId))
    .map(([key, entry]) => {
      let sum = 0;
      for (let d = 0; d < query.length; d++) sum += entry.quantized[d]! * query[d]!;
      // The index keeps scales as float32.
      return { key, score: sum * Math.fround(entry.scale) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ key }) => key);
}

const ascending = (keys: number[]) => [...keys].sort((a, b) => a - b);
const collectionOf = (i: number) => `col_${i % 3}`;

describe("int8 scan index", () => {
  it("finds the same keys as a brute-force ranking, across several segments", () => {
    const vectors = randomVectors(2 * SEGMENT_SIZE + 500, 16, 21);
    const { index, model } = filled(vectors, collectionOf);
    expect(index.count).toBe(vectors.length);
    for (const query of randomVectors(5, 16, 22).map(normalized)) {
      for (const limit of [1, 10, 56]) {
        expect(ascending(index.scan(query, limit)), `limit ${limit}`).toEqual(
          ascending(bruteForce(model, query, limit)),
        );
      }
    }
  });

  it("holds the exact float top 10 among its 56 candidates, as the index's re-scoring relies on", () => {
    const vectors = randomVectors(3000, 96, 31);
    const { index } = filled(vectors, collectionOf);
    for (const query of randomVectors(10, 96, 32)) {
      const candidates = new Set(index.scan(normalized(query), 10 * 4 + 16));
      const exact = vectors
        .map((vector, i) => ({ key: keyOf(i), score: cosine(vector, query) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      for (const { key } of exact) expect(candidates.has(key)).toBe(true);
    }
  });

  it("scans only the collections asked for, and nothing for collections it never held", () => {
    const vectors = randomVectors(1000, 16, 41);
    const { index, model } = filled(vectors, collectionOf);
    const [query] = randomVectors(1, 16, 42).map(normalized);
    for (const collectionIds of [["col_1"], ["col_0", "col_2"], ["col_missing", "col_2"]]) {
      const found = index.scan(query!, 20, collectionIds);
      expect(found.every((key) => collectionIds.includes(model.get(key)!.collectionId))).toBe(true);
      expect(ascending(found)).toEqual(ascending(bruteForce(model, query!, 20, collectionIds)));
    }
    expect(index.scan(query!, 20, ["col_missing"])).toEqual([]);
    expect(index.scan(query!, 20, [])).toEqual([]);
  });

  it("returns every key when asked for more than it holds, and none when asked for none", () => {
    const { index, model } = filled(randomVectors(30, 8, 51), collectionOf);
    const [query] = randomVectors(1, 8, 52).map(normalized);
    expect(ascending(index.scan(query!, 100))).toEqual(ascending([...model.keys()]));
    expect(index.scan(query!, 0)).toEqual([]);
  });

  it("stays in step with replacements and removals, and gives back emptied segments", () => {
    const dimensions = 12;
    const vectors = randomVectors(3 * SEGMENT_SIZE, dimensions, 61);
    const { index, model } = filled(vectors, collectionOf);
    const fullBytes = index.bytes();

    const random = seededRandom(62);
    const replacements = randomVectors(500, dimensions, 63);
    for (const vector of replacements) {
      const key = keyOf(Math.floor((random() + 0.5) * vectors.length));
      put(index, model, key, "col_replaced", vector);
    }
    // Remove most vectors in random order, the last slots among them, so that holes get filled.
    const keys = [...model.keys()];
    for (let i = 0; i < 2 * SEGMENT_SIZE + 1000; i++) {
      const pick = Math.floor((random() + 0.5) * keys.length);
      const key = keys[pick]!;
      keys[pick] = keys[keys.length - 1]!;
      keys.pop();
      index.remove(key);
      model.delete(key);
    }
    index.remove(keyOf(vectors.length + 5));
    expect(index.count).toBe(model.size);
    expect(index.bytes()).toBeLessThan(fullBytes);

    for (const query of randomVectors(5, dimensions, 64).map(normalized)) {
      expect(ascending(index.scan(query, 40))).toEqual(ascending(bruteForce(model, query, 40)));
      expect(ascending(index.scan(query, 15, ["col_replaced"]))).toEqual(
        ascending(bruteForce(model, query, 15, ["col_replaced"])),
      );
    }
  });

  it("starts over at a new dimension once emptied", () => {
    const { index } = filled(randomVectors(3, 8, 71), collectionOf);
    for (let i = 0; i < 3; i++) index.remove(keyOf(i));
    const [vector] = randomVectors(1, 4, 72);
    const { scale, quantized } = quantize(normalized(vector!));
    index.put(7, "col_new", scale, quantized);
    expect(index.dimensions).toBe(4);
    expect(index.scan(normalized(vector!), 5)).toEqual([7]);
  });
});
