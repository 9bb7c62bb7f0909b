// Finds the Chromium the browser tests drive, or gets one the way this machine allows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** What the search looks at, so that tests can stand in for the machine. */
export interface BrowserSearch {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  /** Entries of a folder, or [] when it does not exist. */
  list: (dir: string) => string[];
}

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** Executables inside a Playwright browser cache: full Chromium builds first, then the headless shell. */
const CACHE_LAYOUTS: Array<{ prefix: string; paths: string[][] }> = [
  {
    prefix: "chromium-",
    paths: [
      ["chrome-linux64", "chrome"],
      ["chrome-linux", "chrome"],
      ["chrome-mac", "Chromium.app", "Contents", "MacOS", "Chromium"],
      ["chrome-win", "chrome.exe"],
    ],
  },
  {
    prefix: "chromium_headless_shell-",
    paths: [
      ["chrome-headless-shell-linux64", "chrome-headless-shell"],
      ["chrome-linux", "headless_shell"],
    ],
  },
];

function playwrightCache(env: BrowserSearch["env"]): string {
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== "0")
    return env.PLAYWRIGHT_BROWSERS_PATH;
  const home = env.HOME ?? homedir();
  if (process.platform === "darwin") return join(home, "Library", "Caches", "ms-playwright");
  if (process.platform === "win32") return join(env.LOCALAPPDATA ?? home, "ms-playwright");
  return join(env.XDG_CACHE_HOME ?? join(home, ".cache"), "ms-playwright");
}

/**
 * The browser to drive, in this order: `CHROMIUM_PATH`, a Chromium or Chrome on the PATH, the newest
 * build in Playwright's browser cache. Undefined when there is none.
 */
export function findBrowser(search: BrowserSearch): string | undefined {
  const { env, exists, list } = search;
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of SYSTEM_NAMES) {
      const candidate = join(dir, name);
      if (exists(candidate)) return candidate;
    }
  }
  const cache = playwrightCache(env);
  for (const { prefix, paths } of CACHE_LAYOUTS) {
    const builds = list(cache)
      .filter((entry) => entry.startsWith(prefix))
      .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)));
    for (const build of builds) {
      for (const path of paths) {
        const candidate = join(cache, build, ...path);
        if (exists(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

/** The search as this machine answers it. */
export const machineSearch = (): BrowserSearch => ({
  env: process.env,
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
});

/** The one sentence a developer reads when no browser can be had. */
export const NO_BROWSER_SENTENCE =
  "The browser tests need Chromium and none was found or could be installed: install it " +
  "(`sudo apt-get install chromium` on Debian or Ubuntu, or `npx playwright-core install chromium` " +
  "where Playwright's downloads are reachable), or set CHROMIUM_PATH to a Chromium or Chrome, then run npm test again.";

function run(command: string, args: string[], timeoutMs: number, showErrors = true): boolean {
  const stderr = showErrors ? "inherit" : "ignore";
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", stderr], timeout: timeoutMs });
  return result.status === 0;
}

function canInstallDebianPackages(): boolean {
  if (!existsSync("/usr/bin/apt-get")) return false;
  if (process.getuid?.() === 0) return true;
  try {
    execFileSync("sudo", ["-n", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A browser path, installing one when the machine allows it: Debian's `chromium` where this user may
 * install packages, else Playwright's own download. Undefined when neither works.
 */
export function ensureBrowser(log: (line: string) => void = console.log): string | undefined {
  const found = findBrowser(machineSearch());
  if (found) return found;
  if (canInstallDebianPackages()) {
    log("No Chromium found: installing Debian's chromium package for the browser tests (about a minute)…");
    const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
    const [command, ...prefix] = [...sudo, "apt-get"];
    if (run(command, [...prefix, "update", "-qq"], 300_000)) {
      run(command, [...prefix, "install", "-y", "-qq", "chromium"], 600_000);
    }
    const installed = findBrowser(machineSearch());
    if (installed) return installed;
  }
  log("No Chromium found: trying Playwright's download of Chromium…");
  // Its failure (no route to Playwright's servers) is said by the caller's one sentence.
  run("npx", ["--no-install", "playwright-core", "install", "chromium"], 300_000, false);
  return findBrowser(machineSearch());
}
