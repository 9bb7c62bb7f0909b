// One queue message of Ancre's ingestion in a process of its own, so that its peak resident memory
// is the message's (plus Node's own baseline, reported beside it). Bundled by esbuild and run by
// bench/ingestion.node.bench.test.ts: node ingestion-message.mjs <format> <file> <batch>
import { readFileSync } from "node:fs";
import type { DocumentFormat } from "../src/storage/schema";
import { runMessage } from "./ingestion-pipeline";

const [format, file, batch] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file!));
const message = await runMessage(format as DocumentFormat, bytes, Number(batch));
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ...message, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
