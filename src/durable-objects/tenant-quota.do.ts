import { DurableObject } from "cloudflare:workers";

/** One per tenant: atomic usage counters that reserve against the limit the service passes in. */
export class TenantQuotaDurableObject extends DurableObject<Env> {}
