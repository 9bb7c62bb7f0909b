import { CALLER_REGIONS } from "./lib/caller-region";
import { LATENCY_PROFILE_NAMES } from "./lib/latency-model/profiles";
import { INGESTION_LEASE_SECONDS } from "./services/ingestion/lease";

/**
 * What a plan allows: resources a tenant holds at once (assistants, collections, documents,
 * storage), flows consumed per billing period (chat messages, ingested pages, LLM tokens), and
 * the request rate of each API key.
 */
export interface PlanLimits {
  assistants: number;
  collections: number;
  documents: number;
  storage_bytes: number;
  chat_messages: number;
  ingested_pages: number;
  llm_tokens: number;
  requests_per_minute: number;
}

// The vars are read by hand rather than with zod: every entry point parses them synchronously, and
// zod's library would be the largest module an isolate evaluates at start-up (docs/performance.md,
// "Size and start-up"). Each reader takes a var's value and returns it typed, or the sentence that
// says what is wrong with it; parseConfig prefixes the var's name.
type Reader<T> = (value: unknown) => T | Invalid;

class Invalid {
  constructor(readonly message: string) {}
}

const received = (value: unknown) =>
  value === null ? "null" : typeof value === "number" && Number.isNaN(value) ? "NaN" : typeof value;

const quoted = (values: readonly string[]) => values.map((value) => JSON.stringify(value)).join("|");

/** Set: "true" or "1"; unset, empty, "false" or "0": false; anything else is an error. */
const booleanFlag: Reader<boolean> = (value) =>
  value === undefined || (typeof value === "string" && ["true", "false", "1", "0", ""].includes(value))
    ? value === "true" || value === "1"
    : new Invalid(`Invalid option: expected one of ${quoted(["true", "false", "1", "0", ""])}`);

/** A string, trimmed; unset or blank: undefined. */
const optionalString: Reader<string | undefined> = (value) => {
  if (value === undefined) return undefined;
  if (typeof value !== "string")
    return new Invalid(`Invalid input: expected string, received ${received(value)}`);
  return value.trim() ? value.trim() : undefined;
};

/** optionalString, then a check of what is set. */
const optional =
  <T extends string>(check: (value: string) => T | Invalid): Reader<T | undefined> =>
  (value) => {
    const text = optionalString(value);
    return text === undefined || text instanceof Invalid ? text : check(text);
  };

const url = (value: string) => (URL.canParse(value) ? value : new Invalid("Invalid URL"));

const optionalUrl = optional(url);

const atLeast = (length: number) => (value: string) =>
  value.length >= length ? value : new Invalid(`Too small: expected string to have >=${length} characters`);

const oneOf =
  <const T extends readonly string[]>(values: T) =>
  (value: unknown): T[number] | Invalid =>
    typeof value === "string" && values.includes(value)
      ? (value as T[number])
      : new Invalid(`Invalid option: expected one of ${quoted(values)}`);

const optionalOneOf =
  <const T extends readonly string[]>(values: T): Reader<T[number] | undefined> =>
  (value) =>
    value === undefined ? undefined : oneOf(values)(value);

const withDefault =
  <T>(read: Reader<T>, fallback: T): Reader<T> =>
  (value) =>
    value === undefined ? fallback : read(value);

/** A comma-separated list, each item trimmed, empty items dropped. */
const commaList: Reader<string[]> = (value) => {
  const text = optionalString(value);
  if (text instanceof Invalid) return text;
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
};

const aString: Reader<string> = (value) =>
  typeof value === "string"
    ? value
    : new Invalid(`Invalid input: expected string, received ${received(value)}`);

/** A number (a string is converted, as a var always is), within bounds; whole if `integer`. */
const number =
  (bounds: { min?: number; max?: number; integer?: boolean; positive?: boolean }): Reader<number> =>
  (value) => {
    const n = Number(value);
    if (Number.isNaN(n)) return new Invalid("Invalid input: expected number, received NaN");
    if (bounds.integer && !Number.isSafeInteger(n))
      return new Invalid("Invalid input: expected int, received number");
    if (bounds.positive && n <= 0) return new Invalid("Too small: expected number to be >0");
    if (bounds.min !== undefined && n < bounds.min)
      return new Invalid(`Too small: expected number to be >=${bounds.min}`);
    if (bounds.max !== undefined && n > bounds.max)
      return new Invalid(`Too big: expected number to be <=${bounds.max}`);
    return n;
  };

const int = (min: number, max: number, fallback: number) =>
  withDefault(number({ integer: true, min, max }), fallback);

const positiveInt = (fallback: number) => withDefault(number({ integer: true, positive: true }), fallback);

const RAW_CONFIG = {
  ENVIRONMENT: withDefault(oneOf(["development", "test", "staging", "production"]), "production"),
  DEV_AUTH_BYPASS: booleanFlag,
  CORS_ALLOWED_ORIGINS: commaList,
  CLERK_JWKS_URL: optionalUrl,
  CLERK_ISSUER: optionalString,
  CLERK_AUTHORIZED_PARTIES: commaList,
  CLERK_CLOCK_SKEW_SECONDS: int(0, 300, 5),
  // Public by design: the console reads it from /api/v1/config to start Clerk's sign-in.
  CLERK_PUBLISHABLE_KEY: optionalString,
  MAX_ASSISTANTS_PER_TENANT: positiveInt(3),
  PRO_MAX_ASSISTANTS_PER_TENANT: positiveInt(20),
  MAX_COLLECTIONS_PER_TENANT: positiveInt(10),
  PRO_MAX_COLLECTIONS_PER_TENANT: positiveInt(100),
  MAX_DOCUMENTS_PER_TENANT: positiveInt(100),
  PRO_MAX_DOCUMENTS_PER_TENANT: positiveInt(10_000),
  MAX_STORAGE_BYTES_PER_TENANT: positiveInt(100 * 1024 * 1024),
  PRO_MAX_STORAGE_BYTES_PER_TENANT: positiveInt(10 * 1024 * 1024 * 1024),
  MAX_CHAT_MESSAGES_PER_MONTH: positiveInt(500),
  PRO_MAX_CHAT_MESSAGES_PER_MONTH: positiveInt(20_000),
  MAX_INGESTED_PAGES_PER_MONTH: positiveInt(1_000),
  PRO_MAX_INGESTED_PAGES_PER_MONTH: positiveInt(50_000),
  MAX_LLM_TOKENS_PER_MONTH: positiveInt(5_000_000),
  PRO_MAX_LLM_TOKENS_PER_MONTH: positiveInt(200_000_000),
  MAX_REQUESTS_PER_MINUTE_PER_KEY: positiveInt(60),
  PRO_MAX_REQUESTS_PER_MINUTE_PER_KEY: positiveInt(600),
  MAX_FREE_TENANTS_PER_USER: positiveInt(3),
  // How long a tenant's deletion waits before its final pass: the longest work in flight may take.
  TENANT_DELETION_FINAL_PASS_DELAY_SECONDS: int(0, 43_200, INGESTION_LEASE_SECONDS),

  // Clerk's Backend API: with a secret key, invitations are e-mailed by Clerk (else shared as a link).
  CLERK_SECRET_KEY: optionalString,
  CLERK_API_URL: optionalUrl,

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_PRICE_PRO: optionalString,
  STRIPE_API_BASE: optionalUrl,

  COPILOT_INTERNAL_SECRET: optional(atLeast(32)),
  NANGO_URL: optionalUrl,
  NANGO_SECRET_KEY: optionalString,
  NANGO_WEBHOOK_SECRET: optionalString,

  MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
  CHUNK_SIZE: int(50, 8000, 800),
  CHUNK_OVERLAP: int(0, 4000, 100),
  INGEST_PAGES_PER_BATCH: int(1, 500, 25),
  // A queue message's CPU budget: ten messages a delivery within wrangler.toml's limits.cpu_ms
  // (5 minutes) with room to spare; PDF batches end early when their pages' estimated work reaches it.
  INGEST_MESSAGE_CPU_MS: int(1000, 300_000, 20_000),
  // The files of the PDFs an isolate keeps open between a document's messages (0: none kept).
  INGEST_OPEN_PDF_MB: withDefault(number({ min: 0, max: 64 }), 16),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  EMBEDDER: optionalOneOf(["local", "openai", "workers-ai"]),
  EMBEDDING_MODEL: withDefault(aString, "text-embedding-3-small"),
  EMBEDDING_DIMENSIONS: int(8, 4096, 512),
  WORKERS_AI_EMBEDDING_MODEL: withDefault(aString, "@cf/baai/bge-base-en-v1.5"),

  VECTOR_STORE: optionalOneOf(["embedded", "qdrant", "vectorize"]),
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalString,
  QDRANT_COLLECTION: withDefault(aString, "ancre_chunks"),

  LLM_PROVIDER: optionalOneOf(["extractive", "openai", "workers-ai"]),
  LLM_MODEL: withDefault(aString, "gpt-4o-mini"),
  WORKERS_AI_LLM_MODEL: withDefault(aString, "@cf/meta/llama-3.1-8b-instruct"),
  LLM_TIMEOUT_MS: int(1000, 600_000, 60_000),
  VISION_MODEL: optionalString,
  VISION_TIMEOUT_MS: int(1000, 600_000, 120_000),
  HYBRID_KEYWORD_WEIGHT: withDefault<number | undefined>(number({ min: 0, max: 1 }), undefined),
  CHAT_PING_INTERVAL_MS: int(10, 120_000, 15_000),
  // How long an isolate may reuse an API key, a plan or an assistant it read (0: never); the bound
  // within which a revocation or a change made elsewhere takes effect (storage/lookup-cache.ts).
  LOOKUP_CACHE_SECONDS: int(0, 300, 30),

  WIDGET_TOKEN_SECRET: optional(atLeast(32)),
  // Encrypts webhook endpoints' signing secrets at rest (docs/webhooks.md).
  WEBHOOK_SECRETS_KEY: optional(atLeast(32)),
  // The first retry of a failed webhook delivery waits this long; later ones wait longer (0: at once).
  WEBHOOK_RETRY_BASE_SECONDS: int(0, 3600, 60),
  WIDGET_SESSIONS_PER_MINUTE_PER_IP: positiveInt(20),

  // Development and benchmarks only: every binding call pays a modelled round trip (refused elsewhere).
  LATENCY_PROFILE: optional(oneOf(LATENCY_PROFILE_NAMES)),
  // Every request's region (its budget lease holder's and search replica's), set where `request.cf`
  // is a placeholder (wrangler dev, tests); unset, the request's continent decides (lib/caller-region.ts).
  QUOTA_LEASE_REGION: optional(oneOf(CALLER_REGIONS)),
} satisfies Record<string, Reader<unknown>>;

type RawConfig = {
  [Name in keyof typeof RAW_CONFIG]: Exclude<ReturnType<(typeof RAW_CONFIG)[Name]>, Invalid>;
};

/** Each var read by its reader, or one issue per bad var (`NAME: what is wrong`), in RAW_CONFIG's order. */
function readRawConfig(env: Record<string, unknown>): { raw: RawConfig; issues: string[] } {
  const raw: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const [name, read] of Object.entries(RAW_CONFIG) as [string, Reader<unknown>][]) {
    const value = read(env[name]);
    if (value instanceof Invalid) issues.push(`${name}: ${value.message}`);
    else raw[name] = value;
  }
  return { raw: raw as RawConfig, issues };
}

// Anywhere else (staging included) the bypass would serve whoever sends X-Tenant-ID.
const BYPASS_ENVIRONMENTS: readonly RawConfig["ENVIRONMENT"][] = ["development", "test"];

export type Config = ReturnType<typeof toConfig>;

// A provider left unset is chosen from what is configured: the hosted service when its key or
// URL is present, the embedded default otherwise. An explicit choice is checked in parseConfig.
const hasOpenAi = (raw: RawConfig) => Boolean(raw.OPENAI_API_KEY || raw.OPENAI_BASE_URL);

function toConfig(raw: RawConfig) {
  const embedder = raw.EMBEDDER ?? (hasOpenAi(raw) ? "openai" : "local");
  return {
    environment: raw.ENVIRONMENT,
    version: APP_VERSION,
    devAuthBypass: raw.DEV_AUTH_BYPASS,
    corsAllowedOrigins: raw.CORS_ALLOWED_ORIGINS,
    clerk: raw.CLERK_JWKS_URL
      ? {
          jwksUrl: raw.CLERK_JWKS_URL,
          issuer: raw.CLERK_ISSUER,
          authorizedParties: raw.CLERK_AUTHORIZED_PARTIES,
          clockSkewSeconds: raw.CLERK_CLOCK_SKEW_SECONDS,
          publishableKey: raw.CLERK_PUBLISHABLE_KEY,
        }
      : undefined,
    clerkBackend: raw.CLERK_SECRET_KEY
      ? { secretKey: raw.CLERK_SECRET_KEY, apiUrl: raw.CLERK_API_URL ?? "https://api.clerk.com" }
      : undefined,
    upload: { maxBytes: raw.MAX_UPLOAD_BYTES },
    tenants: {
      maxFreePerUser: raw.MAX_FREE_TENANTS_PER_USER,
      deletionFinalPassDelaySeconds: raw.TENANT_DELETION_FINAL_PASS_DELAY_SECONDS,
    },
    chunking: { size: raw.CHUNK_SIZE, overlap: raw.CHUNK_OVERLAP },
    ingest: {
      pagesPerBatch: raw.INGEST_PAGES_PER_BATCH,
      messageCpuMs: raw.INGEST_MESSAGE_CPU_MS,
      openPdfBytes: Math.round(raw.INGEST_OPEN_PDF_MB * 1024 * 1024),
    },
    openai: { apiKey: raw.OPENAI_API_KEY, baseUrl: raw.OPENAI_BASE_URL },
    embeddings: {
      provider: embedder,
      model: embedder === "workers-ai" ? raw.WORKERS_AI_EMBEDDING_MODEL : raw.EMBEDDING_MODEL,
      dimensions: raw.EMBEDDING_DIMENSIONS,
    },
    vectorStore: {
      provider: raw.VECTOR_STORE ?? (raw.QDRANT_URL ? "qdrant" : "embedded"),
      qdrant: raw.QDRANT_URL
        ? { url: raw.QDRANT_URL, apiKey: raw.QDRANT_API_KEY, collection: raw.QDRANT_COLLECTION }
        : undefined,
    },
    llm: {
      provider: raw.LLM_PROVIDER ?? (hasOpenAi(raw) ? "openai" : "extractive"),
      model: raw.LLM_PROVIDER === "workers-ai" ? raw.WORKERS_AI_LLM_MODEL : raw.LLM_MODEL,
      timeoutMs: raw.LLM_TIMEOUT_MS,
    },
    // OCR of scanned PDF pages: off unless a vision model is named.
    vision: raw.VISION_MODEL ? { model: raw.VISION_MODEL, timeoutMs: raw.VISION_TIMEOUT_MS } : undefined,
    chat: { pingIntervalMs: raw.CHAT_PING_INTERVAL_MS },
    lookupCacheMs: raw.LOOKUP_CACHE_SECONDS * 1000,
    quotaLeaseRegion: raw.QUOTA_LEASE_REGION,
    widget: {
      // Development and tests sign with a fixed local secret, so nothing needs setting; elsewhere
      // an unset secret is a ConfigError when a visitor token is first signed or checked, so that
      // deployments without widgets need not set it.
      tokenSecret:
        raw.WIDGET_TOKEN_SECRET ??
        (BYPASS_ENVIRONMENTS.includes(raw.ENVIRONMENT)
          ? `ancre-local-widget-secret:${raw.ENVIRONMENT}`
          : undefined),
      sessionsPerMinutePerIp: raw.WIDGET_SESSIONS_PER_MINUTE_PER_IP,
    },
    webhooks: {
      // Development and tests encrypt with a fixed local key, as the widget's tokens are signed;
      // elsewhere an unset key is a ConfigError when a secret is first stored or read.
      secretsKey:
        raw.WEBHOOK_SECRETS_KEY ??
        (BYPASS_ENVIRONMENTS.includes(raw.ENVIRONMENT)
          ? `ancre-local-webhook-secrets-key:${raw.ENVIRONMENT}`
          : undefined),
      retryBaseSeconds: raw.WEBHOOK_RETRY_BASE_SECONDS,
      // Endpoints on loopback or private addresses (and plain http to localhost) only where Ancre
      // runs on a developer's machine.
      allowLocalUrls: BYPASS_ENVIRONMENTS.includes(raw.ENVIRONMENT),
    },
    search: {
      // The local embedder is word-based, a noisy copy of bm25: on SciFact only a fusion weighted
      // ~0.9 towards keyword matches keyword alone (docs/benchmarks.md). A semantic embedder
      // brings a second signal, weighted equally until it can be measured.
      hybridKeywordWeight: raw.HYBRID_KEYWORD_WEIGHT ?? (embedder === "local" ? 0.9 : 0.5),
    },
    plans: {
      free: {
        assistants: raw.MAX_ASSISTANTS_PER_TENANT,
        collections: raw.MAX_COLLECTIONS_PER_TENANT,
        documents: raw.MAX_DOCUMENTS_PER_TENANT,
        storage_bytes: raw.MAX_STORAGE_BYTES_PER_TENANT,
        chat_messages: raw.MAX_CHAT_MESSAGES_PER_MONTH,
        ingested_pages: raw.MAX_INGESTED_PAGES_PER_MONTH,
        llm_tokens: raw.MAX_LLM_TOKENS_PER_MONTH,
        requests_per_minute: raw.MAX_REQUESTS_PER_MINUTE_PER_KEY,
      } satisfies PlanLimits,
      pro: {
        assistants: raw.PRO_MAX_ASSISTANTS_PER_TENANT,
        collections: raw.PRO_MAX_COLLECTIONS_PER_TENANT,
        documents: raw.PRO_MAX_DOCUMENTS_PER_TENANT,
        storage_bytes: raw.PRO_MAX_STORAGE_BYTES_PER_TENANT,
        chat_messages: raw.PRO_MAX_CHAT_MESSAGES_PER_MONTH,
        ingested_pages: raw.PRO_MAX_INGESTED_PAGES_PER_MONTH,
        llm_tokens: raw.PRO_MAX_LLM_TOKENS_PER_MONTH,
        requests_per_minute: raw.PRO_MAX_REQUESTS_PER_MINUTE_PER_KEY,
      } satisfies PlanLimits,
    },
    // The copilot Worker is reached through the COPILOT service binding; requests forwarded to it
    // carry a token signed with this secret, which the copilot Worker shares (auth/copilot-token.ts).
    copilot: raw.COPILOT_INTERNAL_SECRET ? { internalSecret: raw.COPILOT_INTERNAL_SECRET } : undefined,
    // Billing is on only with a Stripe key; parseConfig makes sure the rest came with it.
    billing: raw.STRIPE_SECRET_KEY
      ? {
          secretKey: raw.STRIPE_SECRET_KEY,
          webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? "",
          priceIdPro: raw.STRIPE_PRICE_PRO ?? "",
          apiBase: raw.STRIPE_API_BASE,
        }
      : undefined,
    // Connectors are on only with both; Nango signs webhooks with the secret key unless the
    // environment has a webhook signing key of its own.
    nango:
      raw.NANGO_URL && raw.NANGO_SECRET_KEY
        ? {
            url: raw.NANGO_URL.replace(/\/+$/, ""),
            secretKey: raw.NANGO_SECRET_KEY,
            webhookSecret: raw.NANGO_WEBHOOK_SECRET ?? raw.NANGO_SECRET_KEY,
          }
        : undefined,
    // The latency model's profile (src/lib/latency-model); never set in production (parseConfig).
    latencyProfile: raw.LATENCY_PROFILE,
  };
}

export const APP_VERSION = "0.1.0";

/** Raised when vars or secrets are missing, malformed or contradictory. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration: ${issues.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parses vars and secrets into a typed Config, or throws one ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, unknown>): Config {
  const { raw, issues } = readRawConfig(env);
  if (issues.length > 0) throw new ConfigError(issues);
  const problems: string[] = [];
  if (raw.DEV_AUTH_BYPASS && !BYPASS_ENVIRONMENTS.includes(raw.ENVIRONMENT)) {
    problems.push(
      `DEV_AUTH_BYPASS: the development auth bypass is allowed only when ENVIRONMENT is development or test, not ${raw.ENVIRONMENT}`,
    );
  }
  if (raw.CHUNK_OVERLAP >= raw.CHUNK_SIZE) {
    problems.push("CHUNK_OVERLAP: must be smaller than CHUNK_SIZE");
  }
  if ((raw.EMBEDDER === "openai" || raw.LLM_PROVIDER === "openai") && !hasOpenAi(raw)) {
    problems.push("OPENAI_API_KEY: required (or OPENAI_BASE_URL) when EMBEDDER or LLM_PROVIDER is openai");
  }
  if (raw.VISION_MODEL && !hasOpenAi(raw)) {
    problems.push("VISION_MODEL: needs OPENAI_API_KEY (or OPENAI_BASE_URL), the API that serves it");
  }
  if (raw.VECTOR_STORE === "qdrant" && !raw.QDRANT_URL) {
    problems.push("QDRANT_URL: required when VECTOR_STORE=qdrant");
  }
  if (raw.VECTOR_STORE === "vectorize" && !env.VECTORIZE) {
    problems.push("VECTOR_STORE: vectorize needs a [[vectorize]] binding named VECTORIZE in wrangler.toml");
  }
  if ((raw.EMBEDDER === "workers-ai" || raw.LLM_PROVIDER === "workers-ai") && !env.AI) {
    problems.push("EMBEDDER/LLM_PROVIDER: workers-ai needs an [ai] binding named AI in wrangler.toml");
  }
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_PRICE_PRO) {
    problems.push("STRIPE_PRICE_PRO: required when STRIPE_SECRET_KEY is set (the price of the Pro plan)");
  }
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET) {
    problems.push(
      "STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set, or subscriptions never reach Ancre",
    );
  }
  if (Boolean(raw.NANGO_URL) !== Boolean(raw.NANGO_SECRET_KEY)) {
    problems.push("NANGO_URL, NANGO_SECRET_KEY: set both to turn the connectors on, or neither");
  }
  if (raw.CLERK_ISSUER && !raw.CLERK_JWKS_URL) {
    problems.push("CLERK_ISSUER: set CLERK_JWKS_URL too, or Clerk tokens cannot be verified");
  }
  if (raw.LATENCY_PROFILE && !BYPASS_ENVIRONMENTS.includes(raw.ENVIRONMENT)) {
    problems.push(
      `LATENCY_PROFILE: the latency model delays every binding call; it is allowed only when ENVIRONMENT is development or test, not ${raw.ENVIRONMENT}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(raw);
}

const cache = new WeakMap<object, Config>();

/** The Config for this env, parsed once per isolate. */
export function configFor(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as Record<string, unknown>);
    cache.set(env, config);
  }
  return config;
}
