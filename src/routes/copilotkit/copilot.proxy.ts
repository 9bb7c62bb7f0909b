import type { Handler } from "hono";
import type { AppEnv } from "../../context";
import { tenantContext } from "../../middleware/tenant-context";
import { grantCopilot } from "../../services/copilot";

/** Where CopilotKit's client reaches the runtime: forwarded as is to the copilot Worker. */
export const COPILOT_PATH = "/api/copilotkit";

// The caller's credentials stay here: the copilot Worker trusts only the token added below.
const CALLER_HEADERS = ["authorization", "cookie", "x-tenant-id"];

/**
 * Forwards an authenticated request to the copilot Worker with a copilot token for the caller's
 * tenant in place of its credentials. The copilot's own CORS headers are dropped: this Worker's
 * CORS middleware answers for every /api path.
 */
export const forwardToCopilot: Handler<AppEnv> = async function forwardToCopilot(c) {
  const { copilot, token } = await grantCopilot({ ctx: tenantContext(c), deps: c.var.deps });
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
