import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context";

/** One route module's router, as its `*.routes.ts` exports it. */
// A router of any schema mounts the same way.
export type GroupRouter = OpenAPIHono<AppEnv, any, any>;

/**
 * A route module (`src/routes/<x>/<x>.routes.ts`) loaded by its `import()` on the first request
 * under one of its first path segments (`/api/v1/<segment>/…`), never at start-up: its zod
 * schemas, OpenAPI metadata and the services it alone calls are evaluated then, once per isolate.
 */
export interface RouteGroup<M = unknown> {
  name: string;
  /** Every route of the module starts `/api/v1/<one of these>` (checked by its tests). */
  segments: readonly string[];
  load(): Promise<M>;
  /** The module, once `load()` has settled. */
  readonly module: M | undefined;
}

export function routeGroup<M>(
  name: string,
  segments: readonly string[],
  load: () => Promise<M>,
): RouteGroup<M> {
  let loading: Promise<M> | undefined;
  let module: M | undefined;
  return {
    name,
    segments,
    load: () => {
      loading ??= load().then((loaded) => {
        module = loaded;
        return loaded;
      });
      return loading;
    },
    get module() {
      return module;
    },
  };
}

/** One router of a group, mounted under the API prefix at its place in the app's order. */
export interface Mount {
  group: RouteGroup;
  router(): GroupRouter;
}

export function mount<M>(group: RouteGroup<M>, pick: (module: M) => GroupRouter): Mount {
  return {
    group: group as RouteGroup,
    router: () => {
      if (group.module === undefined) throw new Error(`route group ${group.name} is not loaded`);
      return pick(group.module);
    },
  };
}

/**
 * The groups that may hold a route for this path (by its first segment under `prefix`), in the
 * order given. A path they do not cover reaches no group route, whatever its method.
 */
export function groupsForPath(groups: readonly RouteGroup[], prefix: string, path: string): RouteGroup[] {
  if (!path.startsWith(`${prefix}/`)) return [];
  const rest = path.slice(prefix.length + 1);
  const slash = rest.indexOf("/");
  const segment = slash === -1 ? rest : rest.slice(0, slash);
  return groups.filter((group) => group.segments.includes(segment));
}
