import { createApp } from "./app";
import { handleQueue } from "./queues";

export { ConversationDurableObject } from "./durable-objects/conversation.do";
export { TenantQuotaDurableObject } from "./durable-objects/tenant-quota.do";
export { VectorIndexDurableObject } from "./durable-objects/vector-index.do";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
