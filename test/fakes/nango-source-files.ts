import type { FakeSourceFile } from "./nango";

const MIME_TYPES: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  pdf: "application/pdf",
};

/**
 * A Drive file of a connection's source: a corpus file under its own name and MIME type, at revision "1",
 * unless `fields` says otherwise. Free of Node imports, so that tests in workerd and in Node share it.
 */
export function driveFile(id: string, corpus: string, fields: Partial<FakeSourceFile> = {}): FakeSourceFile {
  const name = corpus.slice(corpus.lastIndexOf("/") + 1);
  const mimeType = MIME_TYPES[name.slice(name.lastIndexOf(".") + 1)];
  return { id, name, mimeType, revision: "1", corpus, ...fields };
}
