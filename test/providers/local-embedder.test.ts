import { describe, expect, it } from "vitest";
import { STOPWORDS, stem, tokenize, UNSPACED } from "../../src/lib/text/words";
import { LocalEmbedder } from "../../src/providers/embeddings/local";
import { readCorpus } from "../helpers/corpus";

/**
 * The embedder as its features are defined: a map keyed by each feature's text (`w:` a stemmed
 * word, `p:` two unspaced characters, `g:` a 3-5-gram of `<word>`, sharing its word's weight),
 * each key hashed (FNV-1a, murmur3 finaliser) into two signed buckets, √count weighted, normalised.
 */
function embedByKeys(text: string, dimensions: number): Float32Array {
  const features = new Map<string, number>();
  const add = (key: string, weight: number) => features.set(key, (features.get(key) ?? 0) + weight);
  let previous: string | undefined;
  for (const word of tokenize(text)) {
    if (STOPWORDS.has(word)) continue;
    add(`w:${stem(word)}`, 1);
    const unspaced = UNSPACED.test(word);
    if (unspaced && previous) add(`p:${previous}${word}`, 1);
    previous = unspaced ? word : undefined;
    if (word.length < 4) continue;
    const padded = `<${word}>`;
    const grams: string[] = [];
    for (const size of [3, 4, 5])
      for (let i = 0; i + size <= padded.length; i++) grams.push(padded.slice(i, i + size));
    for (const gram of grams) add(`g:${gram}`, 1 / grams.length);
  }
  const hash = (key: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const vector = new Float32Array(dimensions);
  for (const [key, count] of features) {
    const value = Math.sqrt(count) * (key[0] === "g" ? 0.6 : 1) * (1 / Math.sqrt(2));
    for (const h of [hash(key), hash(`${key}#1`)]) vector[h % dimensions]! += h & 0x80000000 ? -value : value;
  }
  const scale = 1 / Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return Number.isFinite(scale) ? vector.map((value) => value * scale) : vector;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

/** Ranks of documents for a query, best first. */
function rank(query: Float32Array, documents: Float32Array[]): number[] {
  return documents
    .map((document, i) => ({ i, score: dot(query, document) }))
    .sort((a, b) => b.score - a.score)
    .map(({ i }) => i);
}

describe("local embedder", () => {
  it("makes deterministic unit Float32Array vectors of the configured dimension", async () => {
    const embedder = new LocalEmbedder(512);
    const [a, b, empty] = await embedder.embed(
      ["Norwich City signed Iwan Roberts", "Norwich City signed Iwan Roberts", ""],
      "document",
    );
    expect(a).toBeInstanceOf(Float32Array);
    expect(a).toHaveLength(512);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(Array.from(empty!).every((value) => value === 0)).toBe(true);
    const [small] = await new LocalEmbedder(64).embed(["Norwich City"], "query");
    expect(small).toHaveLength(64);
  });

  it("gives, bit for bit, the vector of its features keyed by their text (no key string is built)", async () => {
    const article = new TextDecoder().decode(await readCorpus("txt/norwich-city.txt"));
    const texts = [
      article.slice(0, 3200),
      article.slice(20_000, 26_400),
      // Repeated words and n-grams shared between words; stopwords; numbers; accents; a ligature.
      "Tracing traces: the tracer traced traces. Traces, tracing! 2024 2024 naïve café ﬁnance the of",
      "東京タワーは東京都港区にある電波塔です。東京の塔。 Tokyo Tower, 333 m.",
      "Москва и 서울, Ελλάδα καὶ Ἀθῆναι — ﬁnal ﬂow",
      "",
      "a an the",
    ];
    for (const dimensions of [512, 64]) {
      const vectors = await new LocalEmbedder(dimensions).embed(texts, "document");
      texts.forEach((text, i) => {
        expect(Array.from(vectors[i]!), text.slice(0, 30)).toEqual(Array.from(embedByKeys(text, dimensions)));
      });
    }
  });

  it("folds case and accents, splits unspaced scripts into characters, and stems lightly", () => {
    expect(tokenize("Café DÉJÀ-vu, naïve 2024!")).toEqual(["cafe", "deja", "vu", "naive", "2024"]);
    expect(tokenize("東京タワーは高い")).toEqual(["東", "京", "タ", "ワ", "ー", "は", "高", "い"]);
    expect(tokenize("Москва и 서울")).toEqual(["москва", "и", "서울"]);
    expect(stem("transferring")).toBe(stem("transfer"));
    expect(stem("appearances")).toBe(stem("appearance"));
    expect(stem("studies")).toBe(stem("study"));
  });

  it("ranks the passage a question is about first, on a real article", async () => {
    const lines = new TextDecoder().decode(await readCorpus("txt/norwich-city.txt")).split("\n");
    const passages: string[] = [];
    for (let i = 0; i < lines.length; i += 8) passages.push(lines.slice(i, i + 8).join("\n"));
    const embedder = new LocalEmbedder(512);
    const documents = await embedder.embed(passages, "document");
    const target = passages.findIndex((passage) => passage.includes("Watford as a trainee"));
    expect(target).toBeGreaterThanOrEqual(0);
    const [question] = await embedder.embed(
      ["Where did Roberts begin his footballing career as a trainee?"],
      "query",
    );
    expect(rank(question!, documents).slice(0, 3)).toContain(target);

    // Words of a passage in another order and case still find it, for most passages.
    let found = 0;
    const sampled = passages.filter((passage) => passage.split(/\s+/).length > 40).slice(0, 40);
    for (const passage of sampled) {
      const words = passage.split(/\s+/).slice(5, 17).reverse().join(" ").toUpperCase();
      const [query] = await embedder.embed([words], "query");
      if (rank(query!, documents)[0] === passages.indexOf(passage)) found++;
    }
    expect(found / sampled.length).toBeGreaterThanOrEqual(0.9);
  });

  it("matches Japanese text through character pairs", async () => {
    const embedder = new LocalEmbedder(512);
    const documents = await embedder.embed(
      [
        "東京タワーは東京都港区にある電波塔です。",
        "大阪城は大阪市中央区にある城です。",
        "富士山は日本で一番高い山です。",
      ],
      "document",
    );
    const [query] = await embedder.embed(["大阪の城"], "query");
    expect(rank(query!, documents)[0]).toBe(1);
  });
});
