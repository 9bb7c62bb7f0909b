import { describe, expect, it } from "vitest";
import { CONSOLE_PAGE_PATHS } from "../../../src/routes/console/console-pages";
import { router } from "./router";

type Route = { path?: string; index?: boolean; children?: Route[] };

/** Every page the router shows, as a full path; the catch-all is not a page. */
function pagePaths(routes: Route[], parent = "/"): string[] {
  return routes.flatMap((route) => {
    if (route.index) return [parent];
    if (!route.path || route.path === "*") return [];
    const path = route.path.startsWith("/") ? route.path : `${parent === "/" ? "" : parent}/${route.path}`;
    return route.children ? pagePaths(route.children, path) : [path];
  });
}

describe("the console's pages", () => {
  it("are the paths the Worker serves the console on, no more and no fewer", () => {
    expect(new Set(pagePaths(router.routes as Route[]))).toEqual(new Set(CONSOLE_PAGE_PATHS));
  });
});
