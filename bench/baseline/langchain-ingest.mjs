// The common JavaScript baseline for one file: LangChain.js's loader for its format, then
// RecursiveCharacterTextSplitter at Ancre's chunk size (800 tokens ≈ 3,200 characters, overlap 100
// tokens ≈ 400). Prints { ms, cpuMs, pages, chunks, maxRssMb } as JSON. Timed after the modules are loaded
// and one warm-up run, as Ancre's side is.
import { readFileSync } from "node:fs";
import { DocxLoader } from "@langchain/community/document_loaders/fs/docx";
import { PDFLoader } from "@langchain/community/document_loaders/fs/pdf";
import { PPTXLoader } from "@langchain/community/document_loaders/fs/pptx";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";

const LOADERS = { pdf: PDFLoader, docx: DocxLoader, pptx: PPTXLoader };
const [format, file] = process.argv.slice(2);
const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 3200, chunkOverlap: 400 });

async function ingest() {
  const blob = new Blob([readFileSync(file)]);
  const documents = await new LOADERS[format](blob).load();
  const chunks = await splitter.splitDocuments(documents);
  return { pages: documents.length, chunks: chunks.length };
}

try {
  await ingest();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await ingest();
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  // CPU time as well as wall time: on a busy machine the wall time swings with the load.
  const cpuMs = (user + system) / 1000;
  console.log(JSON.stringify({ ...result, ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} catch (error) {
  console.log(JSON.stringify({ failed: String(error?.message ?? error).split("\n")[0] }));
}
