import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { FakeServer } from "../fakes/http-server";
import { startWebhookReceiver } from "../fakes/webhook-receiver";
import { capture, launchChromium, VIEWPORTS } from "./harness";

const shoot = async (page: Page, name: string) => {
  await page.waitForLoadState("networkidle");
  await page.locator("main .animate-pulse").first().waitFor({ state: "detached", timeout: 15_000 });
  await capture(page, name);
};

describe("the Webhooks page", () => {
  const baseUrl = inject("devServerUrl");
  const workspace = `Webhooks ${Date.now()}`;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: FakeServer;
  // The development server may post to a receiver on this machine (production refuses local URLs).
  let hookUrl: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hookUrl = `${receiver.url}/hooks/console`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: "en-US" });
    page = await context.newPage();
    await page.goto(baseUrl);
    await page.getByLabel("Workspace name").fill(workspace);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("navigation", { name: "Main navigation" }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  it("says what to do first when there is no endpoint", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByText("No endpoint yet").waitFor();
    await shoot(page, "console-webhooks-empty-desktop");
  });

  it("adds an endpoint for the events checked, and shows its secret once", async () => {
    await page.getByRole("button", { name: "Add endpoint" }).first().click();
    await page.getByLabel("Endpoint URL").fill(hookUrl);
    await page.getByLabel("Description").fill("Our CRM");
    await page.getByRole("checkbox", { name: /A document failed/ }).uncheck();
    await page.getByRole("checkbox", { name: /A widget visitor started a conversation/ }).check();
    await page.getByRole("dialog").getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shoot(page, "console-webhooks-secret-desktop");
    await page.getByRole("button", { name: "Done" }).click();
    const card = page.getByRole("main");
    await card.getByText(hookUrl).waitFor();
    expect(await card.getByRole("list", { name: "Events" }).innerText()).toMatch(
      /document\.ready\s*conversation\.created/,
    );
    expect(await card.innerText()).not.toContain(secret);
  });

  it("sends a test event and shows it delivered in the log", async () => {
    await page.getByRole("button", { name: `Send a test event to ${hookUrl}` }).click();
    const log = page.getByRole("main").getByRole("table");
    await expect
      .poll(() => log.innerText(), { timeout: 30_000 })
      .toMatch(/webhook\.test\s*Delivered\s*1\s*HTTP 200/);
    const received = (await (await fetch(`${receiver.url}/__log/console`)).json()) as {
      headers: Record<string, string>;
    }[];
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["ancre-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await shoot(page, "console-webhooks-log-desktop");
  });

  it("pauses an endpoint, then re-enables it", async () => {
    const tenants = (await (await fetch(`${baseUrl}/api/v1/tenants?limit=100`)).json()) as {
      data: { id: string; name: string }[];
    };
    const tenantId = tenants.data.find((tenant) => tenant.name === workspace)?.id ?? "";
    const headers = { "x-tenant-id": tenantId, "content-type": "application/json" };
    const list = (await (await fetch(`${baseUrl}/api/v1/webhooks`, { headers })).json()) as {
      data: { id: string }[];
    };
    await fetch(`${baseUrl}/api/v1/webhooks/${list.data[0]?.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ enabled: false }),
    });
    await page.reload();
    await page.getByText("No event is sent until you enable it again.").waitFor();
    expect(await page.getByRole("button", { name: `Send a test event to ${hookUrl}` }).isDisabled()).toBe(
      true,
    );
    await shoot(page, "console-webhooks-disabled-desktop");
    await page.setViewportSize(VIEWPORTS.phone);
    await page.reload();
    await page.getByText("No event is sent until you enable it again.").waitFor();
    await shoot(page, "console-webhooks-disabled-phone");
    await page.getByRole("button", { name: `Re-enable ${hookUrl}` }).click();
    await page.getByText("The endpoint receives events again").first().waitFor();
    await page.getByText("No event is sent until you enable it again.").waitFor({ state: "detached" });
    await page.getByRole("button", { name: `Delivery log of ${hookUrl}` }).click();
    await page.getByRole("main").getByRole("table").waitFor();
    await shoot(page, "console-webhooks-phone");
  });
});
