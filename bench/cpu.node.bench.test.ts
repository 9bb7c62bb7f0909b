// CPU time per unit of work, what the Workers bill counts: a search, a streamed chat turn and an
// ingestion message (an uploaded text file's one batch), a small document of eight uploaded at once
// (SciFact abstracts, delivered together), each repeated, against `wrangler dev`
// without the latency model, with the Chat Completions fake's `fake-instant` model. The Worker,
// its objects and its queue consumer share one isolate locally, so one CPU profile taken through
// workerd's DevTools inspector while a path runs holds everything that path costs; the figure is
// its non-idle samples divided by the repetitions, and where they went (by package or source
// folder). Run: npm run bench -- cpu
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../test/browser/dev-server";
import { startOpenAiChatFake } from "../test/fakes/openai-chat";
import { sharedPath } from "../test/shared-data";
import { writeBenchResult } from "./results";

const REPEAT = 10;
/** CPU_RESULT=<name> writes the figures to cpu-<name>.json; CPU_PROFILES=<dir> keeps each path's raw profile. */
const RESULT = process.env.CPU_RESULT ? `cpu-${process.env.CPU_RESULT}` : "cpu";
const PROFILES = process.env.CPU_PROFILES;
/** CPU_PATHS=chatTurn,search profiles only the paths named (keys of `paths` below). */
const ONLY = process.env.CPU_PATHS?.split(",");
/**
 * CPU_ALLOCATIONS=1 (with CPU_PROFILES) also keeps a sampling heap profile of each path, its
 * collected objects included (`<path>.heapprofile`): where the garbage collector's work comes from.
 * The sampling costs CPU of its own: its figures are not comparable with a run without it.
 */
const ALLOCATIONS = PROFILES !== undefined && process.env.CPU_ALLOCATIONS === "1";
/** Small documents uploaded at once in the smallDocument path (its figures are per document). */
const SMALL_AT_ONCE = 8;
const scifactFile = sharedPath("bench/beir-scifact/corpus-000.jsonl");
const QUESTION = "Where do Norwich City play their home games?";
const corpusFile = sharedPath("corpus/txt/norwich-city.txt");

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** A DevTools protocol session with the Worker's isolate. */
async function inspect(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title?: string;
  }[];
  const target = targets.find((t) => !/copilot/.test(t.title ?? "")) ?? targets[0]!;
  // The inspector proxy accepts local DevTools only: Node's WebSocket (undici) takes the header.
  const socket = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "http://127.0.0.1" },
  } as unknown as string[]);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  return {
    async profile(work: () => Promise<void>): Promise<{ profile: CpuProfile; allocations?: unknown }> {
      if (ALLOCATIONS)
        await send("HeapProfiler.startSampling", {
          samplingInterval: 1024,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      await send("Profiler.start");
      await work();
      const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
      if (!ALLOCATIONS) return { profile };
      const { profile: allocations } = (await send("HeapProfiler.stopSampling")) as { profile: unknown };
      return { profile, allocations };
    },
    close: () => socket.close(),
  };
}

function moduleOf(url: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src\/[^/]+(?:\/[^/.]+)?)/.exec(url);
  if (src) return src[1]!;
  return url ? url.split("/").slice(-1)[0]! : functionName;
}

/** Non-idle milliseconds of a profile, in all, by module and by function (self time). */
function cpuOf(profile: CpuProfile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  // The sampler ticks at a fixed interval while the thread runs; on a shared machine a descheduled
  // thread shows as one long gap, which is wall time, not CPU: each sample counts one interval.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = deltas[Math.floor(deltas.length / 2)] ?? 0;
  const byModule: Record<string, number> = {};
  const byFunction: Record<string, number> = {};
  let micros = 0;
  for (const id of profile.samples) {
    const frame = nodes.get(id);
    if (!frame || frame.functionName === "(idle)") continue;
    micros += interval;
    const module = moduleOf(frame.url, frame.functionName);
    byModule[module] = (byModule[module] ?? 0) + interval / 1000;
    const fn = `${frame.functionName || "(anonymous)"} (${module})`;
    byFunction[fn] = (byFunction[fn] ?? 0) + interval / 1000;
  }
  return { ms: micros / 1000, byModule, byFunction };
}

let server: DevServer | undefined;
let closeFake: (() => Promise<void>) | undefined;

afterAll(async () => {
  await server?.stop();
  await closeFake?.();
});

it("CPU per search, per streamed chat turn and per ingestion message, and where it goes", async () => {
  const fake = await startOpenAiChatFake();
  closeFake = () => fake.server.close();
  server = await startDevServer({
    vars: {
      LLM_PROVIDER: "openai",
      LLM_MODEL: "fake-instant",
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: "sk-bench",
      EMBEDDER: "local",
      // The status polls of the uploads' paths are not what is measured.
      MAX_REQUESTS_PER_MINUTE_PER_KEY: "1000000",
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
  const tenant = await json("tenants", { name: "CPU bench" }, {});
  const bypass = { "x-tenant-id": tenant.id };
  const collection = await json("collections", { name: "Football" }, bypass);
  const key = (await json("api-keys", { name: "bench", role: "admin" }, bypass)).key!;
  const auth = { authorization: `Bearer ${key}` };
  // Each upload's text is its own (a line numbers it): identical content would be a duplicate,
  // answered with the existing document and never ingested.
  let uploads = 0;
  const upload = async (text: string, into: { id: string }, headers: Record<string, string>) => {
    const form = new FormData();
    form.set("file", new File([`${text}\n\nUpload ${++uploads}.\n`], "bench.txt", { type: "text/plain" }));
    const response = await fetch(`${base}/documents/upload/${into.id}`, {
      method: "POST",
      headers,
      body: form,
    });
    if (response.status !== 202) throw new Error(`upload: ${response.status} ${await response.text()}`);
    const document = (await response.json()) as { id: string };
    for (let status = ""; status !== "ready"; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (
        (await (await fetch(`${base}/documents/${document.id}`, { headers })).json()) as {
          status: string;
        }
      ).status;
      if (status === "failed") throw new Error("the bench document failed to ingest");
    }
  };
  const ingestOne = () => upload(readFileSync(corpusFile, "utf8"), collection, auth);
  await ingestOne();
  // Small documents 8 at a time (SciFact abstracts), in a tenant of their own (a plan's 100 documents).
  const smallTenant = await json("tenants", { name: "CPU bench, small documents" }, {});
  const smallCollection = await json("collections", { name: "SciFact" }, { "x-tenant-id": smallTenant.id });
  const smallAuth = {
    authorization: `Bearer ${(await json("api-keys", { name: "bench", role: "admin" }, { "x-tenant-id": smallTenant.id })).key!}`,
  };
  const abstracts = readFileSync(scifactFile, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { title: string; text: string })
    .filter((doc) => doc.text.length > 200)
    .map((doc) => `${doc.title}\n\n${doc.text}`);
  let nextAbstract = 0;
  const ingestEight = async () => {
    const texts = abstracts.slice(nextAbstract, nextAbstract + SMALL_AT_ONCE);
    nextAbstract += SMALL_AT_ONCE;
    await Promise.all(texts.map((text) => upload(text, smallCollection, smallAuth)));
  };
  const assistant = await json(
    "assistants",
    { name: "Bench", system_prompt: "Answer from the documents.", collection_ids: [collection.id] },
    auth,
  );
  const post = (path: string, body: unknown) =>
    fetch(`${base}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify(body),
    });
  const paths: Record<string, () => Promise<void>> = {
    search: async () => void (await (await post("search", { query: QUESTION, top_k: 5 })).arrayBuffer()),
    // The whole turn: the stream is read to its end, so the answer's writes are in the profile.
    chatTurn: async () =>
      void (await (await post(`chat/${assistant.id}/stream`, { message: QUESTION })).arrayBuffer()),
    // Upload, one queue message (a text file is one batch) and the status polls.
    ingestionMessage: ingestOne,
    // Eight small documents uploaded at once, their messages delivered together; divided by eight below.
    smallDocument: ingestEight,
  };
  const documentsPerRun: Record<string, number> = { smallDocument: SMALL_AT_ONCE };
  const inspector = await inspect(server.inspectorPort);
  const figures: Record<
    string,
    {
      cpuMsPer: number;
      topModules: { module: string; ms: number }[];
      topFunctions: { fn: string; ms: number }[];
    }
  > = {};
  let perRunOf = 1;
  const perRun = (total: number) => Math.round((total / REPEAT / perRunOf) * 10) / 10;
  try {
    for (const [name, run] of Object.entries(paths)) {
      if (ONLY && !ONLY.includes(name)) continue;
      perRunOf = documentsPerRun[name] ?? 1;
      await run();
      const { profile, allocations } = await inspector.profile(async () => {
        for (let i = 0; i < REPEAT; i++) await run();
        // What the last one left running (usage writes after the stream) finishes.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      });
      if (PROFILES) {
        mkdirSync(PROFILES, { recursive: true });
        writeFileSync(`${PROFILES}/${name}.cpuprofile`, JSON.stringify(profile));
        if (allocations) writeFileSync(`${PROFILES}/${name}.heapprofile`, JSON.stringify(allocations));
      }
      const { ms, byModule, byFunction } = cpuOf(profile);
      const topModules = Object.entries(byModule)
        .map(([module, total]) => ({ module, ms: perRun(total) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10);
      const topFunctions = Object.entries(byFunction)
        .map(([fn, total]) => ({ fn, ms: perRun(total) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10);
      figures[name] = { cpuMsPer: perRun(ms), topModules, topFunctions };
      console.log(`${name.padEnd(17)} ${figures[name].cpuMsPer} ms of CPU each (${REPEAT} runs)`);
      for (const { module, ms: moduleMs } of topModules) console.log(`  ${module.padEnd(40)} ${moduleMs} ms`);
      console.log("  top functions (self time):");
      for (const { fn, ms: fnMs } of topFunctions) console.log(`    ${fn.padEnd(60)} ${fnMs} ms`);
    }
  } finally {
    inspector.close();
  }
  writeBenchResult(RESULT, {
    method: `wrangler dev, one DevTools CPU profile over ${REPEAT} sequential runs of each path, non-idle samples / runs`,
    repeat: REPEAT,
    paths: figures,
  });
  expect(Object.keys(figures)).toHaveLength(ONLY?.length ?? 4);
});
