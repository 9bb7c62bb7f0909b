import { createApp } from "./app";
import { ConversationDurableObject as ConversationObject } from "./durable-objects/conversation.do";
import { QuotaLeaseDurableObject as QuotaLeaseObject } from "./durable-objects/quota-lease.do";
import { SearchReplicaDurableObject as SearchReplicaObject } from "./durable-objects/search-replica.do";
import { SearchShardDurableObject as SearchShardObject } from "./durable-objects/search-shard.do";
import { TenantQuotaDurableObject as TenantQuotaObject } from "./durable-objects/tenant-quota.do";
import { markResponse, modelledEnv } from "./lib/latency-model/latency-model";
import { withModelledEnv } from "./lib/latency-model/modelled-object";

// Each object sees its bindings through the latency model from its own region when LATENCY_PROFILE
// is set (development only); unchanged otherwise.
export class ConversationDurableObject extends withModelledEnv(ConversationObject, "CONVERSATION") {}
export class TenantQuotaDurableObject extends withModelledEnv(TenantQuotaObject, "TENANT_QUOTA") {}
export class QuotaLeaseDurableObject extends withModelledEnv(QuotaLeaseObject, "QUOTA_LEASE") {}
export class SearchShardDurableObject extends withModelledEnv(SearchShardObject, "SEARCH_SHARD") {}
export class SearchReplicaDurableObject extends withModelledEnv(SearchReplicaObject, "SEARCH_REPLICA") {}

const app = createApp();

export default {
  async fetch(request, env, ctx) {
    const modelled = modelledEnv(env);
    const response = await app.fetch(request, modelled, ctx);
    markResponse(modelled);
    return response;
  },
  // The consumers and the cron's sweeps (ingestion's parsers among them) load with the first batch
  // or trigger an isolate receives: a request never evaluates them.
  async queue(batch, env) {
    const { handleQueue } = await import("./queues");
    return handleQueue(batch, env);
  },
  async scheduled(controller, env) {
    const { handleScheduled } = await import("./scheduled");
    return handleScheduled(controller, env);
  },
} satisfies ExportedHandler<Env>;
