import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Benchmarks inside workerd, apart from the test suite: `npx vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  root: new URL("..", import.meta.url).pathname,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"] },
    }),
  ],
  test: {
    include: ["bench/**/*.bench.test.ts"],
    testTimeout: 15 * 60_000,
  },
});
