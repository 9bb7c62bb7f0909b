import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { findBrowser, machineSearch, NO_BROWSER_SENTENCE } from "../../scripts/browser.ts";

const screenshotsDir = fileURLToPath(new URL("./screenshots/", import.meta.url));

/** Desktop and phone viewports every interface screenshot is taken at. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * Chromium, headless: the one `npm test` found or installed (`scripts/browser.ts`), else the first the
 * same search finds. The flags keep it from reaching out to Google's services, which a closed network
 * refuses.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? findBrowser(machineSearch());
  if (!executablePath) throw new Error(NO_BROWSER_SENTENCE);
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Where a test writes the screenshot called `name` (test/browser/screenshots/<name>.png). */
export function screenshotPath(name: string): string {
  mkdirSync(screenshotsDir, { recursive: true });
  return `${screenshotsDir}${name}.png`;
}

/**
 * Serves one HTML page from its own origin (http://127.0.0.1:<port>), as a third-party site would.
 * `html` may be a function, for a page that needs its own origin to be written (an embed key).
 */
export async function servePage(
  html: string | (() => string),
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(typeof html === "function" ? html() : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
