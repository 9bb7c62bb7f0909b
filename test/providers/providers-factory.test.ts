import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { LocalEmbedder } from "../../src/providers/embeddings/local";
import { OpenAiEmbedder } from "../../src/providers/embeddings/openai";
import { WorkersAiEmbedder } from "../../src/providers/embeddings/workers-ai";
import { createEmbedder, createVectorStore, embeddingDimensions } from "../../src/providers/index";

const base = { ENVIRONMENT: "test" };
const fakeAi = { run: async () => ({ data: [] }) };
const fakeVectorize = {
  query: async () => ({ matches: [], count: 0 }),
  upsert: async () => ({}),
  deleteByIds: async () => ({}),
};

describe("provider factories", () => {
  it("default to the local embedder and the embedded store", () => {
    const config = parseConfig(base);
    const embedder = createEmbedder(config, env);
    expect(embedder).toBeInstanceOf(LocalEmbedder);
    expect(embedder.dimensions).toBe(512);
    expect(createVectorStore(config, env).kind).toBe("embedded");
  });

  it("choose OpenAI and Qdrant when they are configured", () => {
    const config = parseConfig({
      ...base,
      OPENAI_API_KEY: "sk-test",
      EMBEDDING_DIMENSIONS: "256",
      QDRANT_URL: "http://127.0.0.1:6333",
    });
    const embedder = createEmbedder(config, env);
    expect(embedder).toBeInstanceOf(OpenAiEmbedder);
    expect(embedder).toMatchObject({ model: "text-embedding-3-small", dimensions: 256 });
    expect(createVectorStore(config, env).kind).toBe("qdrant");
  });

  it("choose Workers AI and Vectorize from their bindings, at the model's own dimension", () => {
    const bindings = { ...env, AI: fakeAi, VECTORIZE: fakeVectorize };
    const config = parseConfig({ ...base, ...bindings, EMBEDDER: "workers-ai", VECTOR_STORE: "vectorize" });
    const embedder = createEmbedder(config, bindings as unknown as Env);
    expect(embedder).toBeInstanceOf(WorkersAiEmbedder);
    expect(embedder.dimensions).toBe(768);
    expect(embeddingDimensions(config)).toBe(768);
    expect(createVectorStore(config, bindings as unknown as Env).kind).toBe("vectorize");
  });
});
