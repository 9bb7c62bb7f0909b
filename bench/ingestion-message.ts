// One queue message of Ancre's ingestion in a process of its own, so that its peak memory is the
// message's. Bundled by esbuild and run by bench/ingestion.node.bench.test.ts with --expose-gc and
// --trace-gc: node ingestion-message.mjs <format> <file> <first page>. Besides the process's peak RSS it
// reports what an isolate counts: the JS heap (its peak is read by the parent from the GC trace,
// printed after MESSAGE_START) plus array buffers (sampled), above the idle heap and buffers
// measured after a full GC once the modules are loaded and the file read.
import { readFileSync } from "node:fs";
import type { DocumentFormat } from "../src/storage/schema";
import { runMessage } from "./ingestion-pipeline";

const MB = 1024 * 1024;
const [format, file, firstPage] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file!));
(globalThis as { gc?: () => void }).gc?.();
const idle = process.memoryUsage();
let peakArrayBuffers = idle.arrayBuffers;
const sampler = setInterval(() => {
  peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
}, 1);
console.log("MESSAGE_START");
// A process of its own per message: nothing is left open by a previous one. The message starts
// where the previous one ended (a batch may end early: PDF pages by their work, slides by their XML).
const { open, ...message } = await runMessage(format as DocumentFormat, bytes, Number(firstPage));
clearInterval(sampler);
await open?.close();
const end = process.memoryUsage();
peakArrayBuffers = Math.max(peakArrayBuffers, end.arrayBuffers);
// maxRSS is in kilobytes.
console.log(
  JSON.stringify({
    ...message,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    idleHeapMb: idle.heapUsed / MB,
    idleArrayBuffersMb: idle.arrayBuffers / MB,
    endHeapMb: end.heapUsed / MB,
    peakArrayBuffersMb: peakArrayBuffers / MB,
  }),
);
