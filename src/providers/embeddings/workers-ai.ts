import { batches } from "../../lib/batches";
import { ProviderError } from "../errors";
import type { Embedder } from "./types";

/** The part of the Workers AI binding this embedder uses, as the binding answers for embedding models. */
export interface WorkersAiBinding {
  run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

// Workers AI takes at most 100 texts per embeddings call.
const TEXTS_PER_CALL = 100;

/** Output sizes of the Workers AI embedding models; another model must match EMBEDDING_DIMENSIONS. */
const MODEL_DIMENSIONS: Record<string, number> = {
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
  "@cf/baai/bge-m3": 1024,
  "@cf/google/embeddinggemma-300m": 768,
  "@cf/qwen/qwen3-embedding-0.6b": 1024,
};

// BGE v1.5 models retrieve better when the query (not the passage) carries this instruction.
const BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

// Workers AI error codes after which the same call cannot succeed (bad model, bad input, access).
const PERMANENT_CODES = new Set([3003, 3006, 3023, 3039, 3041, 3042, 5004, 5005, 5007, 5016, 5018, 5019]);

/** The size of the model's vectors: known for Workers AI's models, the configured one otherwise. */
export function workersAiDimensions(model: string, configured: number): number {
  return MODEL_DIMENSIONS[model] ?? configured;
}

/** Embeddings from a Workers AI model through the AI binding. */
export class WorkersAiEmbedder implements Embedder {
  readonly dimensions: number;

  constructor(
    private readonly ai: WorkersAiBinding,
    readonly model: string,
    configuredDimensions: number,
  ) {
    this.dimensions = workersAiDimensions(model, configuredDimensions);
  }

  async embed(texts: string[], kind: "document" | "query"): Promise<Float32Array[]> {
    const prefix =
      kind === "query" && /^@cf\/baai\/bge-.*-v1\.5$/.test(this.model) ? BGE_QUERY_INSTRUCTION : "";
    const vectors: Float32Array[] = [];
    for (const batch of batches(texts, TEXTS_PER_CALL)) {
      const text = batch.map((item) => prefix + item);
      let output: unknown;
      try {
        output = await this.ai.run(this.model, { text });
      } catch (error) {
        throw toProviderError(error);
      }
      const data = (output as { data?: unknown }).data;
      if (!Array.isArray(data) || data.length !== batch.length) {
        throw new ProviderError(
          "workers-ai",
          true,
          `model ${this.model} answered without one vector per text`,
        );
      }
      for (const row of data as number[][]) {
        if (row.length !== this.dimensions) {
          throw new ProviderError(
            "workers-ai",
            false,
            `model ${this.model} returned ${row.length} dimensions, expected ${this.dimensions} (EMBEDDING_DIMENSIONS)`,
          );
        }
        vectors.push(Float32Array.from(row));
      }
    }
    return vectors;
  }
}

/** Reads a Workers AI error code (e.g. 5007, no such model) from the message; unknown failures are retried. */
function toProviderError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  const code = Number(/\b([35]\d{3})\b/.exec(message)?.[1]);
  return new ProviderError("workers-ai", !PERMANENT_CODES.has(code), message, { cause: error });
}
