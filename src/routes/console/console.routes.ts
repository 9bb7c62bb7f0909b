import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { consolePageHeaders } from "../page-headers";

/**
 * GET of a console page: the built index.html from the assets, with the console's security
 * headers. A conditional request is passed on, so an unchanged page answers 304.
 */
export async function serveConsolePage(c: Context<AppEnv>) {
  const { assets, config } = c.var.deps;
  const headers = new Headers();
  const etag = c.req.header("if-none-match");
  if (etag) headers.set("if-none-match", etag);
  const page = assets ? await assets.fetch(new URL("/", c.req.url), { headers }) : undefined;
  if (!page || (page.status !== 200 && page.status !== 304)) {
    await page?.body?.cancel();
    throw new AppError("route_not_found", "The console is not built: run npm run build:web");
  }
  const response = new Response(page.body, page);
  for (const [name, value] of Object.entries(consolePageHeaders(config))) response.headers.set(name, value);
  return response;
}
