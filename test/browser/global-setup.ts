import type { TestProject } from "vitest/node";
import { buildAssets, startDevServer } from "./dev-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the `wrangler dev` the browser tests run against. */
    devServerUrl: string;
  }
}

/** Builds the served assets and starts one `wrangler dev` for every browser test file. */
export default async function setup(project: TestProject) {
  buildAssets();
  const server = await startDevServer();
  project.provide("devServerUrl", server.url);
  return () => server.stop();
}
