import type { Handler } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { grantCopilot } from "../../services/copilot/copilot.service";
import { COPILOT_PATH, isCopilotRuntimeRoute } from "../../services/copilot/copilot-runtime-routes";
import { tenantCall } from "../tenant-call";

/** Where CopilotKit's client reaches the runtime: its routes the console calls are forwarded as is. */
export { COPILOT_PATH };

// The caller's credentials stay here: the copilot Worker trusts only the token added below.
const CALLER_HEADERS = ["authorization", "cookie", "x-tenant-id"];

/**
 * Forwards an authenticated request for one of the runtime routes the console calls (any other is
 * not found, and never reaches the copilot) to the copilot Worker, with a copilot token for the
 * caller's tenant and user in place of its credentials. The copilot's own CORS headers are dropped: this Worker's
 * CORS middleware answers for every /api path.
 */
export const forwardToCopilot: Handler<AppEnv> = async function forwardToCopilot(c) {
  if (!isCopilotRuntimeRoute(c.req.method, new URL(c.req.url).pathname)) {
    throw new AppError("route_not_found", `No route for ${c.req.method} ${c.req.path}`);
  }
  const { copilot, token } = await grantCopilot(tenantCall(c));
  const headers = new Headers(c.req.raw.headers);
  for (const name of CALLER_HEADERS) headers.delete(name);
  headers.set("authorization", `Bearer ${token}`);
  headers.set("x-request-id", c.var.requestId);
  const response = await copilot.fetch(
    new Request(c.req.url, { method: c.req.method, headers, body: c.req.raw.body, redirect: "manual" }),
  );
  const answer = new Response(response.body, response);
  for (const name of [...answer.headers.keys()]) {
    if (name.startsWith("access-control-")) answer.headers.delete(name);
  }
  return answer;
};
