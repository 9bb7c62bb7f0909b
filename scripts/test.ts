// `npm test`: the whole suite. The browser tests need Chromium, so it is found (or installed where the
// machine allows) before vitest starts: a machine without one stops in its first seconds with a
// sentence naming the command to run, not after minutes of other tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureBrowser, NO_BROWSER_SENTENCE } from "./browser.ts";
import { runsBrowserTests, withStallWatchdog } from "./test-args.ts";

const args = process.argv.slice(2);
const env = { ...process.env };

if (runsBrowserTests(args)) {
  if (env.CHROMIUM_PATH && !existsSync(env.CHROMIUM_PATH)) {
    console.error(
      `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist: point it at a Chromium or Chrome.`,
    );
    process.exit(1);
  }
  const browser = ensureBrowser();
  if (!browser) {
    console.error(NO_BROWSER_SENTENCE);
    process.exit(1);
  }
  env.CHROMIUM_PATH = browser;
}

// A run in which nothing happens for minutes fails, naming the files still open (stall-watchdog.ts).
const watchdog = fileURLToPath(new URL("./stall-watchdog.ts", import.meta.url));
const vitest = spawnSync("vitest", ["run", ...withStallWatchdog(args, watchdog)], { stdio: "inherit", env });
process.exit(vitest.status ?? 1);
