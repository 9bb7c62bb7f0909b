import { beforeAll, describe, expect, it } from "vitest";
import { stubKpis } from "../../test/fakes/copilot-api";
import { createCopilotApp } from "../src/app";
import { copilot, copilotEnv, eventsOf, startRun, tokenFor } from "./copilot-client";

const TENANT = "ten_copilot_test";

/** Runs the default agent on one user message, as the token's tenant; returns the run's events. */
async function run(message: string) {
  const response = await startRun(await tokenFor(TENANT), message);
  expect(response.status).toBe(200);
  return eventsOf(response);
}

describe("the copilot Worker", () => {
  // The first request loads the bundled Worker (6 MB, transformed by Vitest's module runner):
  // most of a minute on a busy machine, once per run.
  beforeAll(async () => {
    await copilot("/info", {}, await tokenFor(TENANT));
  }, 180_000);

  it("answers its info route for a request the API forwarded, naming its agent", async () => {
    const response = await copilot("/info", {}, await tokenFor(TENANT));
    expect(response.status).toBe(200);
    const info = (await response.json()) as { agents: Record<string, unknown>; version: string };
    expect(Object.keys(info.agents)).toEqual(["default"]);
  });

  it("refuses requests without a token the API signed", async () => {
    for (const token of [
      undefined,
      await tokenFor(TENANT, "user_1", "another-secret-that-the-api-does-not-hold"),
    ]) {
      const response = await copilot("/info", {}, token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe("unauthenticated");
    }
  });

  it("reads GET /kpis for the token's tenant through the model's tool call", async () => {
    const events = await run("How busy were we this month? Use get_kpis.");
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("RUN_STARTED");
    expect(types.at(-1)).toBe("RUN_FINISHED");

    const start = events.find((event) => event.type === "TOOL_CALL_START");
    expect(start).toMatchObject({ toolCallName: "get_kpis" });
    const result = events.find((event) => event.type === "TOOL_CALL_RESULT");
    expect(JSON.parse(String(result?.content))).toEqual(stubKpis(TENANT));

    const answer = events
      .filter((event) => event.type === "TEXT_MESSAGE_CONTENT")
      .map((event) => event.delta)
      .join("");
    expect(answer).toContain("get_kpis returned:");
    expect(answer).toContain(`ast_of_${TENANT}`);
  });

  it("searches the token's tenant's documents through the model's tool call", async () => {
    const events = await run("search_documents: tides");
    expect(events.find((event) => event.type === "TOOL_CALL_START")).toMatchObject({
      toolCallName: "search_documents",
    });
    const result = events.find((event) => event.type === "TOOL_CALL_RESULT");
    expect(JSON.parse(String(result?.content))).toEqual({
      results: [{ filename: `${TENANT}.md`, text: "About search_documents: tides", score: 1 }],
    });
  });

  it("says a model is needed when none is configured", async () => {
    const app = createCopilotApp({ ...copilotEnv, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
    const response = await app.fetch(
      new Request("http://ancre.test/api/copilotkit/info", {
        headers: { authorization: `Bearer ${await tokenFor(TENANT)}` },
      }),
      copilotEnv,
    );
    expect(response.status).toBe(503);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe("not_configured");
    expect(problem.detail).toMatch(/^A model is needed/);
  });
});
