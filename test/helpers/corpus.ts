import { inject } from "vitest";

/** The bytes of a file of `../shared/corpus`, e.g. `readCorpus("pdf/tracemonkey.pdf")`. */
export function readCorpus(path: string): Promise<Uint8Array> {
  return readServed(inject("corpusUrl"), path);
}

/** The bytes of a file of `../shared/original` (the original product's French READMEs). */
export function readOriginal(path: string): Promise<Uint8Array> {
  return readServed(inject("originalUrl"), path);
}

async function readServed(baseUrl: string, path: string): Promise<Uint8Array> {
  const response = await fetch(`${baseUrl}/${path}`);
  if (!response.ok) throw new Error(`file ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
