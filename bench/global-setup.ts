import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startStaticServer } from "../test/fakes/static-files";
import "./provided-context";
import { readBenchRecording, writeBenchRecording, writeBenchResult } from "./results";
import { ANSWERS_RECORDING, loadQaSample } from "./squad-sample";

/** Receives `POST /<name>` with a benchmark's figures from workerd and writes them (see record.ts). */
async function startResultsReceiver() {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      try {
        const path = decodeURIComponent(request.url?.slice(1) ?? "");
        if (path.startsWith("recorded/"))
          writeBenchRecording(path.slice("recorded/".length), JSON.parse(body));
        else writeBenchResult(path, JSON.parse(body));
        response.writeHead(204).end();
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/**
 * Serves `../shared/bench` read-only to the benchmarks (workerd has no filesystem), hands them
 * the question-answering sample derived from SQuAD 2.0, and writes the figures they record.
 */
export default async function setup(project: TestProject) {
  const data = await startStaticServer(fileURLToPath(new URL("../../shared/bench", import.meta.url)));
  project.provide("benchDataUrl", data.url);
  project.provide("qaSample", loadQaSample());
  project.provide("answersRecording", readBenchRecording(ANSWERS_RECORDING) ?? null);
  const results = await startResultsReceiver();
  project.provide("benchResultsUrl", results.url);
  return () => {
    results.close();
    return data.close();
  };
}
