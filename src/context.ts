import type { Actor } from "./auth/actor";
import type { Role } from "./auth/roles";
import type { Config } from "./config";
import type { Embedder } from "./providers/embeddings/types";
import type { AnswerGenerator } from "./providers/llm/types";
import type { Metrics } from "./providers/metrics/types";
import type { VectorStore } from "./providers/vector/types";
import type { PageTranscriber } from "./providers/vision/types";
import type { ConversationRpc } from "./services/chat/conversation.interface";
import type { IngestMessage } from "./services/ingestion/ingest-message";
import type { OpenPdfs } from "./services/ingestion/open-pdfs";
import type { NangoSyncMessage } from "./services/integrations/nango-sync-message";
import type { QuotaLeaseObject } from "./services/quotas/quota-lease.interface";
import type { RateDecision, TenantQuotaObject } from "./services/quotas/quota-object.interface";
import type { TenantDeletionMessage } from "./services/tenants/tenant-deletion-message";
import type { WebhookDeliveryMessage } from "./services/webhooks/webhook-delivery-message";
import type { BlobStore } from "./storage/blob-store";
import type { Database } from "./storage/db";
import type { SearchShards } from "./storage/search-shard/search-shards";

export type { Actor, Role };

/** What the ancre-ingest queue carries: ingestion batches, tenant deletion steps and sync steps. */
export type QueueMessage = IngestMessage | TenantDeletionMessage | NangoSyncMessage;

/** The resolved identity of a request; `tenantId` is set when the caller picked (or its key fixes) a tenant. */
export interface Identity {
  actor: Actor;
  tenantId: string | null;
  role: Role | null;
}

/**
 * A request's draw from its rate bucket, left by the rate-limit middleware to the request's one
 * call to the tenant's object (middleware/rate-limit.ts); that call sets `decision`.
 */
export interface DeferredDraw {
  key: string;
  /** A widget visitor's bucket: kept by the lease holder of the caller's region alone. */
  perRegion?: boolean;
  decision?: RateDecision;
}

/** What a tenant-scoped service verb knows about its caller. */
export interface TenantContext {
  tenantId: string;
  actor: Actor;
  role: Role;
  requestId: string;
  /** The request's rate-limit draw, when its route takes it with its quota call. */
  draw?: DeferredDraw;
  /** The caller's region, where its budget lease holder and search replica live (lib/caller-region.ts). */
  region?: string;
}

/** Everything services need, built once per isolate from the bindings and the Config. */
export interface Deps {
  config: Config;
  db: Database;
  blobs: BlobStore;
  /** The ancre-ingest queue: ingestion batches and tenant deletion steps. */
  ingestQueue: Queue<QueueMessage>;
  /** The ancre-webhooks queue: one message per delivery of an event to an endpoint. */
  webhookQueue: Queue<WebhookDeliveryMessage>;
  /** Outbound fetch to tenants' webhook endpoints (the global fetch, which the latency model wraps). */
  fetchWebhook: typeof fetch;
  embedder: Embedder;
  vectorStore: VectorStore;
  /** Each tenant's chunks, full-text index and search, in its own Durable Object. */
  searchShards: SearchShards;
  answerGenerator: AnswerGenerator;
  /** Reads scanned PDF pages (OCR); absent unless VISION_MODEL is configured. */
  pageTranscriber?: PageTranscriber;
  /** The PDFs this isolate keeps open between the queue messages of a document. */
  openPdfs: OpenPdfs;
  /** One conversation Durable Object per conversation, addressed by its id. */
  conversations: DurableObjectNamespace<ConversationRpc>;
  /** One tenant quota Durable Object per tenant, addressed by the tenant id. */
  quotas: DurableObjectNamespace<TenantQuotaObject>;
  /** Budget lease holders, one per tenant and region (`<tenant>:<region>`); without them, the ledger decides. */
  leases?: DurableObjectNamespace<QuotaLeaseObject>;
  /** The copilot Worker (service binding COPILOT), when it is deployed beside this one. */
  copilot?: Fetcher;
  /** The built console and API reference files (wrangler.toml [assets]); absent when not built. */
  assets?: Fetcher;
  /**
   * A request's lookups (key, plan, assistant), each read at most once per request; present on a
   * request's Deps only, whose `db` is then the request's D1 session (middleware/d1-session.ts).
   */
  lookups?: Map<string, Promise<unknown>>;
  /** Runs work after the response is sent (the request's waitUntil); present on a request's Deps only. */
  afterResponse?: (work: Promise<unknown>) => void;
  /** Per-tenant metrics (Analytics Engine, binding METRICS); a no-op when unbound. */
  metrics: Metrics;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    deps: Deps;
    identity: Identity;
    /** The caller's request bucket, once a rate-limited request has drawn from it. */
    rateLimit?: RateDecision;
    /** The caller's draw, when the route takes it with its one call to the tenant's object. */
    deferredDraw?: DeferredDraw;
  };
}

/** The arguments of a tenant-scoped service verb: `verbEntity({ ctx, deps, input })`. */
export interface Verb<Input> {
  ctx: TenantContext;
  deps: Deps;
  input: Input;
}
