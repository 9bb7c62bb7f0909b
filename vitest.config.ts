import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { startOpenAiChatFake } from "./test/fakes/openai-chat.ts";

// Two projects share the test files' conventions but not their Worker configuration:
// - "embedded": the configuration of a fresh install (local embedder, extractive answers);
// - "openai": answers from the OpenAI Chat Completions fake, for `*.openai.test.ts`. Its URL must be
//   a binding of the Worker (the conversation Durable Object reads it), so the fake starts here.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));
  const chatFake = await startOpenAiChatFake();
  chatFake.server.unref();

  // What the two Worker projects share: the fakes of external APIs, migrations applied in workerd.
  const workerTests = {
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts"],
  };

  const worker = (bindings: Record<string, string>) =>
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Modules over 1 MiB (pdf.js, tokenizer tables) need the larger message size in tests only.
        compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"],
        bindings: { ENVIRONMENT: "test", TEST_MIGRATIONS: migrations, ...bindings },
      },
    });

  return {
    test: {
      testTimeout: 30_000,
      // Test files share one Worker runtime per pool worker instead of starting one each: starting
      // workerd, evaluating the Worker's modules (pdf.js, tokenizer tables) and applying migrations
      // for every file cost more CPU than the tests themselves. Every test makes its own tenant, so
      // files do not see each other's data; two workers keep both cores busy while tests wait on
      // queues and timers.
      isolate: false,
      maxWorkers: 2,
      projects: [
        {
          extends: true,
          plugins: [worker({})],
          test: {
            ...workerTests,
            name: "embedded",
            include: ["test/**/*.test.ts"],
            exclude: ["test/**/*.openai.test.ts", "test/browser/**"],
          },
        },
        {
          extends: true,
          plugins: [
            worker({
              OPENAI_BASE_URL: chatFake.baseUrl,
              OPENAI_API_KEY: "sk-test-ancre-fake-key",
              EMBEDDER: "local",
              LLM_PROVIDER: "openai",
              LLM_TIMEOUT_MS: "1500",
              CHAT_PING_INTERVAL_MS: "100",
            }),
          ],
          test: { ...workerTests, name: "openai", include: ["test/**/*.openai.test.ts"] },
        },
        {
          // Interface tests: Node drives Debian's Chromium against one `wrangler dev` (test/browser).
          test: {
            name: "browser",
            include: ["test/browser/**/*.browser.test.ts"],
            globalSetup: ["./test/browser/global-setup.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
        // The console's own logic, in Node with a DOM: its Vite config (React, the `@/` alias, root web/).
        {
          extends: "./web/vite.config.ts",
          test: { name: "web", environment: "happy-dom", include: ["web/src/**/*.test.{ts,tsx}"] },
        },
      ],
    },
  };
});
