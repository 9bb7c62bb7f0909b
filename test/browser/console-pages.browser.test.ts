import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { capture, openDesktopPage, VIEWPORTS } from "./harness";
import { tenantApi, uploadReady } from "./tenant-api";

const shoot = async (page: Page, name: string) => {
  await page.waitForLoadState("networkidle");
  // What is still loading shows as a skeleton: wait for the page's real face.
  await page.locator("main .animate-pulse").first().waitFor({ state: "detached", timeout: 15_000 });
  await capture(page, name);
};

describe("the console's pages", () => {
  const baseUrl = inject("devServerUrl");
  const workspace = `Pages ${Date.now()}`;
  let browser: Browser;
  let page: Page;
  let tenantId: string;
  let collectionId: string;

  beforeAll(async () => {
    ({ browser, page } = await openDesktopPage());
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
    collectionId = (await call<{ id: string }>("POST", "collections", { name: "Papers" })).id;
    await uploadReady(baseUrl, tenantId, collectionId, "pdf/tracemonkey.pdf");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates an assistant from the Assistants page", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Assistants" }).click();
    await page.getByRole("button", { name: "New assistant" }).first().click();
    await page.getByLabel("Name").fill("Paper guide");
    await page.getByLabel("Instructions (system prompt)").fill("You answer from the papers.");
    await page.getByRole("checkbox", { name: "Papers" }).check();
    await shoot(page, "console-assistant-form-desktop");
    await page.getByRole("button", { name: "Create assistant" }).click();
    await page.getByRole("heading", { name: "Paper guide" }).waitFor();
  });

  it("streams an answer in the playground whose citation names a page", async () => {
    await page.getByRole("link", { name: "Chat" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("What is a trace tree?");
    await page.getByRole("button", { name: "Send" }).click();
    const source = page.getByRole("list", { name: "Sources" }).getByRole("button").first();
    await source.waitFor({ timeout: 60_000 });
    expect(await source.getAttribute("aria-label")).toMatch(/tracemonkey\.pdf · page \d+/);
    await expect.poll(() => page.getByRole("button", { name: "Send" }).count(), { timeout: 60_000 }).toBe(1);
    expect((await page.getByTestId("answer-text").innerText()).length).toBeGreaterThan(20);
    await source.focus();
    expect(await page.getByRole("tooltip").first().isVisible()).toBe(true);
    // No model on this server: the answer says it quotes the documents, and the owner reads how to enable one.
    expect(await page.getByText("Quoted from your documents").isVisible()).toBe(true);
    expect(await page.getByText(/set OPENAI_API_KEY/).isVisible()).toBe(true);
    await shoot(page, "console-playground-answer-desktop");
  });

  it("takes a thumb down with a comment on the answer, and reports it among the unanswered questions", async () => {
    await page.getByRole("button", { name: "Not helpful" }).click();
    const comment = page.getByRole("textbox", { name: "Comment (optional)" });
    await comment.fill("I wanted the definition from section 3");
    await page.locator("form").filter({ has: comment }).getByRole("button", { name: "Send" }).click();
    await page.getByText("Thanks: your feedback is saved.").waitFor();
    expect(await page.getByRole("button", { name: "Not helpful" }).getAttribute("aria-pressed")).toBe("true");
    await shoot(page, "console-playground-feedback-desktop");

    await page.getByRole("navigation").getByRole("link", { name: "Unanswered questions" }).click();
    await page.getByRole("heading", { name: "What is a trace tree?" }).waitFor();
    expect(await page.getByText("1 thumb down").isVisible()).toBe(true);
    expect(await page.getByText("I wanted the definition from section 3").isVisible()).toBe(true);
    expect(await page.getByText("tracemonkey.pdf").first().isVisible()).toBe(true);
    await shoot(page, "console-unanswered-report-desktop");
  });

  it("counts the message on the Usage page", async () => {
    await page.getByRole("link", { name: "Usage" }).click();
    const messages = page.getByRole("listitem").filter({ hasText: "Chat messages" });
    await expect.poll(() => messages.innerText(), { timeout: 20_000 }).toMatch(/\b1\s*\/\s*[\d,]+/);
    await page.getByRole("img").or(page.locator(".recharts-surface")).first().waitFor();
    await shoot(page, "console-usage-counted-desktop");
  });

  it("ranks the asked assistant first on the Overview, with its question", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
    await page.getByRole("heading", { name: "Busiest assistants" }).waitFor();
    const asked = page.getByRole("listitem").filter({ hasText: "Paper guide" });
    await expect.poll(() => asked.innerText(), { timeout: 20_000 }).toMatch(/Paper guide\s*1 question\b/);
  });

  it("creates an API key shown once, then revokes it", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("button", { name: "New API key" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill("CI");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByLabel("API key", { exact: true }).inputValue();
    expect(key).toMatch(/^ak_/);
    await shoot(page, "console-api-key-created-desktop");
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Revoke CI" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No API key yet").waitFor();
    const refused = await fetch(`${baseUrl}/api/v1/collections`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.status).toBe(401);
  });

  it("shows the key's creation and revocation in the Audit log, newest first, naming who did it", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Audit log" }).click();
    const rows = page.getByRole("main").getByRole("row");
    await rows.nth(2).waitFor();
    // The header, then the events: the revocation above the creation, both by the workspace's owner.
    expect(await rows.nth(1).innerText()).toMatch(/API key revoked[\s\S]*(Member|Development)/);
    expect(await rows.nth(2).innerText()).toMatch(/API key created[\s\S]*(Member|Development)/);
  });

  it("renders a refusal as a sentence: the plan's assistant limit, and no upgrade where the server takes no payments", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Assistants" }).click();
    await page.getByRole("button", { name: "New assistant" }).first().click();
    await page.getByLabel("Name").fill("One too many");
    // Meanwhile the workspace reaches its plan's limit, as another tab would make it.
    const call = tenantApi(baseUrl, { "x-tenant-id": tenantId });
    const { limits } = await call<{ limits: { assistants: number } }>("GET", `tenants/${tenantId}`);
    for (let made = 1; made < limits.assistants; made++) {
      await call("POST", "assistants", { name: `Filler ${made}`, system_prompt: "", collection_ids: [] });
    }
    await page.getByRole("button", { name: "Create assistant" }).click();
    const alert = page.getByRole("dialog").getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain(`The Free plan allows ${limits.assistants} assistants`);
    // The dev server takes no payments: no upgrade is suggested that could not be made.
    expect(await alert.getByRole("link", { name: "Billing" }).count()).toBe(0);
    expect(await alert.innerText()).not.toContain("Upgrade");
    await shoot(page, "console-refusal-desktop");
    await page.keyboard.press("Escape");
  });

  it("shows every page at desktop and phone widths", async () => {
    const pages = [
      "assistants",
      "playground",
      "search",
      "unanswered",
      "usage",
      "billing",
      "api-keys",
      "members",
      "audit",
    ];
    for (const [viewport, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      for (const path of pages) {
        await page.goto(`${baseUrl}/${path}`);
        await page.getByRole("main").waitFor();
        if (path === "search") {
          await page
            .getByRole("searchbox", { name: "Search query" })
            .or(page.getByLabel("Search query"))
            .first()
            .fill("trace tree");
          await page.getByRole("button", { name: "Search", exact: true }).click();
          await page.getByRole("list", { name: "Results" }).waitFor();
        }
        await shoot(page, `console-${path}-${viewport}`);
        if (path === "search") {
          // An author's name finds the title page, marked as such above its author lines.
          await page.getByLabel("Search query").first().fill("Andreas Gal");
          await page.getByRole("button", { name: "Search", exact: true }).click();
          await page.getByText("Title page", { exact: true }).first().waitFor();
          await shoot(page, `console-search-author-${viewport}`);
        }
      }
    }
  });
});
