import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, screenshotPath } from "./harness";

describe("the browser harness", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("drives Chromium against the wrangler dev server's API", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${inject("devServerUrl")}/api/v1/health`);
    expect(response?.status()).toBe(200);
    expect(JSON.parse(await page.innerText("body"))).toMatchObject({ status: "ok" });
    await page.screenshot({ path: screenshotPath("harness-health") });
  });
});
