import { DurableObject } from "cloudflare:workers";

/** The embedded vector store: one per tenant, SQLite-backed, exact cosine top-k. */
export class VectorIndexDurableObject extends DurableObject<Env> {}
