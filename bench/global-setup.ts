import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startStaticServer } from "../test/fakes/static-files";
import "./provided-context";

/** Serves `../shared/bench` read-only to the benchmarks (workerd has no filesystem). */
export default async function setup(project: TestProject) {
  const data = await startStaticServer(fileURLToPath(new URL("../../shared/bench", import.meta.url)));
  project.provide("benchDataUrl", data.url);
  return () => data.close();
}
