import { createHash } from "node:crypto";
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import type { OpenAiFake } from "../provided-context";
import { type FakeServer, sendJson, startFakeServer } from "./http-server";

/** What the fake remembers of each embeddings request, for tests to check batching. */
export interface RecordedEmbeddingRequest {
  model: string;
  inputs: number;
  tokens: number;
  maxInputTokens: number;
  dimensions: number | null;
  encodingFormat: string | null;
}

interface ScriptedFailure {
  status: number;
  /** Sent as `retry-after-ms`, which the SDK honours (keeps retry tests fast). */
  retryAfterMs?: number;
}

// OpenAI's documented limits for embeddings.
const MAX_INPUTS = 2048;
const MAX_INPUT_TOKENS = 8191;
const MAX_REQUEST_TOKENS = 300_000;
const DEFAULT_DIMENSIONS = 1536;

function openAiError(res: Parameters<typeof sendJson>[0], status: number, message: string, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: null } }));
}

/** A deterministic unit vector per text: equal texts get equal vectors, whatever the batch. */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  let seed = createHash("sha256").update(text).digest();
  for (let i = 0; i < dimensions; i++) {
    if (i % 32 === 0 && i > 0) seed = createHash("sha256").update(seed).digest();
    vector[i] = seed[i % 32]! / 255 - 0.5;
  }
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/**
 * A local stand-in for `POST /v1/embeddings` of the OpenAI API, checking the same limits
 * (inputs per request, tokens per input and per request, `dimensions` only on text-embedding-3).
 * Per API key, tests can script failures (`POST /__script`) and read what was requested (`GET /__requests`).
 */
export async function startOpenAiFake(): Promise<{ fake: OpenAiFake; server: FakeServer }> {
  const scripts = new Map<string, ScriptedFailure[]>();
  const requests = new Map<string, RecordedEmbeddingRequest[]>();

  const server = await startFakeServer((req, body, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "POST" && url.pathname === "/__script") {
      const { key, failures } = JSON.parse(body.toString()) as { key: string; failures: ScriptedFailure[] };
      scripts.set(key, [...(scripts.get(key) ?? []), ...failures]);
      return sendJson(res, 200, { queued: scripts.get(key)!.length });
    }
    if (req.method === "GET" && url.pathname === "/__requests") {
      return sendJson(res, 200, requests.get(url.searchParams.get("key") ?? "") ?? []);
    }
    if (req.method !== "POST" || url.pathname !== "/v1/embeddings") {
      return openAiError(res, 404, `Invalid URL (${req.method} ${url.pathname})`);
    }

    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!key || key === "invalid") return openAiError(res, 401, "Incorrect API key provided.");
    // Like OpenAI, a rejected key is repeated in the message (OpenAI masks most of it; this fake does not).
    if (key.startsWith("sk-bad-")) return openAiError(res, 401, `Incorrect API key provided: ${key}.`);
    const failure = scripts.get(key)?.shift();
    if (failure) {
      const headers =
        failure.retryAfterMs === undefined ? {} : { "retry-after-ms": String(failure.retryAfterMs) };
      return openAiError(res, failure.status, `Scripted failure ${failure.status}`, headers);
    }

    const params = JSON.parse(body.toString()) as {
      model: string;
      input: string | string[];
      dimensions?: number;
      encoding_format?: "float" | "base64";
    };
    const inputs = typeof params.input === "string" ? [params.input] : params.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_INPUTS) {
      return openAiError(res, 400, `'$.input' must hold between 1 and ${MAX_INPUTS} items`);
    }
    if (inputs.some((input) => typeof input !== "string" || input === "")) {
      return openAiError(res, 400, "'$.input' is invalid: empty strings are not allowed");
    }
    const counts = inputs.map((input) => encode(input).length);
    const tokens = counts.reduce((sum, count) => sum + count, 0);
    const longest = Math.max(...counts);
    if (longest > MAX_INPUT_TOKENS) {
      return openAiError(
        res,
        400,
        `This model's maximum context length is ${MAX_INPUT_TOKENS} tokens, however you requested ${longest} tokens.`,
      );
    }
    if (tokens > MAX_REQUEST_TOKENS) {
      return openAiError(
        res,
        400,
        `Requested ${tokens} tokens, max ${MAX_REQUEST_TOKENS} tokens per request`,
      );
    }
    if (params.dimensions !== undefined && !params.model.startsWith("text-embedding-3")) {
      return openAiError(res, 400, "This model does not support specifying dimensions.");
    }
    if (!requests.has(key)) requests.set(key, []);
    requests.get(key)!.push({
      model: params.model,
      inputs: inputs.length,
      tokens,
      maxInputTokens: longest,
      dimensions: params.dimensions ?? null,
      encodingFormat: params.encoding_format ?? null,
    });

    const dimensions = params.dimensions ?? DEFAULT_DIMENSIONS;
    sendJson(res, 200, {
      object: "list",
      model: params.model,
      // Shuffled on purpose: clients must order by `index`, as the API does not promise order.
      data: inputs
        .map((input, index) => {
          const vector = fakeEmbedding(input, dimensions);
          const embedding =
            params.encoding_format === "base64"
              ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64")
              : Array.from(vector);
          return { object: "embedding", index, embedding };
        })
        .reverse(),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  return {
    server,
    fake: {
      baseUrl: `${server.url}/v1`,
      scriptUrl: `${server.url}/__script`,
      requestsUrl: `${server.url}/__requests`,
    },
  };
}
