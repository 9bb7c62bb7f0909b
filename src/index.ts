import { createApp } from "./app";
import { ConversationDurableObject as ConversationObject } from "./durable-objects/conversation.do";
import { QuotaLeaseDurableObject as QuotaLeaseObject } from "./durable-objects/quota-lease.do";
import { SearchReplicaDurableObject as SearchReplicaObject } from "./durable-objects/search-replica.do";
import { SearchShardDurableObject as SearchShardObject } from "./durable-objects/search-shard.do";
import { TenantQuotaDurableObject as TenantQuotaObject } from "./durable-objects/tenant-quota.do";
import { markResponse, modelledEnv } from "./lib/latency-model/latency-model";
import { withModelledEnv } from "./lib/latency-model/modelled-object";
import { handleQueue } from "./queues";
import { handleScheduled } from "./scheduled";

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
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
