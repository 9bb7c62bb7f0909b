import { z } from "zod";

/** Plan limits for resources a tenant holds. Later issues add flow limits (messages, pages, tokens). */
export interface PlanLimits {
  assistants: number;
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
  MAX_ASSISTANTS_PER_TENANT: positiveInt(3),
  PRO_MAX_ASSISTANTS_PER_TENANT: positiveInt(20),

  MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
  CHUNK_SIZE: z.coerce.number().int().min(50).max(8000).default(800),
  CHUNK_OVERLAP: z.coerce.number().int().min(0).max(4000).default(100),
  INGEST_PAGES_PER_BATCH: z.coerce.number().int().min(1).max(500).default(25),

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
});

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
        }
      : undefined,
    upload: { maxBytes: raw.MAX_UPLOAD_BYTES },
    chunking: { size: raw.CHUNK_SIZE, overlap: raw.CHUNK_OVERLAP },
    ingest: { pagesPerBatch: raw.INGEST_PAGES_PER_BATCH },
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
    plans: {
      free: { assistants: raw.MAX_ASSISTANTS_PER_TENANT } satisfies PlanLimits,
      pro: { assistants: raw.PRO_MAX_ASSISTANTS_PER_TENANT } satisfies PlanLimits,
    },
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
  if (raw.DEV_AUTH_BYPASS && raw.ENVIRONMENT === "production") {
    problems.push(
      "DEV_AUTH_BYPASS: the development auth bypass cannot be enabled when ENVIRONMENT=production",
    );
  }
  if (raw.CHUNK_OVERLAP >= raw.CHUNK_SIZE) {
    problems.push("CHUNK_OVERLAP: must be smaller than CHUNK_SIZE");
  }
  if ((raw.EMBEDDER === "openai" || raw.LLM_PROVIDER === "openai") && !hasOpenAi(raw)) {
    problems.push("OPENAI_API_KEY: required (or OPENAI_BASE_URL) when EMBEDDER or LLM_PROVIDER is openai");
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
  if (raw.CLERK_ISSUER && !raw.CLERK_JWKS_URL) {
    problems.push("CLERK_ISSUER: set CLERK_JWKS_URL too, or Clerk tokens cannot be verified");
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
