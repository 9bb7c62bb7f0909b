import { env } from "cloudflare:workers";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";

/** The service dependencies over the test bindings, with some vars overridden (plan limits, Stripe). */
export function depsWith(overrides: Record<string, string> = {}): Deps {
  return depsFor({ ...env, ...overrides } as Env);
}

/** What a quota verb needs of its caller. */
export const quotaCtx = (tenantId: string) => ({ tenantId });
