import { createApp } from "./app";
import { handleQueue } from "./queues";
import { handleScheduled } from "./scheduled";

export { ConversationDurableObject } from "./durable-objects/conversation.do";
export { SearchShardDurableObject } from "./durable-objects/search-shard.do";
export { TenantQuotaDurableObject } from "./durable-objects/tenant-quota.do";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
