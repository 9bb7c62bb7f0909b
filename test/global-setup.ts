import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startClerkFake } from "./fakes/clerk-jwks";
import "./provided-context";
import { startStaticServer } from "./fakes/static-files";

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
