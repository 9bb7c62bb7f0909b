import type OpenAI from "openai";
import { cl100k, SPECIALS_AS_TEXT } from "../../ingest/tokens";
import { ProviderError } from "../errors";
import { lazyOpenAiClient, toOpenAiProviderError } from "../openai-client";
import type { Embedder } from "./types";

export interface OpenAiEmbedderOptions {
  /** Optional for OpenAI-compatible servers that need no key. */
  apiKey?: string;
  baseUrl?: string;
  model: string;
  dimensions: number;
  /** Retries of 408, 409, 429 and 5xx answers and of network failures, with exponential backoff. */
  maxRetries?: number;
  /** Per request, retries excluded. */
  timeoutMs?: number;
}

// OpenAI's limits for embeddings: inputs per request, tokens summed over a request, tokens per input.
export const MAX_INPUTS_PER_REQUEST = 2048;
export const MAX_TOKENS_PER_REQUEST = 300_000;
export const MAX_TOKENS_PER_INPUT = 8191;

// Models that only come in one size; text-embedding-3 and later take a `dimensions` parameter.
const FIXED_DIMENSIONS: Record<string, number> = { "text-embedding-ada-002": 1536 };

/** The size of the model's vectors: fixed for older models, the configured one otherwise. */
export function openAiDimensions(model: string, configured: number): number {
  return FIXED_DIMENSIONS[model] ?? configured;
}

/** Embeddings from OpenAI or any server speaking its API (OPENAI_BASE_URL), through the official SDK. */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly client: () => Promise<OpenAI>;
  private readonly sendsDimensions: boolean;
  readonly #apiKey: string | undefined;

  constructor(options: OpenAiEmbedderOptions) {
    this.model = options.model;
    this.#apiKey = options.apiKey;
    this.sendsDimensions = /^text-embedding-3/.test(options.model);
    this.dimensions = openAiDimensions(options.model, options.dimensions);
    this.client = lazyOpenAiClient(
      ({ default: OpenAI }) =>
        new OpenAI({
          // The SDK refuses to start without a key; local compatible servers ignore it.
          apiKey: options.apiKey ?? "unused",
          baseURL: options.baseUrl,
          maxRetries: options.maxRetries ?? 4,
          timeout: options.timeoutMs ?? 30_000,
        }),
    );
  }

  async embed(texts: string[], _kind: "document" | "query"): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const request of await planRequests(texts)) {
      vectors.push(...(await this.request(request)));
    }
    return vectors;
  }

  private async request(inputs: string[]): Promise<Float32Array[]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    const client = await this.client();
    try {
      response = await client.embeddings.create({
        model: this.model,
        input: inputs,
        ...(this.sendsDimensions ? { dimensions: this.dimensions } : {}),
      });
    } catch (error) {
      throw toOpenAiProviderError(error, this.#apiKey, "the embeddings request");
    }
    const vectors = new Array<Float32Array>(inputs.length);
    for (const item of response.data) vectors[item.index] = Float32Array.from(item.embedding);
    for (let i = 0; i < inputs.length; i++) {
      const vector = vectors[i];
      if (!vector || vector.length !== this.dimensions) {
        throw new ProviderError(
          "openai",
          false,
          `model ${this.model} returned ${vector?.length ?? "no"} dimensions for input ${i}, expected ${this.dimensions} (EMBEDDING_DIMENSIONS)`,
        );
      }
    }
    return vectors;
  }
}

/**
 * Groups texts into requests within OpenAI's limits, in order, truncating any text over the
 * per-input token limit. The API refuses empty strings, so they are sent as one space.
 */
export async function planRequests(texts: string[]): Promise<string[][]> {
  const { encode, decode } = await cl100k.load();
  const requests: string[][] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    let input = text.trim() ? text : " ";
    const encoded = encode(input, SPECIALS_AS_TEXT);
    let count = encoded.length;
    // A cut can split a character, whose replacement may tokenise longer: cut again until it fits.
    for (let keep = MAX_TOKENS_PER_INPUT; count > MAX_TOKENS_PER_INPUT; keep -= 16) {
      input = decode(encoded.slice(0, keep));
      count = encode(input, SPECIALS_AS_TEXT).length;
    }
    if (current.length === MAX_INPUTS_PER_REQUEST || tokens + count > MAX_TOKENS_PER_REQUEST) {
      requests.push(current);
      current = [];
      tokens = 0;
    }
    current.push(input);
    tokens += count;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
