import { describe, expect, it } from "vitest";
import { stem, tokenize } from "../../src/lib/text/words";
import { LocalEmbedder } from "../../src/providers/embeddings/local";
import { readCorpus } from "../helpers/corpus";

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
