import { modelledEnv } from "./latency-model";
import type { ObjectNamespace } from "./profiles";

// Any Durable Object class: the runtime constructs it with (state, env).
type ObjectClass = abstract new (...args: any[]) => object;

/**
 * The Durable Object class whose env is seen through the latency model from the object's own
 * region (its namespace in the profile); the class unchanged in behaviour when no profile is set.
 */
export function withModelledEnv<C extends ObjectClass>(Base: C, site: ObjectNamespace): C {
  abstract class Modelled extends Base {
    constructor(...args: any[]) {
      super(args[0], modelledEnv(args[1] as object, site));
    }
  }
  return Modelled;
}
