import { z } from "zod";
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

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const optionalUrl = optionalString.pipe(z.url().optional());

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const rawConfigSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "staging", "production"]).default("production"),
  DEV_AUTH_BYPASS: booleanFlag,
  CORS_ALLOWED_ORIGINS: commaList,
  CLERK_JWKS_URL: optionalUrl,
  CLERK_ISSUER: optionalString,
  CLERK_AUTHORIZED_PARTIES: commaList,
  CLERK_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
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
  TENANT_DELETION_FINAL_PASS_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(43_200)
    .default(INGESTION_LEASE_SECONDS),

  // Clerk's Backend API: with a secret key, invitations are e-mailed by Clerk (else shared as a link).
  CLERK_SECRET_KEY: optionalString,
  CLERK_API_URL: optionalUrl,

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_PRICE_PRO: optionalString,
  STRIPE_API_BASE: optionalUrl,

  COPILOT_INTERNAL_SECRET: optionalString.pipe(z.string().min(32).optional()),
  NANGO_URL: optionalUrl,
  NANGO_SECRET_KEY: optionalString,
  NANGO_WEBHOOK_SECRET: optionalString,

  MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
  CHUNK_SIZE: z.coerce.number().int().min(50).max(8000).default(800),
  CHUNK_OVERLAP: z.coerce.number().int().min(0).max(4000).default(100),
  INGEST_PAGES_PER_BATCH: z.coerce.number().int().min(1).max(500).default(25),
  // A queue message's CPU budget: ten messages a delivery within wrangler.toml's limits.cpu_ms
  // (5 minutes) with room to spare; PDF batches end early when their pages' estimated work reaches it.
  INGEST_MESSAGE_CPU_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  // The files of the PDFs an isolate keeps open between a document's messages (0: none kept).
  INGEST_OPEN_PDF_MB: z.coerce.number().min(0).max(64).default(16),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  EMBEDDER: z.enum(["local", "openai", "workers-ai"]).optional(),
  EMBEDDING_MODEL: z.string().default("text-embedding-3-small"),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(4096).default(512),
  WORKERS_AI_EMBEDDING_MODEL: z.string().default("@cf/baai/bge-base-en-v1.5"),

  VECTOR_STORE: z.enum(["embedded", "qdrant", "vectorize"]).optional(),
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalString,
  QDRANT_COLLECTION: z.string().default("ancre_chunks"),

  LLM_PROVIDER: z.enum(["extractive", "openai", "workers-ai"]).optional(),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  WORKERS_AI_LLM_MODEL: z.string().default("@cf/meta/llama-3.1-8b-instruct"),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  VISION_MODEL: optionalString,
  VISION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  HYBRID_KEYWORD_WEIGHT: z.coerce.number().min(0).max(1).optional(),
  CHAT_PING_INTERVAL_MS: z.coerce.number().int().min(10).max(120_000).default(15_000),
  // How long an isolate may reuse an API key, a plan or an assistant it read (0: never); the bound
  // within which a revocation or a change made elsewhere takes effect (storage/lookup-cache.ts).
  LOOKUP_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),

  WIDGET_TOKEN_SECRET: optionalString.pipe(z.string().min(32).optional()),
  // Encrypts webhook endpoints' signing secrets at rest (docs/webhooks.md).
  WEBHOOK_SECRETS_KEY: optionalString.pipe(z.string().min(32).optional()),
  // The first retry of a failed webhook delivery waits this long; later ones wait longer (0: at once).
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  WIDGET_SESSIONS_PER_MINUTE_PER_IP: positiveInt(20),

  // Development and benchmarks only: every binding call pays a modelled round trip (refused elsewhere).
  LATENCY_PROFILE: optionalString.pipe(z.enum(LATENCY_PROFILE_NAMES).optional()),
  // Every request's region (its budget lease holder's and search replica's), set where `request.cf`
  // is a placeholder (wrangler dev, tests); unset, the request's continent decides (lib/caller-region.ts).
  QUOTA_LEASE_REGION: optionalString.pipe(z.enum(CALLER_REGIONS).optional()),
});

// Anywhere else (staging included) the bypass would serve whoever sends X-Tenant-ID.
const BYPASS_ENVIRONMENTS: readonly RawConfig["ENVIRONMENT"][] = ["development", "test"];

export type Config = ReturnType<typeof toConfig>;

type RawConfig = z.output<typeof rawConfigSchema>;

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
  const parsed = rawConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const raw = parsed.data;
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
