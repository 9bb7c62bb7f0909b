import { verifyCopilotToken } from "../../src/auth/copilot-token.ts";

/** The copilot Worker's tests sign their tokens with this secret (the copilot project's binding). */
export const COPILOT_TEST_SECRET = "copilot-tests-shared-secret-0123456789abcdef";

/** What the API stand-in answers `GET /kpis` with (in part), for the tenant the token names. */
export const stubKpis = (tenantId: string) => ({
  period: { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
  previous_period: { start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" },
  usage: { chat_messages: { used: 7, limit: 500, percent: 1.4, previous: 4 } },
  busiest_assistants: [{ id: `ast_of_${tenantId}`, name: "Support", questions: 7, previous_questions: 4 }],
});

const problem = (status: number, code: string, detail: string) =>
  Response.json({ type: "about:blank", title: code, status, detail, code }, { status });

/**
 * The API Worker as the copilot's API binding sees it, in Node: it accepts only copilot tokens
 * signed with COPILOT_TEST_SECRET, as the real authentication does, and answers `GET /kpis`
 * with `stubKpis` of the token's tenant and search with one passage naming it.
 */
export async function copilotApiStub(request: Request): Promise<Response> {
  const token = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const grant = token ? await verifyCopilotToken(token, COPILOT_TEST_SECRET) : undefined;
  if (!grant) return problem(401, "unauthenticated", "The copilot token is not valid or has expired");
  const route = `${request.method} ${new URL(request.url).pathname}`;
  if (route === "GET /api/v1/kpis") return Response.json(stubKpis(grant.tenantId));
  if (route === "POST /api/v1/search") {
    const { query } = (await request.json()) as { query: string };
    return Response.json({
      results: [{ filename: `${grant.tenantId}.md`, text: `About ${query}`, score: 1 }],
    });
  }
  return problem(403, "forbidden", "A copilot token opens only the copilot's tools");
}
