import type { TestProject } from "vitest/node";
import { type ClerkFake, startClerkFake } from "./fakes/clerk-jwks";

declare module "vitest" {
  export interface ProvidedContext {
    clerk: ClerkFake;
  }
}

/** Starts the local fakes of external HTTP APIs once for the whole run and hands their URLs to tests. */
export default async function setup(project: TestProject) {
  const clerk = await startClerkFake();
  project.provide("clerk", clerk.fake);
  return async () => {
    await clerk.server.close();
  };
}
