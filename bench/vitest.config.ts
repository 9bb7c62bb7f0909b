import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Benchmarks inside workerd, apart from the test suite: `npx vitest run --config bench/vitest.config.ts`.
// The D1 database gets the real migrations (as in the tests); data sets are served by the global setup.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("../migrations", import.meta.url)));
  return {
    root: fileURLToPath(new URL("..", import.meta.url)),
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"],
          bindings: { ENVIRONMENT: "test", TEST_MIGRATIONS: migrations },
          // wrangler.toml binds the copilot Worker, which benchmarks do not run: a stand-in that says so.
          serviceBindings: {
            COPILOT: () => Response.json({ code: "not_configured" }, { status: 503 }),
          },
        },
      }),
    ],
    test: {
      include: ["bench/**/*.bench.test.ts"],
      exclude: ["bench/**/*.node.bench.test.ts"],
      globalSetup: ["./bench/global-setup.ts"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 45 * 60_000,
    },
  };
});
