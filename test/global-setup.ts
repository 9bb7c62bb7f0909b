import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { type ClerkFake, startClerkFake } from "./fakes/clerk-jwks";
import { startStaticServer } from "./fakes/static-files";

declare module "vitest" {
  export interface ProvidedContext {
    clerk: ClerkFake;
    /** Serves `../shared/corpus` read-only, so tests inside workerd can read the real documents. */
    corpusUrl: string;
  }
}

/** Starts the local fakes of external HTTP APIs once for the whole run and hands their URLs to tests. */
export default async function setup(project: TestProject) {
  const clerk = await startClerkFake();
  project.provide("clerk", clerk.fake);
  const corpus = await startStaticServer(fileURLToPath(new URL("../../shared/corpus", import.meta.url)));
  project.provide("corpusUrl", corpus.url);
  return async () => {
    await clerk.server.close();
    await corpus.close();
  };
}
