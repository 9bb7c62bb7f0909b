import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeServer } from "../fakes/http-server";
import { startOpenAiChatFake } from "../fakes/openai-chat";
import { type DevServer, startDevServer } from "./dev-server";
import {
  captureAtWidths,
  createCollection,
  createWorkspace,
  openDesktopPage,
  uploadNoteUntilReady,
} from "./harness";

const note = "# Release notes\n\nAncre's copilot reads the workspace's figures and shows them as cards.\n";

/**
 * Both Workers under one `wrangler dev`, as `npm run dev` runs them, the copilot's model being the
 * local Chat Completions fake: it calls a tool the question names, then repeats the tool's result.
 * This file starts its own server; the other browser files keep the API Worker alone.
 */
describe("the copilot panel, against the API and copilot Workers with a model", () => {
  let chatFake: { baseUrl: string; server: FakeServer };
  let server: DevServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    chatFake = await startOpenAiChatFake();
    server = await startDevServer({
      copilot: {
        vars: {
          OPENAI_BASE_URL: chatFake.baseUrl,
          OPENAI_API_KEY: "sk-test-ancre-fake-key",
          // The API Worker reads the same environment: its embeddings stay local, as in the other files.
          EMBEDDER: "local",
        },
      },
    });
    ({ browser, page } = await openDesktopPage());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await chatFake?.server.close();
  });

  it("creates a workspace holding one ingested document", async () => {
    await createWorkspace(page, server.url, `Copilot test ${Date.now()}`);
    await createCollection(page, "Notes");
    await uploadNoteUntilReady(page, "release-notes.md", note);
  }, 90_000);

  it("renders the model's KPI tool call as cards holding the tenant's figures from /kpis", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
    const kpisResponse = page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/api/v1/kpis" && response.ok(),
    );
    await page.getByRole("button", { name: "Ask the copilot" }).click();
    const kpis = (await (await kpisResponse).json()) as {
      documents: { chunks: number };
      usage: { documents: { used: number; limit: number } };
    };
    expect(kpis.usage.documents.used).toBe(1);
    expect(kpis.documents.chunks).toBeGreaterThan(0);

    const panel = page.getByRole("dialog", { name: "Copilot" });
    const chat = panel.locator("section");
    // The chat is there (a model answers): no note saying how to set one.
    const input = chat.getByRole("textbox");
    await input.waitFor({ timeout: 30_000 });
    await expect(panel.getByRole("note").count()).resolves.toBe(0);
    await expect(chat.getByRole("list", { name: "This period" }).count()).resolves.toBe(0);

    await input.fill("How is the workspace doing? Use get_kpis.");
    await input.press("Enter");

    // The tool call's result, drawn by the console as the same cards as the panel's own.
    const cards = chat.getByRole("list", { name: "This period" });
    await cards.waitFor({ timeout: 60_000 });
    const card = (label: string) => cards.getByRole("listitem").filter({ hasText: label });
    await expect(card("Documents").innerText()).resolves.toMatch(
      new RegExp(`^Documents\\s+${kpis.usage.documents.used}\\s+of ${kpis.usage.documents.limit}$`),
    );
    await expect(card("Indexed passages").innerText()).resolves.toMatch(
      new RegExp(`^Indexed passages\\s+${kpis.documents.chunks}$`),
    );
    const top = panel.getByRole("list", { name: "This period" }).first();
    await expect(card("Storage").innerText()).resolves.toBe(
      await top.getByRole("listitem").filter({ hasText: "Storage" }).innerText(),
    );

    // The model was asked once with the tool offered, then once with its result.
    const requests = (await (await fetch(`${chatFake.baseUrl.replace(/\/v1$/, "")}/__requests`)).json()) as {
      requests: { messages: { role: string }[] }[];
    };
    expect(requests.requests.some((r) => r.messages.at(-1)?.role === "tool")).toBe(true);

    await cards.scrollIntoViewIfNeeded();
    await captureAtWidths(page, "copilot-kpi-tool", { fullPage: false });
  }, 150_000);
});
