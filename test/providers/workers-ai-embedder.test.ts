import { describe, expect, it } from "vitest";
import { type WorkersAiBinding, WorkersAiEmbedder } from "../../src/providers/embeddings/workers-ai";

/**
 * An in-memory stand-in for the AI binding's embedding models: `run(model, { text })` answers
 * `{ shape, data }` with one vector per text, refuses more than 100 texts, and can be told to fail.
 */
class FakeAi implements WorkersAiBinding {
  readonly calls: { model: string; text: string[] }[] = [];
  failures: Error[] = [];

  constructor(private readonly dimensions = 768) {}

  async run(model: string, inputs: { text: string[] }) {
    this.calls.push({ model, text: inputs.text });
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (inputs.text.length > 100) throw new Error("5004: Invalid data: text must hold at most 100 items");
    const data = inputs.text.map((text) =>
      Array.from({ length: this.dimensions }, (_, i) =>
        Math.sin(text.length + i * (text.charCodeAt(0) || 1)),
      ),
    );
    return { shape: [data.length, this.dimensions], data };
  }
}

describe("workers-ai embedder", () => {
  it("batches 100 texts per call and returns one Float32Array per text, in order", async () => {
    const ai = new FakeAi();
    const embedder = new WorkersAiEmbedder(ai, "@cf/baai/bge-base-en-v1.5", 512);
    expect(embedder.dimensions).toBe(768);
    const texts = Array.from({ length: 250 }, (_, i) => `passage ${i}`);
    const vectors = await embedder.embed(texts, "document");
    expect(ai.calls.map((call) => call.text.length)).toEqual([100, 100, 50]);
    expect(vectors).toHaveLength(250);
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    const [again] = await embedder.embed(["passage 120"], "document");
    expect(Array.from(vectors[120]!)).toEqual(Array.from(again!));
  });

  it("gives BGE queries, not passages, the retrieval instruction", async () => {
    const ai = new FakeAi();
    const embedder = new WorkersAiEmbedder(ai, "@cf/baai/bge-base-en-v1.5", 512);
    await embedder.embed(["what is a trace tree?"], "query");
    await embedder.embed(["A trace tree is..."], "document");
    expect(ai.calls[0]!.text[0]).toBe(
      "Represent this sentence for searching relevant passages: what is a trace tree?",
    );
    expect(ai.calls[1]!.text[0]).toBe("A trace tree is...");
  });

  it("classifies failures: bad model or input is permanent, capacity and unknown errors are transient", async () => {
    const ai = new FakeAi();
    const embedder = new WorkersAiEmbedder(ai, "@cf/baai/bge-base-en-v1.5", 512);
    ai.failures = [new Error("5007: No such model @cf/baai/bge-base-en-v1.5 or task")];
    await expect(embedder.embed(["x"], "document")).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
    });
    ai.failures = [new Error("3040: Capacity temporarily exceeded, please try again.")];
    await expect(embedder.embed(["x"], "document")).rejects.toMatchObject({ transient: true });
    ai.failures = [new Error("InferenceUpstreamError: internal error")];
    await expect(embedder.embed(["x"], "document")).rejects.toMatchObject({ transient: true });
  });

  it("refuses vectors of another size than an unknown model is configured for", async () => {
    const embedder = new WorkersAiEmbedder(new FakeAi(384), "@cf/some/new-model", 512);
    await expect(embedder.embed(["x"], "document")).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
    });
    const right = new WorkersAiEmbedder(new FakeAi(512), "@cf/some/new-model", 512);
    expect((await right.embed(["x"], "document"))[0]).toHaveLength(512);
  });
});
