import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Benchmarks that run in Node: the ingestion comparison with LangChain.js (whose loaders are Node
// libraries), load against a `wrangler dev` they start, and bundle sizes. Run through `npm run bench`.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["bench/**/*.node.bench.test.ts"],
    environment: "node",
    testTimeout: 45 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
