import { configFor } from "./config";
import type { Deps } from "./context";
import { modelledEnv } from "./lib/latency-model/latency-model";
import { createEmbedder, createVectorStore } from "./providers";
import { createAnswerGenerator } from "./providers/llm";
import { createMetrics } from "./providers/metrics/analytics-engine";
import { createPageTranscriber } from "./providers/vision";
import { OpenPdfs } from "./services/ingestion/open-pdfs";
import { BlobStore } from "./storage/blob-store";
import { databaseFor } from "./storage/db";
import { SearchShards } from "./storage/search-shard/search-shards";

const cache = new WeakMap<object, Deps>();

/**
 * Dependencies for this env, built once per isolate. Throws ConfigError on a bad configuration.
 * With LATENCY_PROFILE (development only) every binding they hold pays a modelled round trip.
 */
export function depsFor(unmodelledEnv: Env): Deps {
  let deps = cache.get(unmodelledEnv);
  if (!deps) {
    const env = modelledEnv(unmodelledEnv);
    const config = configFor(env);
    deps = {
      config,
      db: databaseFor(env.DB),
      blobs: new BlobStore(env.FILES),
      ingestQueue: env.INGEST_QUEUE,
      webhookQueue: env.WEBHOOK_QUEUE,
      // Read at call time: the latency model (and only it) replaces the global fetch.
      fetchWebhook: (input, init) => fetch(input, init),
      embedder: createEmbedder(config, env),
      vectorStore: createVectorStore(config, env),
      searchShards: new SearchShards(env.SEARCH_SHARD, env.SEARCH_REPLICA),
      answerGenerator: createAnswerGenerator(config, env),
      pageTranscriber: createPageTranscriber(config),
      openPdfs: new OpenPdfs(config.ingest.openPdfBytes),
      conversations: env.CONVERSATION,
      quotas: env.TENANT_QUOTA,
      leases: env.QUOTA_LEASE,
      copilot: env.COPILOT,
      assets: env.ASSETS,
      metrics: createMetrics(env.METRICS),
    };
    cache.set(unmodelledEnv, deps);
  }
  return deps;
}
