// Latency under load against `wrangler dev` (embedded defaults, local embedder), with answers from
// the Chat Completions fake's "fake-instant" model, which streams without pauses: what is measured
// is Ancre (routing, auth, quota object, search shard, conversation object, SSE), not a model.
// Clients are bounded loops on 127.0.0.1 at 1, 10 and 50 concurrent clients; `GET /api/v1/health`
// on the same server is the floor. Run: npm run bench -- latency
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../test/browser/dev-server";
import { startOpenAiChatFake } from "../test/fakes/openai-chat";
import { sharedPath } from "../test/shared-data";
import { writeBenchResult } from "./results";

/** Client counts (LATENCY_CLIENTS=1,10 for some); a subset's figures go to latency-<LATENCY_RESULT>.json. */
const CONCURRENCY = process.env.LATENCY_CLIENTS?.split(",").map(Number) ?? [1, 10, 50];
/** Requests per level: enough for a stable p99 at 10 and 50 clients, bounded in time. */
const REQUESTS_PER_LEVEL = 200;
const QUESTION = "Where do Norwich City play their home games?";
const corpusFile = sharedPath("corpus/txt/norwich-city.txt");

interface Sample {
  ms: number;
  ok: boolean;
}

interface Figures {
  requests: number;
  errors: number;
  throughputPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function summarise(samples: Sample[], wallMs: number): Figures {
  const sorted = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    throughputPerSecond: Math.round((samples.length / wallMs) * 1000),
    p50Ms: Math.round(percentile(sorted, 0.5)),
    p95Ms: Math.round(percentile(sorted, 0.95)),
    p99Ms: Math.round(percentile(sorted, 0.99)),
  };
}

/** Runs `clients` loops that share REQUESTS_PER_LEVEL calls of `call`, each timed. */
async function load(clients: number, call: () => Promise<Sample>): Promise<Figures> {
  let remaining = Math.max(REQUESTS_PER_LEVEL, clients);
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (remaining > 0) {
        remaining--;
        samples.push(await call());
      }
    }),
  );
  return summarise(samples, performance.now() - started);
}

async function timed(request: () => Promise<Response>, until?: (response: Response) => Promise<boolean>) {
  const start = performance.now();
  try {
    const response = await request();
    if (!until) await response.arrayBuffer();
    const ok = response.ok && (until ? await until(response) : true);
    return { ms: performance.now() - start, ok };
  } catch {
    return { ms: performance.now() - start, ok: false };
  }
}

/** Reads an SSE body until its first `delta` event; the rest is drained in the background. */
async function firstDelta(response: Response): Promise<boolean> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    buffered += decoder.decode(value, { stream: true });
    if (/^event: delta$/m.test(buffered)) {
      // The rest of the answer is drained in the background; a server stopped meanwhile ends it.
      void (async () => {
        while (!(await reader.read()).done) {}
      })().catch(() => {});
      return true;
    }
    if (/^event: error$/m.test(buffered)) return false;
  }
}

let server: DevServer;
let closeFake: () => Promise<void>;
let api: (path: string, init?: RequestInit) => Promise<Response>;
let assistantId: string;

beforeAll(async () => {
  const fake = await startOpenAiChatFake();
  closeFake = () => fake.server.close();
  server = await startDevServer({
    vars: {
      LLM_PROVIDER: "openai",
      LLM_MODEL: "fake-instant",
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: "sk-bench",
      EMBEDDER: "local",
      MAX_CHAT_MESSAGES_PER_MONTH: "10000000",
      MAX_LLM_TOKENS_PER_MONTH: "2000000000",
      // The plan's per-minute request rate would turn most of the load into 429s.
      MAX_REQUESTS_PER_MINUTE_PER_KEY: "10000000",
    },
  });
  const json = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}/api/v1/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  console.log(`wrangler dev ready at ${server.url}`);
  const tenant = await json("tenants", { name: "Latency bench" });
  const headers = { "x-tenant-id": tenant.id };
  api = (path, init = {}) =>
    fetch(`${server.url}/api/v1/${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  const collection = await json("collections", { name: "Football" }, headers);
  const form = new FormData();
  form.set("file", new File([readFileSync(corpusFile)], "norwich-city.txt", { type: "text/plain" }));
  const uploaded = await api(`documents/upload/${collection.id}`, { method: "POST", body: form });
  const document = (await uploaded.json()) as { id: string };
  for (let status = ""; status !== "ready"; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = (await (await api(`documents/${document.id}`)).json()) as {
      status: string;
      error?: string;
    };
    status = current.status;
    if (status === "failed") throw new Error(`the bench document failed to ingest: ${current.error}`);
  }
  console.log("bench document ingested");
  const assistant = await json(
    "assistants",
    { name: "Bench", system_prompt: "Answer from the documents.", collection_ids: [collection.id] },
    headers,
  );
  assistantId = assistant.id;
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await closeFake?.();
});

it("chat, first streamed delta and search under 1, 10 and 50 clients, beside the health floor", async () => {
  const post = (path: string, body: unknown) => () =>
    api(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const endpoints = {
    health: () => timed(() => fetch(`${server.url}/api/v1/health`)),
    chat: () => timed(post(`chat/${assistantId}`, { message: QUESTION })),
    streamFirstDelta: () => timed(post(`chat/${assistantId}/stream`, { message: QUESTION }), firstDelta),
    search: () => timed(post("search", { query: QUESTION, top_k: 5 })),
  };
  // One warm-up of each, so the first level does not pay for module loading and object creation.
  for (const call of Object.values(endpoints)) await call();

  const levels: Record<string, Record<string, Figures>> = {};
  for (const clients of CONCURRENCY) {
    const level: Record<string, Figures> = {};
    for (const [name, call] of Object.entries(endpoints)) {
      level[name] = await load(clients, call);
      const f = level[name];
      console.log(
        `${String(clients).padStart(2)} clients  ${name.padEnd(16)} p50 ${f.p50Ms} ms  p95 ${f.p95Ms} ms  ` +
          `p99 ${f.p99Ms} ms  ${f.throughputPerSecond} req/s  errors ${f.errors}/${f.requests}`,
      );
    }
    levels[clients] = level;
  }
  const aboveFloor = (clients: number, name: string) =>
    levels[clients]![name]!.p50Ms - levels[clients]!.health!.p50Ms;
  const shown = CONCURRENCY.includes(10) ? 10 : CONCURRENCY[0]!;
  console.log(
    `at ${shown} clients: chat p50 ${aboveFloor(shown, "chat")} ms above the floor (target < 30), ` +
      `first delta p50 ${aboveFloor(shown, "streamFirstDelta")} ms above the floor (target < 30)`,
  );
  writeBenchResult(process.env.LATENCY_RESULT ? `latency-${process.env.LATENCY_RESULT}` : "latency", {
    server: "wrangler dev (local bindings), embedded vector index, local embedder, fake-instant model",
    requestsPerLevel: REQUESTS_PER_LEVEL,
    levels,
    targets: {
      chatP50AboveFloorAt10: levels[10] ? aboveFloor(10, "chat") : null,
      firstDeltaP50AboveFloorAt10: levels[10] ? aboveFloor(10, "streamFirstDelta") : null,
      errorsAt50: levels[50] ? Object.values(levels[50]).reduce((sum, f) => sum + f.errors, 0) : null,
    },
  });
  // Not a timing assertion: every level must have answered at all.
  expect(levels[1]!.chat!.errors).toBe(0);
});
