import { describe, expect, inject, it } from "vitest";
import {
  MAX_INPUTS_PER_REQUEST,
  MAX_TOKENS_PER_INPUT,
  MAX_TOKENS_PER_REQUEST,
  OpenAiEmbedder,
  planRequests,
} from "../../src/providers/embeddings/openai";
import { isTransientProviderError } from "../../src/providers/errors";
import type { RecordedEmbeddingRequest } from "../fakes/openai";

const fake = inject("openai");
let counter = 0;
/** Each test uses its own API key: the fake scripts failures and records requests per key. */
const freshKey = () => `sk-test-${Date.now().toString(36)}-${++counter}`;

const embedderFor = (
  apiKey: string,
  options: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {},
) =>
  new OpenAiEmbedder({
    apiKey,
    baseUrl: fake.baseUrl,
    model: "text-embedding-3-small",
    dimensions: 512,
    ...options,
  });

async function requestsOf(key: string): Promise<RecordedEmbeddingRequest[]> {
  return (await fetch(`${fake.requestsUrl}?key=${key}`)).json();
}

async function script(key: string, failures: { status: number; retryAfterMs?: number }[]) {
  await fetch(fake.scriptUrl, { method: "POST", body: JSON.stringify({ key, failures }) });
}

describe("openai embedder", () => {
  it("asks for the configured dimension and returns one Float32Array per text, in order", async () => {
    const key = freshKey();
    const embedder = embedderFor(key);
    const texts = ["first passage", "second passage", "third passage"];
    const vectors = await embedder.embed(texts, "document");
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(512);
    }
    // The fake answers in reverse order: each text must still get its own vector.
    const [alone] = await embedder.embed(["second passage"], "query");
    expect(Array.from(vectors[1]!)).toEqual(Array.from(alone!));
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(alone!));
    const [request] = await requestsOf(key);
    expect(request).toMatchObject({
      model: "text-embedding-3-small",
      inputs: 3,
      dimensions: 512,
      encodingFormat: "base64",
    });
  });

  it("sends no `dimensions` to models that do not take one, and checks what they return", async () => {
    const key = freshKey();
    const ada = embedderFor(key, { model: "text-embedding-ada-002", dimensions: 512 });
    expect(ada.dimensions).toBe(1536);
    expect((await ada.embed(["hello"], "document"))[0]).toHaveLength(1536);
    expect((await requestsOf(key))[0]).toMatchObject({ dimensions: null });

    // A compatible server's model of unknown size must match EMBEDDING_DIMENSIONS.
    const other = embedderFor(freshKey(), { model: "nomic-embed-text", dimensions: 768 });
    const error = await other.embed(["hello"], "document").catch((e) => e);
    expect(error).toMatchObject({ name: "ProviderError", transient: false });
    expect(error.message).toMatch(/returned 1536 dimensions.*expected 768/);
  });

  it("splits large batches within the input count and token budget, and truncates overlong inputs", async () => {
    const key = freshKey();
    const embedder = embedderFor(key);
    const many = Array.from({ length: MAX_INPUTS_PER_REQUEST + 100 }, (_, i) => `passage number ${i}`);
    expect(await embedder.embed(many, "document")).toHaveLength(many.length);
    expect((await requestsOf(key)).map((r) => r.inputs)).toEqual([MAX_INPUTS_PER_REQUEST, 100]);

    // ~7,000 tokens each: 300,000 tokens hold 42 of them per request.
    const longKey = freshKey();
    const long = Array.from({ length: 50 }, (_, i) => `${i} ${"lorem ipsum dolor sit amet ".repeat(1400)}`);
    const overlong = "token ".repeat(MAX_TOKENS_PER_INPUT + 500);
    const vectors = await embedderFor(longKey).embed([...long, overlong, ""], "document");
    expect(vectors).toHaveLength(52);
    const requests = await requestsOf(longKey);
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) {
      expect(request.tokens).toBeLessThanOrEqual(MAX_TOKENS_PER_REQUEST);
      expect(request.maxInputTokens).toBeLessThanOrEqual(MAX_TOKENS_PER_INPUT);
    }
    expect(requests.reduce((sum, r) => sum + r.inputs, 0)).toBe(52);
  });

  it("plans requests without the network, keeping order", async () => {
    const plan = await planRequests(["a", "", "   ", "b"]);
    expect(plan).toEqual([["a", " ", " ", "b"]]);
  });

  it("plans a text quoting a model's control strings as ordinary text", async () => {
    const quoted = "Each document ends with <|endoftext|> in the training data.";
    expect(await planRequests([quoted])).toEqual([[quoted]]);
  });

  it("retries a 429 and succeeds", async () => {
    const key = freshKey();
    await script(key, [{ status: 429, retryAfterMs: 10 }]);
    const vectors = await embedderFor(key).embed(["rate limited once"], "document");
    expect(vectors[0]).toHaveLength(512);
    expect(await requestsOf(key)).toHaveLength(1);
  });

  it("gives up after repeated 500s with a transient error", async () => {
    const key = freshKey();
    await script(
      key,
      Array.from({ length: 4 }, () => ({ status: 500, retryAfterMs: 5 })),
    );
    const error = await embedderFor(key, { maxRetries: 3 })
      .embed(["always failing"], "document")
      .catch((e) => e);
    expect(error).toMatchObject({ name: "ProviderError", transient: true, upstreamStatus: 500 });
    expect(isTransientProviderError(error)).toBe(true);
    // All four scripted failures were consumed (1 try + 3 retries): the next call succeeds.
    expect(await embedderFor(key).embed(["now it works"], "document")).toHaveLength(1);
  });

  it("fails at once, permanently, on a bad key or a bad request", async () => {
    const error = await embedderFor("invalid")
      .embed(["x"], "document")
      .catch((e) => e);
    expect(error).toMatchObject({ name: "ProviderError", transient: false, upstreamStatus: 401 });
    expect(isTransientProviderError(error)).toBe(false);

    const key = freshKey();
    await script(key, [{ status: 400 }]);
    await expect(embedderFor(key).embed(["x"], "document")).rejects.toMatchObject({ transient: false });
    expect(await requestsOf(key)).toHaveLength(0);
  });

  it("reports an unreachable server as transient", async () => {
    const embedder = new OpenAiEmbedder({
      apiKey: "k",
      baseUrl: "http://127.0.0.1:9/v1",
      model: "text-embedding-3-small",
      dimensions: 8,
      maxRetries: 0,
    });
    await expect(embedder.embed(["x"], "document")).rejects.toMatchObject({
      name: "ProviderError",
      transient: true,
    });
  });
});
