// A tenant reads what an assistant cites in any format, and reviews the workspace's conversations:
// a PPTX citation opens its slide in the console, a PDF citation its page (and the PDF at that page
// in a tab titled with its name); the Conversations page lists who started what, read only.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { capture, launchChromium, VIEWPORTS } from "./harness";
import { tenantApi, uploadReady } from "./tenant-api";

/** The page at desktop then phone width, once what loads has loaded. */
async function shoot(page: Page, name: string) {
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.waitForLoadState("networkidle");
    await page.locator(".animate-pulse").first().waitFor({ state: "detached", timeout: 15_000 });
    await page.waitForTimeout(300);
    await capture(page, `${name}-${viewport}`);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

describe("citations of every format, and the workspace's conversations", () => {
  const baseUrl = inject("devServerUrl");
  const workspace = `Sources ${Date.now()}`;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tenantId: string;
  let assistantId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: VIEWPORTS.desktop,
      locale: "en-US",
      acceptDownloads: true,
    });
    page = await context.newPage();
    await page.goto(baseUrl);
    await page.getByLabel("Workspace name").fill(workspace);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("navigation", { name: "Main navigation" }).waitFor();
    const tenants = (await (await fetch(`${baseUrl}/api/v1/tenants?limit=100`)).json()) as {
      data: { id: string; name: string }[];
    };
    tenantId = tenants.data.find((tenant) => tenant.name === workspace)?.id ?? "";
    expect(tenantId).not.toBe("");
    const call = tenantApi(baseUrl, { "x-tenant-id": tenantId });
    const collectionId = (await call<{ id: string }>("POST", "collections", { name: "Talks" })).id;
    await uploadReady(baseUrl, tenantId, collectionId, "pptx/testPPT_various2.pptx");
    await uploadReady(baseUrl, tenantId, collectionId, "pdf/tracemonkey.pdf");
    assistantId = (
      await call<{ id: string }>("POST", "assistants", {
        name: "Guide",
        system_prompt: "You answer from the documents.",
        collection_ids: [collectionId],
      })
    ).id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Asks in the Playground and returns the first source chip of the answer. */
  async function askInPlayground(question: string) {
    await page.goto(`${baseUrl}/playground?assistant=${assistantId}`);
    await page.getByRole("textbox", { name: "Message" }).fill(question);
    await page.getByRole("button", { name: "Send" }).click();
    const source = page.getByRole("list", { name: "Sources" }).last().getByRole("button").first();
    await source.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByRole("button", { name: "Send" }).count(), { timeout: 60_000 }).toBe(1);
    return source;
  }

  it("opens a PPTX citation as its slide, the cited passage highlighted, the original under its name", async () => {
    const source = await askInPlayground("What does SecondBullet follow?");
    expect(await source.getAttribute("aria-label")).toMatch(
      /testPPT_various2\.pptx · slide \d+, read the cited passage/,
    );
    await source.click();
    const dialog = page.getByRole("dialog", { name: "testPPT_various2.pptx" });
    await dialog.waitFor();
    await dialog.getByTestId("cited-passage").waitFor();
    expect(await dialog.getByRole("paragraph").first().innerText()).toMatch(/^Source 1 · slide \d+$/);
    expect((await dialog.getByTestId("cited-passage").innerText()).length).toBeGreaterThan(5);
    expect(await dialog.getByRole("button", { name: /Open the PDF/ }).count()).toBe(0);
    await shoot(page, "sources-pptx-slide");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("button", { name: "Download testPPT_various2.pptx" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("testPPT_various2.pptx");
    await page.keyboard.press("Escape");
  });

  it("opens a PDF citation at its page, and the PDF at that page in a tab titled with its name", async () => {
    const source = await askInPlayground("Who wrote the TraceMonkey paper?");
    expect(await source.getAttribute("aria-label")).toMatch(
      /tracemonkey\.pdf · page 1, read the cited passage/,
    );
    await source.click();
    const dialog = page.getByRole("dialog", { name: "tracemonkey.pdf" });
    await dialog.getByTestId("cited-passage").waitFor();
    expect(await dialog.getByTestId("source-text").innerText()).toContain("Andreas Gal");
    await shoot(page, "sources-pdf-page");

    const [tab] = await Promise.all([
      context.waitForEvent("page"),
      dialog.getByRole("button", { name: "Open the PDF at page 1" }).click(),
    ]);
    await expect.poll(() => tab.title(), { timeout: 15_000 }).toBe("tracemonkey.pdf");
    expect(await tab.locator("iframe").getAttribute("src")).toMatch(/^blob:.*#page=1$/);
    await tab.close();
    await page.keyboard.press("Escape");
  });

  it("lists every conversation on the Conversations page, the others' read only, and keeps the Playground to one's own", async () => {
    const owner = tenantApi(baseUrl, { "x-tenant-id": tenantId });
    const { key } = await owner<{ key: string }>("POST", "api-keys", {
      name: "Website backend",
      role: "admin",
    });
    const byKey = tenantApi(baseUrl, { authorization: `Bearer ${key}` });
    const asked = await byKey<{ conversation_id: string }>("POST", `chat/${assistantId}`, {
      message: "Which slide has the hidden text?",
    });

    await page.goto(`${baseUrl}/playground?assistant=${assistantId}`);
    const history = page.getByRole("navigation", { name: "Conversation history" });
    await history.getByRole("button").first().waitFor();
    expect(await history.innerText()).not.toContain("Which slide has the hidden text?");

    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Conversations" })
      .click();
    const keyRow = page.getByRole("row").filter({ hasText: "Which slide has the hidden text?" });
    await keyRow.waitFor();
    expect(await keyRow.innerText()).toContain("API key Website backend");
    expect(
      await page.getByRole("row").filter({ hasText: "Who wrote the TraceMonkey paper?" }).innerText(),
    ).toContain("You");
    await shoot(page, "conversations-list");

    await keyRow.getByRole("link").click();
    await page.getByRole("heading", { name: "Which slide has the hidden text?" }).waitFor();
    await page.getByText("Read only: only the person who started a conversation can write in it.").waitFor();
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(page.url()).toContain(`/conversations/${assistantId}/${asked.conversation_id}`);
    await shoot(page, "conversations-read-only");
  });

  it("opens a search hit of a presentation as its slide", async () => {
    await page.goto(`${baseUrl}/search`);
    await page.getByLabel("Search query").first().fill("SecondBullet");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const hit = page
      .getByRole("list", { name: "Results" })
      .getByRole("listitem")
      .filter({ hasText: "testPPT_various2.pptx" })
      .first();
    await hit.waitFor();
    await capture(page, "sources-search-desktop");
    // The hit is a chunk of several small slides: they are named as slides.
    expect(await hit.innerText()).toMatch(/slides? \d+/);
    await hit.getByRole("button", { name: "testPPT_various2.pptx" }).click();
    const dialog = page.getByRole("dialog", { name: "testPPT_various2.pptx" });
    await dialog.getByTestId("cited-passage").waitFor();
    // The source view opens at the hit's first slide, its part of the hit highlighted.
    expect(await dialog.getByRole("paragraph").first().innerText()).toMatch(/^Source 1 · slide \d+$/);
    expect((await dialog.getByTestId("cited-passage").innerText()).length).toBeGreaterThan(0);
    await page.keyboard.press("Escape");
  });

  it("says it all in French", async () => {
    await page.evaluate(() => localStorage.setItem("ancre.language", "fr"));
    await page.goto(`${baseUrl}/conversations`);
    await page.getByRole("button", { name: "Exporter en CSV" }).waitFor();
    const keyRow = page.getByRole("row").filter({ hasText: "Which slide has the hidden text?" });
    expect(await keyRow.innerText()).toContain("Clé d'API Website backend");
    await shoot(page, "conversations-list-fr");
    await keyRow.getByRole("link").click();
    await page.getByText("Lecture seule").waitFor();
    const chip = page.getByRole("list", { name: "Sources" }).getByRole("button").first();
    expect(await chip.getAttribute("aria-label")).toMatch(
      /testPPT_various2\.pptx · diapositive \d+, lire le passage cité/,
    );
    await chip.click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: "Télécharger testPPT_various2.pptx" })
      .waitFor();
    await page.getByRole("dialog").getByTestId("cited-passage").waitFor();
    await shoot(page, "sources-pptx-slide-fr");
    await page.evaluate(() => localStorage.setItem("ancre.language", "en"));
  });
});
