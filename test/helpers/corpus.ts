import { inject } from "vitest";

async function readServed(baseUrl: string, path: string): Promise<Uint8Array> {
  const response = await fetch(`${baseUrl}/${path}`);
  if (!response.ok) throw new Error(`test file ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The bytes of a file of `../shared/corpus`, e.g. `readCorpus("pdf/tracemonkey.pdf")`. */
export const readCorpus = (path: string) => readServed(inject("corpusUrl"), path);

/** The bytes of one of the original product's French READMEs in `../shared/original`. */
export const readOriginal = (name: string) => readServed(inject("originalUrl"), name);
