// Bindings and secrets that wrangler.toml does not declare by default (so `wrangler types` cannot
// see them): optional Vectorize and Workers AI bindings, and secrets set with `wrangler secret put`.
interface Env {
  VECTORIZE?: VectorizeIndex;
  AI?: Ai;
  COPILOT?: Fetcher;
  METRICS?: AnalyticsEngineDataset;
}

declare namespace Cloudflare {
  interface Env {
    VECTORIZE?: VectorizeIndex;
    AI?: Ai;
    OPENAI_API_KEY?: string;
    OPENAI_BASE_URL?: string;
    QDRANT_API_KEY?: string;
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    WIDGET_TOKEN_SECRET?: string;
    WEBHOOK_SECRETS_KEY?: string;
    COPILOT?: Fetcher;
    METRICS?: AnalyticsEngineDataset;
    COPILOT_INTERNAL_SECRET?: string;
    NANGO_URL?: string;
    NANGO_SECRET_KEY?: string;
    NANGO_WEBHOOK_SECRET?: string;
    /** Development and benchmarks only: the latency model's profile (src/lib/latency-model). */
    LATENCY_PROFILE?: string;
  }
}
