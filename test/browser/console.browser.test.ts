import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { captureAtWidths, openDesktopPage } from "./harness";

const tracemonkey = fileURLToPath(new URL("../../../shared/corpus/pdf/tracemonkey.pdf", import.meta.url));

/** The page as it is now, captured and checked at desktop then phone width (see `captureAtWidths`). */
const shoot = (page: Page, name: string) => captureAtWidths(page, `console-${name}`, { fullPage: true });

describe("the console: workspace, collections and documents", () => {
  let browser: Browser;
  let page: Page;
  const base = inject("devServerUrl");

  beforeAll(async () => {
    ({ browser, page } = await openDesktopPage());
  });
  afterAll(() => browser?.close());

  it("creates a workspace from the picker and lands on an overview that says what to do first", async () => {
    await page.goto(base);
    await page.getByLabel("Workspace name").fill(`Browser test ${Date.now()}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page.getByRole("heading", { name: "Overview" }).waitFor()).resolves.toBeUndefined();
    await page.getByText("Get started in three steps").waitFor();
    await page.getByText("Chat messages").waitFor();
    await shoot(page, "overview-empty");
  });

  it("creates a collection, uploads tracemonkey.pdf and shows it ready with its 14 pages", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByText("No collection yet").waitFor();
    await page.getByRole("button", { name: "New collection" }).first().click();
    await page.getByLabel("Name").fill("Research papers");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByRole("heading", { name: "Research papers" }).waitFor();

    await page.locator('input[type="file"]').setInputFiles(tracemonkey);
    const row = page.getByRole("row").filter({ hasText: "tracemonkey.pdf" });
    await row.getByText("Ready").waitFor({ timeout: 120_000 });
    await expect(row.getByRole("cell").nth(2).innerText()).resolves.toBe("14");
    await shoot(page, "collection");
  }, 180_000);

  it("marks a second upload of the same file as a duplicate", async () => {
    await page.locator('input[type="file"]').setInputFiles(tracemonkey);
    await page.getByText("Already in this collection").waitFor();
  });

  it("lists the collection and counts the document on the overview", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByRole("link", { name: "Research papers" }).waitFor();
    await shoot(page, "collections");
    await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
    await page.getByText("Documents by status").waitFor();
    await page.getByRole("progressbar", { name: "1 of 100" }).waitFor();
    await shoot(page, "overview");
  });

  it("renames a collection", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByRole("button", { name: "Actions for Research papers" }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Papers");
    await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await page.getByRole("link", { name: "Papers", exact: true }).waitFor();
  });

  it("asks before deleting a collection, naming it", async () => {
    await page.getByRole("button", { name: "Actions for Papers" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Delete “Papers”?").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("link", { name: "Papers", exact: true }).waitFor();
  });
});
