import type OpenAI from "openai";
import { lazyModule } from "../lib/lazy-module";
import { isTransientStatus, ProviderError } from "./errors";
import type { Usage } from "./llm/types";

// What the answer generator, the page transcriber and the embedder share to call an
// OpenAI-compatible API: the SDK's loading, one client set-up, one usage reading, one error mapping.

type OpenAiSdk = typeof import("openai");

/**
 * The OpenAI SDK, imported on first use: evaluating it costs a cold isolate about 15 ms of CPU
 * (it reaches for node:util at load), and only a deployment configured for OpenAI calls it.
 */
const openAiSdk = lazyModule("The OpenAI SDK", () => import("openai"));

export const loadOpenAiSdk = (): Promise<OpenAiSdk> => openAiSdk.load();

/** A client of the SDK, built on its first call (the SDK is imported then) and kept. */
export function lazyOpenAiClient(build: (sdk: OpenAiSdk) => OpenAI): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | undefined;
  return () => (client ??= loadOpenAiSdk().then(build));
}

const PROVIDER = "openai";
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface OpenAiClientOptions {
  /** Optional for a compatible server that needs none (a local one, say). */
  apiKey?: string;
  /** Any OpenAI-compatible server; OpenAI's own API when absent. */
  baseUrl?: string;
  timeoutMs: number;
  /** Retries of a 429 or 5xx (the SDK honours retry-after). */
  maxRetries: number;
}

export interface OpenAiClient {
  /** The SDK's client, built on first use. */
  client: () => Promise<OpenAI>;
  // OpenAI's reasoning models refuse the old `max_tokens`; other servers may not know the new name.
  maxTokensParam: "max_completion_tokens" | "max_tokens";
}

/** The SDK's client for OpenAI or a compatible server, and the name its token limit goes by. */
export function createOpenAiClient(options: OpenAiClientOptions): OpenAiClient {
  return {
    client: lazyOpenAiClient(
      ({ default: OpenAI }) =>
        new OpenAI({
          // The SDK refuses to start without a key (it would read process.env); keyless servers ignore it.
          apiKey: options.apiKey ?? "no-key",
          baseURL: options.baseUrl ?? OPENAI_BASE_URL,
          timeout: options.timeoutMs,
          maxRetries: options.maxRetries,
        }),
    ),
    maxTokensParam: options.baseUrl ? "max_tokens" : "max_completion_tokens",
  };
}

/** The usage an OpenAI-compatible server reported. */
export const reportedUsage = (usage: OpenAI.CompletionUsage): Usage => ({
  promptTokens: usage.prompt_tokens,
  completionTokens: usage.completion_tokens,
  totalTokens: usage.total_tokens,
  estimated: false,
});

/**
 * Maps an OpenAI SDK error to a ProviderError whose message can be shown and logged: no key in it.
 * `what` names the call in the message of a plain network failure ("the answer stream").
 */
export function toOpenAiProviderError(
  error: unknown,
  apiKey: string | undefined,
  what: string,
): ProviderError {
  // The SDK's errors come from a call through it: it is loaded when there is one to map.
  const sdk = openAiSdk.peek();
  if (sdk && error instanceof sdk.APIConnectionError) {
    // Includes the SDK's own timeout (APIConnectionTimeoutError) and refused connections.
    return new ProviderError(PROVIDER, true, `could not reach the API: ${redact(error.message, apiKey)}`);
  }
  if (sdk && error instanceof sdk.APIError) {
    // No status: an error event inside a stream that had started, i.e. a server-side failure.
    const status = error.status;
    const transient = status === undefined || isTransientStatus(status);
    const label = status === undefined ? "error during the stream" : `HTTP ${status}`;
    return new ProviderError(PROVIDER, transient, `${label}: ${redact(error.message, apiKey)}`, { status });
  }
  // A body cut mid-stream surfaces as a plain network error from fetch.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(PROVIDER, true, `${what} failed: ${redact(message, apiKey)}`);
}

function redact(message: string, apiKey: string | undefined): string {
  const safe = apiKey ? message.split(apiKey).join("[redacted]") : message;
  // Servers echo keys in their messages, sometimes partly masked: drop anything key-shaped.
  return safe.replace(/\bsk-[\w*.-]+/g, "sk-[redacted]");
}
