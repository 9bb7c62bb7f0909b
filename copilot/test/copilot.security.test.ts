import { beforeAll, describe, expect, it } from "vitest";
import { copilot, eventsOf, readUntil, runInput, startRun, tokenFor } from "./copilot-client";

// Two tenants share the copilot Worker's isolate, as they do in production: V runs the agent, O
// (another tenant, or another user of V's tenant) tries every route of CopilotKit's runtime on
// V's thread.
const VICTIM = "ten_copilot_victim";
const OTHER = "ten_copilot_other";
// Long enough for the model fake to stream its answer in several pieces, 40 ms apart.
const SEARCH =
  "search_documents: tides of the northern bay during the equinox, with the harbour's charts and warnings";

/** Every route CopilotKit 1.75's runtime serves besides info, run and stop, on `threadId`. */
const refusedRoutes = (threadId: string): [string, string, unknown?][] => [
  ["GET", "/threads?agentId=default"],
  ["GET", "/threads"],
  ["GET", `/threads/${threadId}/messages`],
  ["GET", `/threads/${threadId}/events`],
  ["GET", `/threads/${threadId}/state`],
  ["POST", "/agent/default/connect", runInput("", threadId)],
  ["POST", "/threads/clear", {}],
  ["POST", "/threads/subscribe", {}],
  ["PATCH", `/threads/${threadId}`, { agentId: "default", name: "mine now" }],
  ["DELETE", `/threads/${threadId}`, { agentId: "default" }],
  ["POST", `/threads/${threadId}/archive`, { agentId: "default" }],
  ["POST", "/agent/default/suggest", runInput("", threadId)],
  ["POST", "/transcribe", {}],
  ["GET", "/inspector-metadata"],
  ["GET", "/inspector-learning"],
  ["GET", "/cpk-debug-events"],
  ["GET", "/memories"],
  ["POST", "/memories/recall", {}],
  ["POST", "/annotate", {}],
  // The runtime matches a route by its last segments, whatever comes before them.
  ["GET", `/anything/threads/${threadId}/messages`],
  ["GET", "/agent/default/run/info"],
  // Its single-route envelope, on the base path.
  ["POST", "", { method: "resource/request", params: { path: "/threads", httpMethod: "GET" } }],
  ["POST", "", { method: "info" }],
];

const send = (token: string, [method, path, body]: [string, string, unknown?]) =>
  copilot(
    path,
    body === undefined
      ? { method }
      : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    token,
  );

const stop = (token: string, threadId: string) =>
  copilot(`/agent/default/stop/${threadId}`, { method: "POST" }, token);

describe("the copilot Worker, between tenants", () => {
  beforeAll(async () => {
    await copilot("/info", {}, await tokenFor(VICTIM));
  }, 180_000);

  it("answers only info, run and stop: no route of the runtime reads, replays or clears a thread", async () => {
    const victim = await tokenFor(VICTIM);
    const threadId = `thread_${crypto.randomUUID()}`;
    const run = await startRun(victim, "How busy were we this month? Use get_kpis.", threadId);
    expect(await eventsOf(run)).toContainEqual(expect.objectContaining({ type: "TOOL_CALL_RESULT" }));

    for (const token of [await tokenFor(OTHER, "user_other"), await tokenFor(VICTIM, "user_2"), victim]) {
      for (const route of refusedRoutes(threadId)) {
        const response = await send(token, route);
        const text = await response.text();
        expect(response.status, `${route[0]} ${route[1]} → ${text}`).toBe(404);
        expect(JSON.parse(text)).toMatchObject({ code: "route_not_found" });
        // Nothing of V's run: not its tool call, not its tenant's figures.
        expect(text).not.toContain("get_kpis");
        expect(text).not.toContain(VICTIM);
      }
    }
  });

  it("lets neither another tenant nor another user stop a run, which its own user can stop", async () => {
    const victim = await tokenFor(VICTIM);
    const threadId = `thread_${crypto.randomUUID()}`;
    const running = await readUntil(
      await startRun(victim, SEARCH, threadId),
      (event) => event.type === "TEXT_MESSAGE_CONTENT",
    );
    for (const token of [await tokenFor(OTHER, "user_other"), await tokenFor(VICTIM, "user_2")]) {
      const response = await stop(token, threadId);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ stopped: false });
    }
    const events = [...running.seen, ...(await running.rest())];
    expect(events.at(-1)?.type).toBe("RUN_FINISHED");
    const answer = events
      .filter((event) => event.type === "TEXT_MESSAGE_CONTENT")
      .map((event) => event.delta)
      .join("");
    expect(answer).toContain("harbour's charts and warnings");

    const next = await readUntil(
      await startRun(victim, SEARCH, threadId),
      (event) => event.type === "TEXT_MESSAGE_CONTENT",
    );
    const stopped = await stop(victim, threadId);
    expect(await stopped.json()).toMatchObject({ stopped: true });
    const cut = [...next.seen, ...(await next.rest())]
      .filter((event) => event.type === "TEXT_MESSAGE_CONTENT")
      .map((event) => event.delta)
      .join("");
    expect(cut).not.toContain("harbour's charts and warnings");
  });

  it("keeps each user's threads apart: another tenant's run on the same thread id neither waits for nor joins it", async () => {
    const threadId = `thread_${crypto.randomUUID()}`;
    const running = await readUntil(
      await startRun(await tokenFor(VICTIM), SEARCH, threadId),
      (event) => event.type === "TEXT_MESSAGE_CONTENT",
    );
    const other = await eventsOf(await startRun(await tokenFor(OTHER, "user_other"), "Hello", threadId));
    expect(other.map((event) => event.type)).toEqual(expect.arrayContaining(["RUN_STARTED", "RUN_FINISHED"]));
    expect(other.map((event) => event.type)).not.toContain("RUN_ERROR");
    expect(JSON.stringify(other)).not.toContain(VICTIM);
    expect((await running.rest()).at(-1)?.type).toBe("RUN_FINISHED");
  });
});
