// The request paths of API clients around the world, under the latency model: for each profile
// (src/lib/latency-model/profiles.ts) a `wrangler dev` runs the real Worker with LATENCY_PROFILE
// set, so that every binding call production code awaits pays its round trip, and a Chat
// Completions fake answers at once (`fake-instant`); a Clerk JWKS fake verifies a signed-in user's token. Each path is driven one request at a time
// (a warm-up, then RUNS timed runs): the time to the first byte and to the first token (the first
// `delta` of a stream; the whole body otherwise), and the round trips each binding made in sequence
// before each, counted from the model's `ancre-latency` log lines (docs/performance.md says how).
// Ancre's own time is each figure less the model's calls on its critical path (the Chat
// Completions fake's modelled round trips and answer, from the same log lines). A widget visitor's
// session (minted when the widget loads) and stream (what a visitor waits for after pressing
// send) are measured apart as well as one after the other.
// Run: npm run bench -- global [-- profiles via GLOBAL_PROFILES=tokyo,sydney, paths via
// GLOBAL_PATHS=streamNew,openaiStream; a subset's figures go to global-<GLOBAL_RESULT>.json;
// GLOBAL_RUNS=9 times each path 9 times; GLOBAL_TRACE=1 prints each path's typical run, call by call]
import { readFileSync } from "node:fs";
import { importJWK, type JWK, SignJWT } from "jose";
import { afterAll, expect, it } from "vitest";
import { type ModelledCall, parseModelledCall } from "../src/lib/latency-model/log-line";
import { LATENCY_PROFILE_NAMES, type LatencyProfileName } from "../src/lib/latency-model/profiles";
import { type DevServer, startDevServer } from "../test/browser/dev-server";
import { startClerkFake } from "../test/fakes/clerk-jwks";
import { startOpenAiChatFake } from "../test/fakes/openai-chat";
import { sharedPath } from "../test/shared-data";
import { writeBenchResult } from "./results";

const RUNS = 3;
const QUESTION = "Where do Norwich City play their home games?";
const FOLLOW_UP = "And who is their manager?";
const corpusFile = sharedPath("corpus/txt/norwich-city.txt");
const PROFILES = (process.env.GLOBAL_PROFILES?.split(",") ?? LATENCY_PROFILE_NAMES).filter(
  (name): name is LatencyProfileName => (LATENCY_PROFILE_NAMES as string[]).includes(name),
);
/** The paths to drive (all when unset). */
const PATHS = process.env.GLOBAL_PATHS?.split(",");
/** Timed runs per path (RUNS when unset); more of them steady a comparison on a loaded machine. */
const TIMED_RUNS = Number(process.env.GLOBAL_RUNS) || RUNS;
/** Whether to print the typical run's calls, each from the request's start (GLOBAL_TRACE=1). */
const TRACE = process.env.GLOBAL_TRACE === "1";

/** A request's timeline on the client's clock (ms since the epoch, as the model's log lines). */
interface Timed {
  startMs: number;
  firstByteMs: number;
  firstTokenMs: number;
  /** A stream's end of answer (`done`, or Chat Completions' `[DONE]`); the body's end otherwise. */
  doneMs: number;
  ok: boolean;
}

interface PathFigures {
  firstByteMs: number;
  firstTokenMs: number;
  doneMs: number;
  /** Ancre's own time: the first byte and first token less the model's calls before each (median). */
  ownFirstByteMs: number;
  ownFirstTokenMs: number;
  /** Per binding: calls made, and round trips in sequence, before the first byte / first token. */
  beforeFirstByte: Record<string, { calls: number; sequential: number }>;
  beforeFirstToken: Record<string, { calls: number; sequential: number }>;
  errors: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Round trips of each binding made in sequence: its calls merged where they overlap in time (calls
 * in flight together cost one round trip), counted. A call nested in another binding's call (D1
 * written by an object before it answers) counts for its own binding.
 */
function sequentialByBinding(calls: ModelledCall[]) {
  const byBinding: Record<string, { calls: number; sequential: number }> = {};
  const groups = new Map<string, ModelledCall[]>();
  for (const call of calls) groups.set(call.binding, [...(groups.get(call.binding) ?? []), call]);
  for (const [binding, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    let sequential = 0;
    let end = Number.NEGATIVE_INFINITY;
    for (const call of sorted) {
      if (call.startMs >= end) sequential++;
      end = Math.max(end, call.endMs);
    }
    byBinding[binding] = { calls: list.length, sequential };
  }
  return byBinding;
}

/** How long `calls` kept the Worker waiting: their intervals merged where they overlap, summed. */
function waitedMs(calls: ModelledCall[]): number {
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.startMs - b.startMs)) {
    // Only the part of a call not already covered by an earlier one counts.
    total += Math.max(0, call.endMs - Math.max(call.startMs, end));
    end = Math.max(end, call.endMs);
  }
  return total;
}

/** Reads an SSE body to its end; returns when `isToken` and when `isDone` first matched what had arrived. */
async function readUntil(
  response: Response,
  isToken: (text: string) => boolean,
  isDone: (text: string) => boolean,
): Promise<{ tokenAt?: number; doneAt?: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const at: { tokenAt?: number; doneAt?: number } = {};
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return at;
    buffered += decoder.decode(value, { stream: true });
    if (at.tokenAt === undefined && isToken(buffered)) at.tokenAt = Date.now();
    if (at.doneAt === undefined && isDone(buffered)) at.doneAt = Date.now();
  }
}

interface StreamMarks {
  token: (text: string) => boolean;
  done: (text: string) => boolean;
}
const sse: StreamMarks = {
  token: (text) => /^event: delta$/m.test(text),
  done: (text) => /^event: done$/m.test(text),
};
const openAi: StreamMarks = {
  token: (text) => /"delta":\{[^}]*"content":"[^"]/.test(text),
  done: (text) => /^data: \[DONE\]$/m.test(text),
};

async function timed(request: () => Promise<Response>, stream?: StreamMarks): Promise<Timed> {
  const startMs = Date.now();
  const response = await request();
  const firstByteMs = Date.now();
  const marks = stream ? await readUntil(response, stream.token, stream.done) : {};
  if (!stream) await response.arrayBuffer();
  const endMs = Date.now();
  return {
    startMs,
    firstByteMs,
    firstTokenMs: marks.tokenAt ?? endMs,
    doneMs: marks.doneAt ?? endMs,
    ok: response.ok && (!stream || (marks.tokenAt !== undefined && marks.doneAt !== undefined)),
  };
}

let server: DevServer | undefined;
let closeFake: (() => Promise<void>) | undefined;

const CLERK_PARTY = "https://app.ancre.test";

/** A session token shaped like Clerk's (RS256; sub, azp, iss, exp), signed with the fake's served key. */
async function clerkSessionToken(key: JWK, issuer: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: "sess_bench", azp: CLERK_PARTY })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setSubject("user_bench")
    .setIssuer(issuer)
    .setIssuedAt(now - 5)
    .setNotBefore(now - 5)
    .setExpirationTime(now + 3600)
    .sign(await importJWK(key, "RS256"));
}

afterAll(async () => {
  await server?.stop();
  await closeFake?.();
});

async function benchProfile(profile: LatencyProfileName): Promise<Record<string, PathFigures>> {
  const calls: ModelledCall[] = [];
  let pending = "";
  let lastLogMs = Date.now();
  const fake = await startOpenAiChatFake();
  // The model's calls are the outbound fetches to the Chat Completions fake (the log names the host).
  const modelHost = new URL(fake.baseUrl).host;
  // The Clerk instance's JWKS, served locally: a signed-in user's chat verifies its token against it.
  const clerk = await startClerkFake();
  closeFake = async () => {
    await fake.server.close();
    await clerk.server.close();
  };
  server = await startDevServer({
    vars: {
      CLERK_JWKS_URL: clerk.fake.jwksUrl,
      CLERK_ISSUER: clerk.fake.issuer,
      CLERK_AUTHORIZED_PARTIES: CLERK_PARTY,
      LATENCY_PROFILE: profile,
      LLM_PROVIDER: "openai",
      LLM_MODEL: "fake-instant",
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: "sk-bench",
      EMBEDDER: "local",
    },
    onOutput: (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const call = parseModelledCall(line);
        if (call) {
          calls.push(call);
          lastLogMs = Date.now();
        }
      }
    },
  });
  const base = `${server.url}/api/v1`;
  const json = async (path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${base}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; key?: string };
  };
  // The tenant is created by a signed-in user, its owner, so that a Clerk-token chat path can run in it.
  const clerkAuth = {
    authorization: `Bearer ${await clerkSessionToken(clerk.fake.keys.served, clerk.fake.issuer)}`,
  };
  const tenant = await json("tenants", { name: `Global bench ${profile}` }, clerkAuth);
  const bypass = { "x-tenant-id": tenant.id };
  const collection = await json("collections", { name: "Football" }, bypass);
  const key = (await json("api-keys", { name: "bench", role: "admin" }, bypass)).key!;
  const auth = { authorization: `Bearer ${key}` };
  // Each upload's content is new (a line of its own at the end): identical content is answered with
  // the document already stored, which is not the path to measure.
  const upload = () => {
    const form = new FormData();
    const content = [readFileSync(corpusFile), `\nUpload ${crypto.randomUUID()}.\n`];
    form.set("file", new File(content, "norwich-city.txt", { type: "text/plain" }));
    return fetch(`${base}/documents/upload/${collection.id}`, { method: "POST", headers: auth, body: form });
  };
  const document = (await (await upload()).json()) as { id: string };
  for (let status = ""; status !== "ready"; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = (await (await fetch(`${base}/documents/${document.id}`, { headers: auth })).json()) as {
      status: string;
      error?: string;
    };
    status = current.status;
    if (status === "failed") throw new Error(`the bench document failed to ingest: ${current.error}`);
  }
  const assistant = await json(
    "assistants",
    { name: "Bench", system_prompt: "Answer from the documents.", collection_ids: [collection.id] },
    auth,
  );
  const post = (path: string, body: unknown) => () =>
    fetch(`${base}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify(body),
    });
  // The assistant's widget, published for one site: a visitor's page opens a session, then streams.
  const site = "https://www.customer.example";
  const widgetResponse = await fetch(`${base}/assistants/${assistant.id}/widget`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({ allowed_origins: [site] }),
  });
  if (!widgetResponse.ok) throw new Error(`widget: ${widgetResponse.status} ${await widgetResponse.text()}`);
  const widget = (await widgetResponse.json()) as { publishable_key: string };
  const widgetSession = () =>
    fetch(`${base}/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: site },
      body: JSON.stringify({ key: widget.publishable_key }),
    });
  const widgetStream = (token: string) => () =>
    fetch(`${base}/chat/${assistant.id}/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: site, authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: QUESTION }),
    });
  const widgetTurn = async () => {
    const { token } = (await (await widgetSession()).json()) as { token: string };
    return widgetStream(token)();
  };
  // The widget mints its session when it loads, before the visitor types (widget/index.ts): a
  // visitor pressing send waits for the stream alone, with a token in hand.
  const { token: visitorToken } = (await (await widgetSession()).json()) as { token: string };
  // A conversation to follow up on.
  const first = (await (await post(`chat/${assistant.id}`, { message: QUESTION })()).json()) as {
    conversation_id: string;
  };

  const paths: Record<string, () => Promise<Timed>> = {
    health: () => timed(() => fetch(`${base}/health`)),
    search: () => timed(post("search", { query: QUESTION, top_k: 5 })),
    chat: () => timed(post(`chat/${assistant.id}`, { message: QUESTION })),
    streamNew: () => timed(post(`chat/${assistant.id}/stream`, { message: QUESTION }), sse),
    streamFollowUp: () =>
      timed(
        post(`chat/${assistant.id}/stream`, { message: FOLLOW_UP, conversation_id: first.conversation_id }),
        sse,
      ),
    openaiStream: () =>
      timed(
        post("openai/chat/completions", {
          model: assistant.id,
          messages: [{ role: "user", content: QUESTION }],
          stream: true,
        }),
        openAi,
      ),
    clerkStreamNew: () =>
      timed(
        () =>
          fetch(`${base}/chat/${assistant.id}/stream`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-tenant-id": tenant.id, ...clerkAuth },
            body: JSON.stringify({ message: QUESTION }),
          }),
        sse,
      ),
    widgetSession: () => timed(widgetSession),
    widgetStream: () => timed(widgetStream(visitorToken), sse),
    // The first byte is the stream's: the session's round trip is inside it.
    widgetSessionStream: () => timed(widgetTurn, sse),
    uploadTo202: () => timed(upload),
    documentStatus: () => timed(() => fetch(`${base}/documents/${document.id}`, { headers: auth })),
  };

  /** Waits until the Worker, its objects and its queue have logged nothing for a while. */
  const quiet = async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() - lastLogMs < 750 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const figures: Record<string, PathFigures> = {};
  for (const [name, run] of Object.entries(paths).filter(([name]) => !PATHS || PATHS.includes(name))) {
    await run();
    await quiet();
    const runs: { timed: Timed; calls: ModelledCall[] }[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      const from = calls.length;
      const result = await run();
      await quiet();
      runs.push({
        timed: result,
        calls: calls.slice(from).filter((call) => call.startMs >= result.startMs - 1),
      });
    }
    // The run of median time to first token stands for the path.
    const byToken = [...runs].sort(
      (a, b) => a.timed.firstTokenMs - a.timed.startMs - (b.timed.firstTokenMs - b.timed.startMs),
    );
    const typical = byToken[Math.floor(byToken.length / 2)]!;
    // The Worker's own mark of its response, when the model logged it; the client's clock otherwise.
    // The last one: a widget turn's session answers first, then its stream (the path's first byte).
    const responded = typical.calls.filter((call) => call.binding === "response").at(-1)?.endMs;
    const modelledCalls = typical.calls.filter((call) => call.binding !== "response");
    const before = (cut: number) => sequentialByBinding(modelledCalls.filter((call) => call.endMs <= cut));
    /** A run's time to `cut` less the model's calls made before it. */
    const own = (run: (typeof runs)[number], cut: number) =>
      cut -
      run.timed.startMs -
      waitedMs(
        run.calls.filter((call) => call.binding === "fetch" && call.op === modelHost && call.endMs <= cut),
      );
    figures[name] = {
      firstByteMs: median(runs.map((r) => r.timed.firstByteMs - r.timed.startMs)),
      firstTokenMs: median(runs.map((r) => r.timed.firstTokenMs - r.timed.startMs)),
      ownFirstByteMs: median(runs.map((r) => own(r, r.timed.firstByteMs))),
      ownFirstTokenMs: median(runs.map((r) => own(r, r.timed.firstTokenMs))),
      doneMs: median(runs.map((r) => r.timed.doneMs - r.timed.startMs)),
      beforeFirstByte: before(responded ?? typical.timed.firstByteMs),
      beforeFirstToken: before(typical.timed.firstTokenMs),
      errors: runs.filter((r) => !r.timed.ok).length,
    };
    const f = figures[name];
    const trips = (counts: PathFigures["beforeFirstByte"]) =>
      Object.entries(counts)
        .map(([binding, c]) => `${binding} ${c.sequential}${c.calls > c.sequential ? `/${c.calls}` : ""}`)
        .join(", ") || "none";
    console.log(
      `${profile.padEnd(15)} ${name.padEnd(15)} first byte ${String(f.firstByteMs).padStart(5)} ms, ` +
        `first token ${String(f.firstTokenMs).padStart(5)} ms, done ${String(f.doneMs).padStart(5)} ms` +
        `${f.errors ? `, ${f.errors} errors` : ""}\n` +
        `${" ".repeat(32)}Ancre's own: first byte ${f.ownFirstByteMs} ms, first token ${f.ownFirstTokenMs} ms\n` +
        `${" ".repeat(32)}before first byte: ${trips(f.beforeFirstByte)}\n` +
        `${" ".repeat(32)}before first token: ${trips(f.beforeFirstToken)}`,
    );
    if (TRACE) {
      const from = typical.timed.startMs;
      const at = (ms: number) => String(ms - from).padStart(5);
      console.log(
        [
          `${" ".repeat(32)}typical run: first byte at ${at(typical.timed.firstByteMs)}, first token at ${at(typical.timed.firstTokenMs)}`,
          ...[...typical.calls]
            .sort((a, b) => a.startMs - b.startMs)
            .map(
              (call) =>
                `${" ".repeat(32)}${at(call.startMs)} → ${at(call.endMs)}  ${call.site.padEnd(12)} ${call.binding} ${call.op}`,
            ),
        ].join("\n"),
      );
    }
  }
  await server.stop();
  server = undefined;
  await closeFake();
  closeFake = undefined;
  return figures;
}

it("first byte, first token and sequential round trips per path under each latency profile", async () => {
  const results: Record<string, Record<string, PathFigures>> = {};
  for (const profile of PROFILES) results[profile] = await benchProfile(profile);
  writeBenchResult(process.env.GLOBAL_RESULT ? `global-${process.env.GLOBAL_RESULT}` : "global", {
    method:
      "wrangler dev with LATENCY_PROFILE; one request at a time, a warm-up then medians of 3; round trips counted from the model's log lines (binding sequential/calls); own: less the model's calls (outbound fetches to the Chat Completions fake, merged where they overlap) before the first byte / token",
    runs: TIMED_RUNS,
    profiles: results,
  });
  expect(Object.keys(results).length).toBeGreaterThan(0);
});
