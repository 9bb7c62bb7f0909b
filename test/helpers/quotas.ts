import { env } from "cloudflare:workers";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import type { QuotaLeaseObject } from "../../src/services/quotas/quota-lease.interface";
import type { TenantQuotaObject } from "../../src/services/quotas/quota-object.interface";

/** The service dependencies over the test bindings, with some vars overridden (plan limits, Stripe). */
export function depsWith(overrides: Record<string, string> = {}): Deps {
  return depsFor({ ...env, ...overrides } as Env);
}

/** What a quota verb needs of its caller. */
export const quotaCtx = (tenantId: string) => ({ tenantId });

/** A method called on a quota object, and its input. */
export interface Call {
  method: string;
  input: unknown;
}

/** A Durable Object namespace, recording every method called on its objects (`<prefix>method`), in order. */
export function recording<
  N extends DurableObjectNamespace<TenantQuotaObject> | DurableObjectNamespace<QuotaLeaseObject>,
>(namespace: N, calls: Call[], prefix = ""): N {
  return new Proxy(namespace, {
    get(target, prop) {
      if (prop === "getByName" || prop === "get") {
        return (...at: unknown[]) => {
          const stub = (target as unknown as Record<string, (...a: unknown[]) => object>)[prop]!(...at);
          return new Proxy(stub, {
            get(stubTarget, method) {
              // An RPC method must be called through the stub (calling .apply on it is sent as a method).
              if (typeof method !== "string" || method === "then") return Reflect.get(stubTarget, method);
              return (...args: unknown[]) => {
                calls.push({ method: `${prefix}${method}`, input: args[0] });
                return (stubTarget as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(
                  ...args,
                );
              };
            },
          });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as N;
}
