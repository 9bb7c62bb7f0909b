import { configFor } from "./config";
import type { Deps } from "./context";
import { databaseFor } from "./storage/db";

const cache = new WeakMap<object, Deps>();

/** Dependencies for this env, built once per isolate. Throws ConfigError on a bad configuration. */
export function depsFor(env: Env): Deps {
  let deps = cache.get(env);
  if (!deps) {
    deps = { config: configFor(env), db: databaseFor(env.DB) };
    cache.set(env, deps);
  }
  return deps;
}
