import { defineTool } from "@copilotkit/runtime/v2";
import { z } from "zod";

/** The API routes the tools call; the copilot token opens exactly these (auth/copilot-token.ts). */
export const KPI_PATH = "/api/v1/kpis";
export const SEARCH_PATH = "/api/v1/search";

/**
 * Calls an API route through the service binding as the tenant the token names: a GET without a
 * body, a POST with one. A refusal goes back to the model as the problem's sentence, so that it
 * can say what went wrong.
 */
async function callApi(api: Fetcher, token: string, path: string, body?: unknown): Promise<unknown> {
  const response = await api.fetch(
    new URL(path, "https://api.internal"),
    body === undefined
      ? { headers: { authorization: `Bearer ${token}` } }
      : {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        },
  );
  const json = (await response.json()) as { detail?: string };
  return response.ok ? json : { error: json.detail ?? `The API answered ${response.status}` };
}

/** The copilot's tools, run by the API Worker for the tenant of `token`. */
export function tenantTools(api: Fetcher, token: string) {
  return [
    defineTool({
      name: "get_kpis",
      description:
        "The tenant's KPIs: documents by status, chunks, storage, messages and LLM tokens this period " +
        "with the previous period's figures, each quota's use in percent, and the busiest assistants.",
      parameters: z.object({}),
      execute: () => callApi(api, token, KPI_PATH),
    }),
    defineTool({
      name: "search_documents",
      description: "Searches the tenant's documents; returns the best passages with their filenames.",
      parameters: z.object({
        query: z.string().min(1).max(2000).describe("What to look for"),
        top_k: z.number().int().min(1).max(20).optional().describe("How many passages, 5 by default"),
      }),
      execute: ({ query, top_k }) => callApi(api, token, SEARCH_PATH, { query, top_k: top_k ?? 5 }),
    }),
  ];
}
