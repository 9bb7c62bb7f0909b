import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startStaticServer } from "../test/fakes/static-files";
import "./provided-context";
import { loadQaSample } from "./squad-sample";

/**
 * Serves `../shared/bench` read-only to the benchmarks (workerd has no filesystem), and hands them
 * the question-answering sample derived from SQuAD 2.0.
 */
export default async function setup(project: TestProject) {
  const data = await startStaticServer(fileURLToPath(new URL("../../shared/bench", import.meta.url)));
  project.provide("benchDataUrl", data.url);
  project.provide("qaSample", loadQaSample());
  return () => data.close();
}
