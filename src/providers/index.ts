import type { Config } from "../config";
import { LocalEmbedder } from "./embeddings/local";
import { OpenAiEmbedder, openAiDimensions } from "./embeddings/openai";
import type { Embedder } from "./embeddings/types";
import { type WorkersAiBinding, WorkersAiEmbedder, workersAiDimensions } from "./embeddings/workers-ai";
import { EmbeddedVectorStore } from "./vector/embedded-store";
import { QdrantVectorStore } from "./vector/qdrant-store";
import type { VectorStore } from "./vector/types";
import { type VectorizeBinding, VectorizeVectorStore } from "./vector/vectorize-store";

export { isTransientProviderError, ProviderError } from "./errors";

// Optional bindings (src/env.d.ts declares them on Cloudflare.Env, which `wrangler types` cannot see).
type Bindings = Env & Pick<Cloudflare.Env, "AI" | "VECTORIZE">;

/** The embedder chosen by config (EMBEDDER); built once per isolate by the deps builder. */
export function createEmbedder(config: Config, env: Env): Embedder {
  const { provider, model, dimensions } = config.embeddings;
  switch (provider) {
    case "local":
      return new LocalEmbedder(dimensions);
    case "openai":
      return new OpenAiEmbedder({
        apiKey: config.openai.apiKey,
        baseUrl: config.openai.baseUrl,
        model,
        dimensions,
      });
    case "workers-ai": {
      const ai = required((env as Bindings).AI, "AI binding") as unknown as WorkersAiBinding;
      return new WorkersAiEmbedder(ai, model, dimensions);
    }
  }
}

/** The vector store chosen by config (VECTOR_STORE); built once per isolate by the deps builder. */
export function createVectorStore(config: Config, env: Env): VectorStore {
  switch (config.vectorStore.provider) {
    case "embedded":
      return new EmbeddedVectorStore(env.SEARCH_SHARD);
    case "qdrant": {
      const qdrant = required(config.vectorStore.qdrant, "QDRANT_URL");
      return new QdrantVectorStore({ ...qdrant, dimensions: embeddingDimensions(config) });
    }
    case "vectorize": {
      const vectorize = required(
        (env as Bindings).VECTORIZE,
        "VECTORIZE binding",
      ) as unknown as VectorizeBinding;
      return new VectorizeVectorStore(vectorize, env.SEARCH_SHARD);
    }
  }
}

/** The size of the configured embedder's vectors (fixed-size models ignore EMBEDDING_DIMENSIONS). */
export function embeddingDimensions(config: Config): number {
  const { provider, model, dimensions } = config.embeddings;
  if (provider === "openai") return openAiDimensions(model, dimensions);
  if (provider === "workers-ai") return workersAiDimensions(model, dimensions);
  return dimensions;
}

// parseConfig already refuses these combinations; this keeps the types honest.
function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not configured`);
  return value;
}
