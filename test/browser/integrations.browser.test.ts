import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  captureAtWidths,
  createCollection,
  createWorkspace,
  openDesktopPage,
  uploadNoteUntilReady,
} from "./harness";

/** The page as it is now, captured and checked at desktop then phone width (see `captureAtWidths`). */
const shoot = (page: Page, name: string, fullPage = true) =>
  captureAtWidths(page, `integrations-${name}`, { fullPage });

const note = [
  "# Release notes",
  "",
  "Ancre imports files from Google Drive and Notion through Nango, and keeps collections in step.",
  "The copilot answers questions about the workspace's activity.",
].join("\n");

describe("the console: integrations and the copilot panel (no Nango, no model on the dev server)", () => {
  let browser: Browser;
  let page: Page;
  const base = inject("devServerUrl");

  beforeAll(async () => {
    ({ browser, page } = await openDesktopPage());
  });
  afterAll(() => browser?.close());

  it("creates a workspace holding one ingested document", async () => {
    await createWorkspace(page, base, `Integrations test ${Date.now()}`);
    await createCollection(page, "Notes");
    await uploadNoteUntilReady(page, "release-notes.md", note);
  }, 90_000);

  it("explains how to set Nango up instead of failing when connectors are not configured", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Integrations" }).click();
    await page.getByText("Connectors are not set up on this server").waitFor();
    for (const setting of ["NANGO_URL", "NANGO_SECRET_KEY", "NANGO_WEBHOOK_SECRET"]) {
      await page.getByText(setting, { exact: true }).waitFor();
    }
    await page.getByText(`${base}/api/v1/integrations/nango/webhook`, { exact: true }).waitFor();
    await expect(page.getByRole("alert").count()).resolves.toBe(0);
    await shoot(page, "setup");
  });

  it("opens the copilot panel from the overview with the workspace's KPIs, and says a model is needed", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
    await page.getByRole("button", { name: "Ask the copilot" }).click();
    const panel = page.getByRole("dialog", { name: "Copilot" });
    const card = (label: string) => panel.getByRole("listitem").filter({ hasText: label });
    await card("Documents").waitFor();
    await expect(card("Documents").innerText()).resolves.toMatch(/^Documents\s+1\s+of 100$/);
    await expect(card("Indexed passages").innerText()).resolves.toMatch(/^Indexed passages\s+[1-9]\d*$/);
    // The harness runs the API Worker alone: the chat is unavailable, and the panel says how to set a model.
    const help = panel.getByRole("note");
    await help.getByText(/OPENAI_API_KEY/).waitFor();
    // The panel is fixed to the viewport: a full-page capture would cut it at the first screen.
    await shoot(page, "copilot", false);
  });
});
