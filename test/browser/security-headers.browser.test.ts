import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, servePage } from "./harness";

type Violation = { directive: string; blocked: string };

// Runs in the page before its own scripts (the test's tsconfig has no DOM types, hence a string).
const recordViolations = `
  window.cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI });
  });`;

/** A page that records every Content-Security-Policy violation its documents report. */
async function watchedPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript({ content: recordViolations });
  return page;
}

const violations = (page: Page) => page.evaluate<Violation[]>("window.cspViolations");

describe("the console's security headers", () => {
  let browser: Browser;
  const base = inject("devServerUrl");

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("serves every console page with a strict policy: its own scripts only, no framing, nosniff", async () => {
    for (const path of ["/", "/collections", "/collections/col_unknown", "/api-keys"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(await response.text(), path).toContain('<div id="root">');
    }
  });

  it("refuses to be framed by another site", async () => {
    const site = await servePage(
      `<!doctype html><title>Another site</title><iframe src="${base}/collections" width="800" height="600"></iframe>`,
    );
    try {
      const page = await browser.newPage();
      const refusals: string[] = [];
      page.on("console", (message) => {
        if (message.text().includes("frame-ancestors")) refusals.push(message.text());
      });
      await page.goto(site.url, { waitUntil: "load" });
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      // Chromium puts its error page in place of the console: nothing of the console runs there.
      expect(frame?.url()).not.toMatch(new RegExp(`^${base}`));
      expect(refusals.join("\n")).toContain("frame-ancestors 'none'");
      await page.close();
    } finally {
      await site.close();
    }
  });

  it("runs the console under its policy without a single violation, dialogs included", async () => {
    const page = await watchedPage(browser);
    await page.goto(base);
    await page.getByLabel("Workspace name").fill(`Policy test ${Date.now()}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    // A dialog: Radix locks the page's scroll with a style element written at run time.
    await page.getByRole("button", { name: "New collection" }).first().click();
    await page.getByRole("dialog").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});

describe("routes: only the console's pages get the console", () => {
  const base = inject("devServerUrl");

  it("answers unknown paths, /api… ones included, with a 404 problem, not the console", async () => {
    for (const path of [
      "/API/v1/health",
      "/api/v1/nope",
      "/api",
      "/api/",
      "/apis",
      "/nope",
      "/collections/a/b",
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      expect(await response.json(), path).toMatchObject({
        code: "route_not_found",
        request_id: expect.any(String),
      });
    }
  });

  it("gives /health the API's health, not a page", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });
});

describe("the API reference, from Ancre's own assets", () => {
  let browser: Browser;
  const base = inject("devServerUrl");

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  // ReDoc's sidebar credit shows its logo from ReDoc's CDN: the policy blocks it, as it would any
  // other origin's file; nothing else may be refused.
  const pages: [string, string, Violation[]][] = [
    ["/docs", ".swagger-ui .info .title", []],
    ["/redoc", "h1", [{ directive: "img-src", blocked: "https://cdn.redoc.ly/redoc/logo-mini.svg" }]],
  ];
  for (const [path, title, refused] of pages) {
    it(`${path} renders Ancre's API with no request to another origin and no policy violation`, async () => {
      const page = await watchedPage(browser);
      const elsewhere: string[] = [];
      page.on("request", (request) => {
        const url = request.url();
        if (!url.startsWith(base) && !url.startsWith("data:") && !url.startsWith("blob:"))
          elsewhere.push(url);
      });
      const response = await page.goto(`${base}${path}`);
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self';");
      await expect(page.locator(title).first().innerText()).resolves.toContain("Ancre API");
      expect(elsewhere).toEqual([]);
      expect(await violations(page)).toEqual(refused);
      await page.close();
    });
  }
});
