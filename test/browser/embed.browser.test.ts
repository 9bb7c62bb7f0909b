import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { capture, launchChromium, servePage, VIEWPORTS } from "./harness";

const README = readFileSync(new URL("../../../shared/corpus/md/readability-README.md", import.meta.url));

/** Screenshots of the page as it is now, at desktop then phone width. */
async function shoot(page: Page, name: string) {
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(500);
    await capture(page, `embed-${name}-${viewport}`, { fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** A third-party site's page holding `snippet` (filled in once the console shows it). */
const sitePage = (snippet: () => string) => () =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reader's corner</title></head><body><h1>Reader's corner</h1><p>Articles, cleaned up.</p>
${snippet()}
</body></html>`;

/**
 * Publishing an assistant's widget from the console, as a tenant would: no API key and no curl
 * for any of it (the document is uploaded through the API to save time), then chatting through it
 * on another origin; a site not allowed shows no launcher and says why in the browser's console,
 * until the Embed tab allows it in one click.
 */
describe("the Embed tab", () => {
  const base = inject("devServerUrl");
  const workspace = `Embed ${Date.now()}`;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let snippet = "";
  let allowedSite: Awaited<ReturnType<typeof servePage>>;
  let refusedSite: Awaited<ReturnType<typeof servePage>>;

  beforeAll(async () => {
    allowedSite = await servePage(sitePage(() => snippet));
    refusedSite = await servePage(sitePage(() => snippet));
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: VIEWPORTS.desktop,
      locale: "en-US",
      permissions: ["clipboard-read", "clipboard-write"],
    });
    page = await context.newPage();
    await page.goto(base);
    await page.getByLabel("Workspace name").fill(workspace);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("navigation", { name: "Main navigation" }).waitFor();
    const tenants = (await (await fetch(`${base}/api/v1/tenants?limit=100`)).json()) as {
      data: { id: string; name: string }[];
    };
    const tenantId = tenants.data.find((tenant) => tenant.name === workspace)?.id ?? "";
    const headers = { "x-tenant-id": tenantId };
    const collection = (await (
      await fetch(`${base}/api/v1/collections`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ name: "Readability" }),
      })
    ).json()) as { id: string };
    const form = new FormData();
    form.append("file", new Blob([README]), "readability-README.md");
    const uploaded = (await (
      await fetch(`${base}/api/v1/documents/upload/${collection.id}`, { method: "POST", headers, body: form })
    ).json()) as { id: string };
    for (let attempt = 0; ; attempt++) {
      const document = await fetch(`${base}/api/v1/documents/${uploaded.id}`, { headers });
      const { status } = (await document.json()) as { status: string };
      if (status === "ready") break;
      if (status === "failed" || attempt > 180) throw new Error(`ingestion: ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await allowedSite?.close();
    await refusedSite?.close();
  });

  it("opens from an assistant's card, unpublished, with its id and a live preview of the real widget", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Assistants" }).click();
    await page.getByRole("button", { name: "New assistant" }).first().click();
    await page.getByLabel("Name").fill("Reader help");
    await page.getByRole("checkbox", { name: "Readability" }).check();
    await page.getByRole("button", { name: "Create assistant" }).click();
    await page.getByRole("link", { name: "Embed Reader help on a website" }).click();
    await page.getByRole("heading", { name: "Embed “Reader help”" }).waitFor();
    await page.getByText("Not on any site yet").waitFor();
    const assistantId = /\/assistants\/([^/]+)\/embed/.exec(page.url())?.[1] ?? "";
    await page.getByText(assistantId, { exact: true }).waitFor();
    await page.getByText("Publish the widget to get its snippet.").waitFor();

    // The preview is the widget script itself, following the form before anything is saved.
    await page.getByLabel("Title", { exact: true }).fill("Reading help");
    await page.getByRole("button", { name: "Add a question" }).click();
    await page
      .getByRole("textbox", { name: "Suggested question 1", exact: true })
      .fill("What does Readability do?");
    await page.getByLabel("Colour", { exact: true }).fill("#0f766e");
    const preview = page.frameLocator('iframe[title="Widget preview"]');
    await expect
      .poll(() => preview.locator("ancre-widget h2").textContent(), { timeout: 10_000 })
      .toBe("Reading help");
    await preview.getByRole("button", { name: "What does Readability do?" }).click();
    await preview.getByText("This is a preview").waitFor();
    // Typing in the form keeps the focus: the preview never takes it.
    await page.getByLabel("Greeting").fill("Hello! Ask me about Readability.");
    expect(await page.evaluate<string>("document.activeElement?.id ?? ''")).toBe("embed-greeting");
    await expect
      .poll(() => preview.locator("ancre-widget .msg.bot .bubble").first().textContent(), { timeout: 10_000 })
      .toBe("Hello! Ask me about Readability.");
    await shoot(page, "unpublished");
  });

  it("shows the API's message at the site it refuses, then publishes and gives the snippet to copy", async () => {
    await page.getByRole("textbox", { name: "Allowed site 1", exact: true }).fill("http://shop.example");
    await page.getByRole("button", { name: "Add a site" }).click();
    await page.getByRole("textbox", { name: "Allowed site 2", exact: true }).fill(allowedSite.url);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const message = page.locator("#embed-origin-0-error");
    await expect.poll(() => message.textContent()).toContain("http://shop.example must use https");
    expect(
      await page.getByRole("textbox", { name: "Allowed site 1", exact: true }).getAttribute("aria-invalid"),
    ).toBe("true");
    expect(
      await page.getByRole("textbox", { name: "Allowed site 2", exact: true }).getAttribute("aria-invalid"),
    ).toBeNull();
    await shoot(page, "invalid-site");

    await page.getByRole("button", { name: "Remove allowed site 1" }).click();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Visitors of 1 site can chat with this assistant.").waitFor();
    snippet = (await page.getByTestId("embed-snippet").textContent()) ?? "";
    expect(snippet).toMatch(
      new RegExp(`^<script src="${base}/widget/v1\\.js" data-key="pk_[^"]+" async></script>$`),
    );
    await page.getByRole("button", { name: "Copy the snippet" }).click();
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(snippet);
    await shoot(page, "published");
  });

  it("chats through the published widget on the allowed site", async () => {
    const site = await context.newPage();
    await site.goto(allowedSite.url);
    await site.getByRole("button", { name: "Open chat" }).click();
    await site.locator("ancre-widget h2").getByText("Reading help").waitFor();
    await site.getByRole("button", { name: "What does Readability do?" }).click();
    const answer = site.locator("ancre-widget .msg.bot").last();
    await expect.poll(() => answer.getAttribute("aria-busy"), { timeout: 60_000 }).toBe("false");
    expect(await answer.getAttribute("class")).not.toContain("failed");
    expect(((await answer.locator(".bubble").textContent()) ?? "").length).toBeGreaterThan(20);
    await capture(site, "embed-site-answer-desktop");
    await site.close();
  });

  it("shows no launcher on a site not allowed, warns in its console, and allows it in one click", async () => {
    const site = await context.newPage();
    const warnings: string[] = [];
    site.on("console", (entry) => {
      if (entry.type() === "warning" && entry.text().startsWith("Ancre:")) warnings.push(entry.text());
    });
    const session = site.waitForResponse((response) => response.url().endsWith("/api/v1/widget/session"));
    await site.goto(refusedSite.url);
    expect((await session).status()).toBe(403);
    await expect
      .poll(() => warnings)
      .toEqual([
        `Ancre: ${refusedSite.url} is not allowed for this assistant; add it in the console's Embed tab (allowed sites).`,
      ]);
    expect(await site.locator("ancre-widget").count()).toBe(0);
    expect(await site.getByRole("button", { name: "Open chat" }).count()).toBe(0);
    await capture(site, "embed-refused-site-desktop");

    await page.reload();
    const allow = page.getByRole("button", { name: `Allow ${refusedSite.url}` });
    await allow.waitFor();
    await shoot(page, "refused-sites");
    await allow.click();
    await page.getByText("No site was refused lately.").waitFor();
    await page.getByText("Visitors of 2 sites can chat with this assistant.").waitFor();
    expect(await page.getByRole("textbox", { name: "Allowed site 2", exact: true }).inputValue()).toBe(
      refusedSite.url,
    );

    await site.reload();
    await site.getByRole("button", { name: "Open chat" }).waitFor();
    await site.close();
  });

  it("asks before replacing the key, saying what stops working, then shows the new snippet", async () => {
    await page.getByRole("button", { name: "Replace the key" }).click();
    const dialog = page.getByRole("dialog");
    await dialog
      .getByText("Sites using the current snippet stop loading the widget, and their open conversations stop")
      .waitFor();
    await capture(page, "embed-rotate-desktop");
    await dialog.getByRole("button", { name: "Replace the key" }).click();
    await page.getByText("The key was replaced").waitFor();
    const rotated = (await page.getByTestId("embed-snippet").textContent()) ?? "";
    expect(rotated).not.toBe(snippet);
    expect(rotated).toMatch(/data-key="pk_/);
  });

  it("switches the widget off, keeping its settings, and publishes it again", async () => {
    await page.getByRole("button", { name: "Switch off" }).click();
    await page.getByText("Switched off: sites with the snippet show no chat.").waitFor();
    expect(await page.getByRole("textbox", { name: "Allowed site 2", exact: true }).inputValue()).toBe(
      refusedSite.url,
    );
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Visitors of 2 sites can chat with this assistant.").waitFor();
  });

  it("speaks French", async () => {
    await page.evaluate(`localStorage.setItem("ancre.language", "fr")`);
    await page.reload();
    await page.getByRole("heading", { name: "Intégrer « Reader help »" }).waitFor();
    await page.getByText("Les visiteurs de 2 sites peuvent discuter avec cet assistant.").waitFor();
    await page.getByRole("button", { name: "Remplacer la clé" }).waitFor();
    await shoot(page, "published-fr");
    await page.evaluate(`localStorage.setItem("ancre.language", "en")`);
  });
});
