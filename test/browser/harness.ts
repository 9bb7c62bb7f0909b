import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
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

/** Chromium with one page at desktop width, in a browser whose language is `locale`. */
export async function openDesktopPage(
  locale = "en-US",
): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ locale, viewport: VIEWPORTS.desktop });
  return { browser, context, page: await context.newPage() };
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

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2.1 A and AA rules axe-core checks on every page and widget state the tests visit. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each (rule, impact, the first
 * offending elements). Evaluated through the DevTools protocol, which the console's strict CSP does
 * not govern, so the pages are checked with their real headers.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Injected for each check and removed after it: the page's globals stay as they were (the
  // widget's tests count them).
  await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(WCAG_TAGS)} } })
      .then((result) => { delete window.axe; return result.violations; })`,
  );
  return violations.map(({ id, impact, nodes }) => {
    const targets = nodes.slice(0, 3).map((node) => {
      // A contrast fault names its colours and ratio: enough to mend it without re-running.
      const contrast = node.any.find((check) => check.data?.contrastRatio)?.data;
      const colours = contrast
        ? ` [${contrast.fgColor} on ${contrast.bgColor}: ${contrast.contrastRatio}]`
        : "";
      return `${node.target.join(" ")}${colours}`;
    });
    return `${id} (${impact}): ${targets.join(", ")}`;
  });
}

type AxeViolation = {
  id: string;
  impact: string;
  nodes: {
    target: string[];
    any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[];
  }[];
};

/** How far the page scrolls sideways: 0 when nothing is wider than the viewport. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    "(document.scrollingElement ?? document.documentElement).scrollWidth - (document.scrollingElement ?? document.documentElement).clientWidth",
  );
}

/**
 * The innermost elements that reach past the viewport's right edge, as `tag.class…`: what widens a
 * page that scrolls sideways, named in the failure.
 */
function elementsPastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const edge = document.documentElement.clientWidth;
    const past = [...document.body.querySelectorAll("*")].filter(
      (element) => element.getBoundingClientRect().right > edge + 0.5,
    );
    return past
      .filter((element) => !past.some((other) => other !== element && element.contains(other)))
      .slice(0, 4)
      .map((element) => element.tagName.toLowerCase() + [...element.classList].slice(0, 4).map((name) => "." + name).join(""));
  })()`);
}

/** Fails, naming what is too wide, when the page scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const overflow = await horizontalOverflow(page);
  if (overflow === 0) return;
  expect(
    overflow,
    `${what}: the page scrolls sideways (${(await elementsPastTheEdge(page)).join(", ")})`,
  ).toBe(0);
}

/**
 * What every test does where it takes a screenshot: writes it, then checks that the page does not
 * scroll sideways and that axe-core finds no WCAG 2.1 A/AA fault, so that a new page or state cannot
 * bring one back.
 */
export async function capture(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: screenshotPath(name), fullPage: options.fullPage ?? false });
  await expectNoSidewaysScroll(page, name);
  expect(await accessibilityViolations(page), `${name}: accessibility faults`).toEqual([]);
}

/** Widths at which pages are checked for sideways scrolling without a screenshot of their own. */
const OTHER_WIDTHS = [360, 768, 1440];

/**
 * `capture` at desktop then phone width (`<name>-desktop`, `<name>-phone`), and the sideways-scroll
 * check at the other widths from 360 to 1440 px; the viewport ends at desktop width.
 */
export async function captureAtWidths(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await capture(page, `${name}-${viewport}`, options);
  }
  for (const width of OTHER_WIDTHS) {
    await page.setViewportSize({ width, height: VIEWPORTS.desktop.height });
    await page.waitForTimeout(150);
    await expectNoSidewaysScroll(page, `${name} at ${width} px`);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** From the workspace picker at `url`: creates the workspace `name` and waits for its Overview. */
export async function createWorkspace(page: Page, url: string, name: string) {
  await page.goto(url);
  await page.getByLabel("Workspace name").fill(name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

/** From any page of the console: creates the collection `name` and waits on its page. */
export async function createCollection(page: Page, name: string) {
  await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
  await page.getByRole("button", { name: "New collection" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page.getByRole("heading", { name }).waitFor();
}

/** On a collection's page: uploads a Markdown note and waits until its row says Ready. */
export async function uploadNoteUntilReady(page: Page, filename: string, text: string) {
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: filename, mimeType: "text/markdown", buffer: Buffer.from(text) });
  await page.getByRole("row").filter({ hasText: filename }).getByText("Ready").waitFor({ timeout: 60_000 });
}
