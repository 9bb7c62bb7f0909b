// Node-side tests of how `npm test` finds a browser: `npm run test:scripts`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type BrowserSearch, findBrowser } from "./browser.ts";
import { runsBrowserTests } from "./test-args.ts";

/** A machine holding exactly `files`, with `env`. */
function machine(files: string[], env: BrowserSearch["env"]): BrowserSearch {
  const set = new Set(files);
  return {
    env,
    exists: (path) => set.has(path),
    list: (dir) => [
      ...new Set(
        files
          .filter((file) => file.startsWith(`${dir}/`))
          .map((file) => file.slice(dir.length + 1).split("/")[0]!),
      ),
    ],
  };
}

const home = "/home/dev";
const cache = join(home, ".cache", "ms-playwright");

describe("finding a browser", () => {
  it("takes CHROMIUM_PATH first, and only when it exists", () => {
    const files = ["/opt/chrome/chrome", "/usr/bin/chromium"];
    const env = { CHROMIUM_PATH: "/opt/chrome/chrome", PATH: "/usr/bin", HOME: home };
    assert.equal(findBrowser(machine(files, env)), "/opt/chrome/chrome");
    assert.equal(findBrowser(machine(["/usr/bin/chromium"], env)), undefined);
  });

  it("finds Chromium or Chrome on the PATH", () => {
    const env = { PATH: "/usr/local/bin:/usr/bin", HOME: home };
    assert.equal(findBrowser(machine(["/usr/bin/chromium"], env)), "/usr/bin/chromium");
    assert.equal(findBrowser(machine(["/usr/local/bin/google-chrome"], env)), "/usr/local/bin/google-chrome");
  });

  it("falls back to the newest Chromium in Playwright's cache, then its headless shell", () => {
    if (process.platform !== "linux") return;
    const env = { PATH: "/usr/bin", HOME: home };
    const older = join(cache, "chromium-1100", "chrome-linux", "chrome");
    const newer = join(cache, "chromium-1200", "chrome-linux64", "chrome");
    const shell = join(
      cache,
      "chromium_headless_shell-1200",
      "chrome-headless-shell-linux64",
      "chrome-headless-shell",
    );
    assert.equal(findBrowser(machine([older, newer, shell], env)), newer);
    assert.equal(findBrowser(machine([shell], env)), shell);
    assert.equal(
      findBrowser(machine([older], { ...env, PLAYWRIGHT_BROWSERS_PATH: "/elsewhere" })),
      undefined,
    );
  });

  it("finds nothing on a machine without a browser", () => {
    assert.equal(findBrowser(machine(["/usr/bin/node"], { PATH: "/usr/bin", HOME: home })), undefined);
  });
});

describe("whether a test run needs the browser", () => {
  it("does for the whole suite, whatever the reporters", () => {
    assert.equal(runsBrowserTests([]), true);
    assert.equal(
      runsBrowserTests(["--reporter=default", "--reporter", "json", "--outputFile.json=/tmp/r"]),
      true,
    );
  });

  it("does not when the projects or the files leave it out", () => {
    assert.equal(runsBrowserTests(["--project", "embedded"]), false);
    assert.equal(runsBrowserTests(["--project=web", "--project=openai"]), false);
    assert.equal(runsBrowserTests(["test/chat/chat.happy.test.ts"]), false);
  });

  it("does when the browser project or a browser test file is named", () => {
    assert.equal(runsBrowserTests(["--project", "embedded", "--project", "browser"]), true);
    assert.equal(runsBrowserTests(["test/browser/console.browser.test.ts"]), true);
  });
});
