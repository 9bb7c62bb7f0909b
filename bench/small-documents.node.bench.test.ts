// Many small documents through the upload API: SciFact abstracts uploaded as text files to the real
// Worker under `wrangler dev` (its routes, queue consumer, D1, R2, search shards and vector index,
// the local embedder), 8 and 32 uploads in flight, timed from the first upload until every
// document is `ready`. A free tenant holds 100 documents: each run spreads its uploads over
// tenants of 96. workerd's CPU per document (every isolate and the local D1, R2 and queue
// simulators: user and system time of the server's workerd processes, from /proc) is printed
// beside the rate. Run: npm run bench -- small-documents (SMALL_DOCS_RESULT=<name> writes
// small-documents-<name>.json).
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../test/browser/dev-server";
import { sharedPath } from "../test/shared-data";
import { writeBenchResult } from "./results";

const scifact = sharedPath("bench/beir-scifact/corpus-000.jsonl");
const PER_TENANT = 96;
const TENANTS_PER_RUN = 2;
const IN_FLIGHT = [8, 32] as const;
const RESULT = process.env.SMALL_DOCS_RESULT
  ? `small-documents-${process.env.SMALL_DOCS_RESULT}`
  : "small-documents";

/** User and system CPU, in ms, of the workerd processes in a process group (Linux /proc; 0 elsewhere). */
function workerdCpuMs(processGroup: number): number {
  let ticks = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the name: state, ppid, pgrp, …, utime (14th field of the line) and stime (15th).
      if (comm === "workerd" && Number(fields[2]) === processGroup)
        ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended.
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux.
}

let server: DevServer | undefined;
afterAll(() => server?.stop());

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function run(
  { url, processGroup }: DevServer,
  inFlight: number,
  abstracts: { id: string; text: string }[],
) {
  const api = (path: string, init: RequestInit = {}, tenantId?: string) =>
    fetch(`${url}/api/v1/${path}`, {
      ...init,
      headers: { ...(tenantId ? { "x-tenant-id": tenantId } : {}), ...(init.headers ?? {}) },
    });
  const tenants = await Promise.all(
    Array.from({ length: TENANTS_PER_RUN }, async (_, i) => {
      const headers = { "content-type": "application/json" };
      const tenant = await json<{ id: string }>(
        await api("tenants", {
          method: "POST",
          headers,
          body: JSON.stringify({ name: `Small ${inFlight}/${i}` }),
        }),
        201,
      );
      const collection = await json<{ id: string }>(
        await api(
          "collections",
          { method: "POST", headers, body: JSON.stringify({ name: "SciFact" }) },
          tenant.id,
        ),
        201,
      );
      return { tenantId: tenant.id, collectionId: collection.id };
    }),
  );
  const start = performance.now();
  const cpuAtStart = workerdCpuMs(processGroup);
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < abstracts.length; i = next++) {
        const { tenantId, collectionId } = tenants[Math.floor(i / PER_TENANT)]!;
        const form = new FormData();
        form.append(
          "file",
          new File([abstracts[i]!.text], `${abstracts[i]!.id}.txt`, { type: "text/plain" }),
        );
        await json(
          await api(`documents/upload/${collectionId}`, { method: "POST", body: form }, tenantId),
          202,
        );
      }
    }),
  );
  const uploadedMs = performance.now() - start;
  for (;;) {
    let done = 0;
    let failed = 0;
    for (const { tenantId } of tenants) {
      const page = await json<{ data: { status: string }[] }>(
        await api("documents?limit=100", {}, tenantId),
        200,
      );
      done += page.data.filter((d) => d.status === "ready" || d.status === "failed").length;
      failed += page.data.filter((d) => d.status === "failed").length;
    }
    if (done === abstracts.length) {
      const ms = performance.now() - start;
      const cpuMs = workerdCpuMs(processGroup) - cpuAtStart;
      const figures = {
        inFlight,
        documents: abstracts.length,
        failed,
        uploadedSeconds: Math.round(uploadedMs) / 1000,
        readySeconds: Math.round(ms) / 1000,
        documentsPerSecond: Math.round((abstracts.length / (ms / 1000)) * 10) / 10,
        workerdCpuMsPerDocument: Math.round((cpuMs / abstracts.length) * 10) / 10,
      };
      console.log(
        `${inFlight} uploads in flight: ${abstracts.length} abstracts uploaded in ${figures.uploadedSeconds} s, ` +
          `all ready in ${figures.readySeconds} s: ${figures.documentsPerSecond} documents/s, ` +
          `workerd ${figures.workerdCpuMsPerDocument} ms CPU a document (${failed} failed)`,
      );
      return figures;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("documents per second through the upload API, 8 and 32 uploads in flight", async () => {
  // The per-minute request limit is lifted: the uploads are what is measured, not the limiter.
  server = await startDevServer({ vars: { EMBEDDER: "local", MAX_REQUESTS_PER_MINUTE_PER_KEY: "1000000" } });
  const documents = readFileSync(scifact, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { _id: string; title: string; text: string })
    .filter((doc) => doc.text.length > 200);
  const runs = [];
  for (const [r, inFlight] of IN_FLIGHT.entries()) {
    const count = PER_TENANT * TENANTS_PER_RUN;
    const abstracts = documents
      .slice(r * count, (r + 1) * count)
      .map((doc) => ({ id: doc._id, text: `${doc.title}\n\n${doc.text}` }));
    runs.push(await run(server, inFlight, abstracts));
  }
  writeBenchResult(RESULT, {
    pipeline: "POST /documents/upload (text/plain) → queue → ready, wrangler dev, local embedder",
    runs,
  });
  expect(runs.every((r) => r.failed === 0)).toBe(true);
});
