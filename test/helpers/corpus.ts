import { inject } from "vitest";

/** The bytes of a file of `../shared/corpus`, e.g. `readCorpus("pdf/tracemonkey.pdf")`. */
export async function readCorpus(path: string): Promise<Uint8Array> {
  const response = await fetch(`${inject("corpusUrl")}/${path}`);
  if (!response.ok) throw new Error(`corpus file ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
