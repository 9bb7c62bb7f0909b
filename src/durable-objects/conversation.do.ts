import { DurableObject } from "cloudflare:workers";

/** One per conversation: orders turns and fans a turn's events out to every attached client. */
export class ConversationDurableObject extends DurableObject<Env> {}
