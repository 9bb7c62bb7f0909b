import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { COPILOT_TEST_BUNDLE } from "./copilot/test/build-copilot.ts";
import { COPILOT_TEST_SECRET, copilotApiStub } from "./test/fakes/copilot-api.ts";
import { startNangoFake } from "./test/fakes/nango.ts";
import { startOpenAiChatFake } from "./test/fakes/openai-chat.ts";

// The projects share the test files' conventions but not their runtime:
// - "embedded": the configuration of a fresh install (local embedder, extractive answers), with
//   connectors on Nango's fake (the queue consumer reads NANGO_URL from the Worker's bindings, so
//   the fake starts here, and tests reach it through env.NANGO_URL);
// - "openai": answers from the OpenAI Chat Completions fake, for `*.openai.test.ts`. Its URL must be
//   a binding of the Worker (the conversation Durable Object reads it), so the fake starts here.
// - "copilot": the second Worker (copilot/), its model the same fake, its API binding a stand-in;
// - "browser": Node drives Chromium against a `wrangler dev` (test/browser).
// The API Worker's projects apply its D1 migrations; the copilot Worker has no database.
const copilotNotRunning = () =>
  Response.json(
    { code: "not_configured", detail: "The copilot Worker does not run in these tests" },
    { status: 503 },
  );

export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));
  const chatFake = await startOpenAiChatFake();
  chatFake.server.unref();
  const nango = await startNangoFake();
  nango.server.unref();

  // What the two Worker projects share: the fakes of external APIs, migrations applied in workerd.
  const workerTests = {
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/quiet-info-logs.ts"],
    // The Worker's console writes straight to workerd's output. Intercepted, each line is a call to
    // vitest that only the test runner's own I/O context may send: a line logged by a queue
    // consumer, an alarm or a request still running waits for the runner's next message, and a file
    // ending in that gap waits for the line forever (the whole run stalls, workerd idle).
    disableConsoleIntercept: true,
  };

  const worker = (bindings: Record<string, string>) =>
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Modules over 1 MiB (pdf.js, tokenizer tables) need the larger message size in tests only.
        compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"],
        // A tenant's deletion runs its final pass at once (deployed, it waits out an ingestion lease).
        bindings: {
          ENVIRONMENT: "test",
          TEST_MIGRATIONS: migrations,
          TENANT_DELETION_FINAL_PASS_DELAY_SECONDS: "0",
          // Lookups are read afresh: tests that change rows directly see it (lookup-cache tests set it).
          LOOKUP_CACHE_SECONDS: "0",
          // Failed webhook deliveries are retried at once, so that a test sees its retries.
          WEBHOOK_RETRY_BASE_SECONDS: "0",
          ...bindings,
        },
        // The API Worker alone: wrangler.toml's COPILOT binding needs a Worker named copilot, which
        // these projects do not run (test/copilotkit binds stubs; copilot/ has its own project).
        serviceBindings: { COPILOT: copilotNotRunning },
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
          plugins: [
            worker({
              NANGO_URL: nango.fake.url,
              NANGO_SECRET_KEY: nango.fake.secretKey,
              NANGO_WEBHOOK_SECRET: nango.fake.webhookSecret,
            }),
          ],
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
              // Scanned PDF pages are read by the same fake (an image_url part gets a fixed transcription).
              VISION_MODEL: "fake-vision",
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
            // One file at a time against the one dev server, after the other projects.
            fileParallelism: false,
            sequence: { groupOrder: 1 },
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./copilot/wrangler.toml" },
              // The Worker as wrangler bundles it (copilot/test/build-copilot.ts).
              main: COPILOT_TEST_BUNDLE,
              miniflare: {
                compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"],
                bindings: {
                  OPENAI_BASE_URL: chatFake.baseUrl,
                  OPENAI_API_KEY: "sk-test-ancre-fake-key",
                  LLM_MODEL: "fake-copilot",
                  COPILOT_INTERNAL_SECRET: COPILOT_TEST_SECRET,
                },
                serviceBindings: { API: copilotApiStub },
              },
            }),
          ],
          test: {
            name: "copilot",
            include: ["copilot/test/**/*.test.ts"],
            globalSetup: ["./copilot/test/build-copilot.ts"],
            testTimeout: 30_000,
          },
        },
        // The console's own logic and the widget's, in Node with a DOM: the console's Vite config (React, the `@/` alias, root web/).
        {
          extends: "./web/vite.config.ts",
          test: {
            name: "web",
            environment: "happy-dom",
            include: ["web/src/**/*.test.{ts,tsx}", "widget/**/*.test.ts"],
          },
        },
      ],
    },
  };
});
