import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeServer } from "../fakes/http-server";
import { startOpenAiChatFake } from "../fakes/openai-chat";
import { type DevServer, startDevServer } from "./dev-server";
import { capture, launchChromium, servePage } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 360, height: 740 };
const QUESTION = "What is a trace tree?";

/**
 * The widget as a visitor meets it: a third-party page (its own origin) embeds /widget/v1.js from a
 * `wrangler dev` whose assistant answers through the OpenAI fake's slow model (10 pieces, 300 ms
 * apart), so that the answer can be seen growing.
 */
describe("the embedded widget", () => {
  let chatFake: { baseUrl: string; server: FakeServer };
  let dev: DevServer;
  let browser: Browser;
  let allowedSite: Awaited<ReturnType<typeof servePage>>;
  let otherSite: Awaited<ReturnType<typeof servePage>>;
  let pageHtml = "";
  let key = "";
  let tenantId = "";

  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${dev.url}/api/v1/${path}`, {
      method,
      headers: {
        ...(tenantId ? { "x-tenant-id": tenantId } : {}),
        ...(body instanceof FormData || body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  /** A tenant whose assistant knows the TraceMonkey paper and whose widget is allowed on `origin`. */
  async function seedWidget(origin: string): Promise<string> {
    tenantId = (await call("POST", "tenants", { name: "Widget browser test" })).id;
    const collection = await call("POST", "collections", { name: "Papers" });
    const form = new FormData();
    const pdf = readFileSync(new URL("../../../shared/corpus/pdf/tracemonkey.pdf", import.meta.url));
    form.append("file", new Blob([pdf]), "tracemonkey.pdf");
    const uploaded = await call("POST", `documents/upload/${collection.id}`, form);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const document = await call("GET", `documents/${uploaded.id}`);
      if (document.status === "ready") break;
      if (document.status === "failed" || Date.now() > deadline)
        throw new Error(`ingestion: ${document.status}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const assistant = await call("POST", "assistants", {
      name: "TraceMonkey",
      system_prompt: "You answer from the paper.",
      collection_ids: [collection.id],
      model: "fake-slow",
    });
    const widget = await call("PUT", `assistants/${assistant.id}/widget`, {
      allowed_origins: [origin],
      title: "TraceMonkey paper",
      greeting: "Hello! Ask me about the TraceMonkey paper.",
      primary_color: "#4f46e5",
      position: "bottom-right",
      language: "auto",
      suggested_questions: [QUESTION, "Who wrote the paper?"],
    });
    return widget.publishable_key;
  }

  const hostPage = (language?: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Research</title>
<style>body{margin:0;font-family:Georgia,serif;background:#f8fafc;color:#0f172a}
header{padding:20px 40px;background:#0f172a;color:#fff;font-size:20px}main{padding:32px 40px;max-width:720px}
/* A page's own styles must not reach the widget. */ button{background:#f00 !important;font-size:30px} div{border:2px dashed #f0f}</style>
</head><body><header>Acme Research</header><main><h1>Papers we build on</h1>
<p>Our JavaScript engine borrows from trace-based compilation. Ask the assistant about the paper.</p></main>
<script src="${dev.url}/widget/v1.js" data-key="${key}"${language ? ` data-language="${language}"` : ""} async></script>
</body></html>`;

  beforeAll(async () => {
    const started = Date.now();
    const step = (what: string) =>
      console.log(`widget browser test: ${what} after ${Date.now() - started} ms`);
    chatFake = await startOpenAiChatFake();
    dev = await startDevServer({
      vars: {
        LLM_PROVIDER: "openai",
        OPENAI_BASE_URL: chatFake.baseUrl,
        OPENAI_API_KEY: "sk-test-widget-browser",
        EMBEDDER: "local",
      },
    });
    step("wrangler dev ready");
    allowedSite = await servePage(() => pageHtml);
    otherSite = await servePage(() => pageHtml);
    key = await seedWidget(allowedSite.url);
    step("document ingested and widget published");
    pageHtml = hostPage();
    browser = await launchChromium();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await allowedSite?.close();
    await otherSite?.close();
    await dev?.stop();
    await chatFake?.server.close();
  });

  const launcher = (page: Page) => page.getByRole("button", { name: "Open chat" });
  const composer = (page: Page) => page.getByRole("textbox", { name: "Ask a question…" });
  const lastAnswer = (page: Page) => page.locator("ancre-widget .msg.bot").last();
  // Page-side expressions are strings: this file is compiled for Node, without the DOM's types.
  /** The class of the widget's focused element ("" when the focus is elsewhere on the page). */
  const focusedInWidget = (page: Page) =>
    page.evaluate<string>(
      `document.activeElement?.tagName === "ANCRE-WIDGET" ? document.activeElement.shadowRoot.activeElement?.className ?? "" : ""`,
    );
  const answerFinished = (page: Page) =>
    expect.poll(() => lastAnswer(page).getAttribute("aria-busy"), { timeout: 30_000 }).toBe("false");

  it("streams a cited answer that grows, shows its sources with pages, and keeps it across a reload", async () => {
    // A visitor who asked for less motion: no animation is caught half-way in the screenshots either.
    const page = await browser.newPage({ viewport: DESKTOP, reducedMotion: "reduce" });
    // Every global the page has before the widget runs, to show that the widget adds only one.
    await page.addInitScript("window.__globalsBefore = Object.keys(window)");
    await page.goto(allowedSite.url);
    await launcher(page).click();
    // Opening moves the focus into the panel, to the question box.
    await expect
      .poll(() => page.evaluate<string>("document.activeElement.shadowRoot?.activeElement?.tagName"))
      .toBe("TEXTAREA");
    await expect.poll(() => page.getByRole("button", { name: QUESTION }).isVisible()).toBe(true);
    expect(
      await page
        .locator("ancre-widget .panel")
        .evaluate((panel) => (globalThis as any).getComputedStyle(panel).animationName),
    ).toBe("none");
    await capture(page, "widget-desktop-open");

    await composer(page).fill(QUESTION);
    await composer(page).press("Enter");
    const lengths: number[] = [];
    while ((await lastAnswer(page).getAttribute("aria-busy")) !== "false") {
      lengths.push(((await lastAnswer(page).locator(".bubble").textContent()) ?? "").length);
      await page.waitForTimeout(100);
    }
    const growth = [...new Set(lengths.filter((length) => length > 0))];
    expect(growth.length).toBeGreaterThanOrEqual(3);
    expect(growth).toEqual([...growth].sort((a, b) => a - b));

    const source = lastAnswer(page).locator("summary").first();
    await expect.poll(() => source.textContent()).toMatch(/tracemonkey\.pdf\s*page \d+/);
    const excerpt = lastAnswer(page).locator("blockquote").first();
    expect(await excerpt.isVisible()).toBe(false);
    await source.click();
    expect(await excerpt.isVisible()).toBe(true);
    expect(((await excerpt.textContent()) ?? "").length).toBeGreaterThan(20);
    await capture(page, "widget-desktop-answer");

    const added = await page.evaluate<string[]>(
      "Object.keys(window).filter((name) => !window.__globalsBefore.includes(name))",
    );
    expect(added.filter((name) => name !== "__globalsBefore")).toEqual(["Ancre"]);

    const answerText = await lastAnswer(page).locator(".bubble").textContent();
    await page.reload();
    await launcher(page).click();
    await expect
      .poll(() => page.locator("ancre-widget .msg.user .bubble").last().textContent())
      .toBe(QUESTION);
    await expect.poll(() => lastAnswer(page).locator(".bubble").textContent()).toBe(answerText);
    await expect.poll(() => lastAnswer(page).locator("summary").count()).toBeGreaterThan(0);
    // Suggested questions are for an empty conversation only.
    expect(await page.getByRole("button", { name: QUESTION }).isVisible()).toBe(false);

    await page.keyboard.press("Escape");
    expect(await page.locator("ancre-widget .panel").isVisible()).toBe(false);
    expect(await focusedInWidget(page)).toBe("launcher");
    await page.close();
  });

  it("takes a visitor's thumb down with a comment, kept across a reload; a model's answer is not marked quoted", async () => {
    const page = await browser.newPage({ viewport: MOBILE, reducedMotion: "reduce" });
    await page.goto(allowedSite.url);
    await launcher(page).click();
    await composer(page).fill(QUESTION);
    await composer(page).press("Enter");
    await answerFinished(page);
    // A model wrote this answer: no "quoted" mark.
    expect(await lastAnswer(page).locator(".quoted").count()).toBe(0);
    const down = lastAnswer(page).getByRole("button", { name: "Not helpful" });
    await down.click();
    const comment = lastAnswer(page).getByRole("textbox", { name: "What was missing? (optional)" });
    await comment.fill("The paper's benchmarks");
    await lastAnswer(page).locator("form").getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => lastAnswer(page).getByRole("status").textContent())
      .toBe("Thanks for your feedback.");
    expect(await down.getAttribute("aria-pressed")).toBe("true");
    await capture(page, "widget-phone-feedback");

    await page.reload();
    await launcher(page).click();
    await expect.poll(() => lastAnswer(page).locator(".bubble").textContent()).not.toBe("");
    await expect
      .poll(() => lastAnswer(page).getByRole("button", { name: "Not helpful" }).getAttribute("aria-pressed"))
      .toBe("true");
    expect(
      await lastAnswer(page)
        .getByRole("button", { name: "Helpful", exact: true })
        .getAttribute("aria-pressed"),
    ).toBe("false");
    await page.close();
  });

  it("resumes an answer whose stream broke after the last event it saw (Last-Event-ID)", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    // The first answer's stream is cut after four events, as a dropped connection would cut it.
    await page.route("**/api/v1/chat/*/stream", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      const frames = (await response.text()).split("\n\n").filter(Boolean);
      await route.fulfill({ response, body: `${frames.slice(0, 4).join("\n\n")}\n\n` });
    });
    const resumedFrom: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.method() === "GET" && /\/conversations\/[^/]+\/stream$/.test(request.url())) {
        resumedFrom.push(request.headers()["last-event-id"]);
      }
    });
    await page.goto(allowedSite.url);
    await launcher(page).click();
    await page.getByRole("button", { name: "New conversation" }).click();
    await composer(page).fill("Who wrote the paper?");
    await composer(page).press("Enter");
    await answerFinished(page);
    expect(resumedFrom).toHaveLength(1);
    expect(Number(resumedFrom[0])).toBeGreaterThan(0);
    const resumed = await lastAnswer(page).locator(".bubble").textContent();
    expect(await lastAnswer(page).getAttribute("class")).not.toContain("failed");

    // The stored answer (read back after a reload) is what the resumed stream showed, nothing twice.
    await page.unroute("**/api/v1/chat/*/stream");
    await page.reload();
    await launcher(page).click();
    await expect.poll(() => lastAnswer(page).locator(".bubble").textContent()).toBe(resumed);
    await page.close();
  });

  it("fits a 360 px wide phone: the panel fills the screen and nothing overflows", async () => {
    const page = await browser.newPage({
      viewport: MOBILE,
      isMobile: true,
      hasTouch: true,
      reducedMotion: "reduce",
    });
    await page.goto(allowedSite.url);
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await launcher(page).click();
    const panel = page.locator("ancre-widget .panel");
    expect((await panel.boundingBox())?.width).toBe(MOBILE.width);
    await page.getByRole("button", { name: QUESTION }).click();
    await answerFinished(page);
    await lastAnswer(page).locator("summary").first().click();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      MOBILE.width,
    );
    await capture(page, "widget-mobile-answer");
    await page.getByRole("button", { name: "Close chat" }).click();
    expect(await panel.isVisible()).toBe(false);
    await page.close();
  });

  it("refuses a site that is not allowed: no token, no launcher, and one warning for the site's owner", async () => {
    pageHtml = hostPage("fr");
    const page = await browser.newPage({ viewport: DESKTOP });
    const warnings: string[] = [];
    page.on("console", (entry) => {
      if (entry.type() === "warning") warnings.push(entry.text());
    });
    const session = page.waitForResponse((response) => response.url().endsWith("/api/v1/widget/session"));
    await page.goto(otherSite.url);
    const refused = await session;
    expect(refused.status()).toBe(403);
    const problem = await refused.json();
    expect(problem).toMatchObject({ code: "widget_origin_not_allowed" });
    expect(problem).not.toHaveProperty("token");

    await expect
      .poll(() => warnings)
      .toEqual([
        `Ancre: ${otherSite.url} is not allowed for this assistant; add it in the console's Embed tab (allowed sites).`,
      ]);
    expect(await page.locator("ancre-widget").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Ouvrir la discussion" }).count()).toBe(0);
    await capture(page, "widget-refused");
    await page.close();
    pageHtml = hostPage();
  });
});
