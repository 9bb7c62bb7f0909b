import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSourceFile, startNangoFake } from "../fakes/nango";
import { driveFile } from "../fakes/nango-source-files";
import { type DevServer, startDevServer } from "./dev-server";
import { captureAtWidths, createCollection, createWorkspace, openDesktopPage } from "./harness";

/** What the Drive connection holds: files of the shared corpus. */
const DRIVE_FILES: FakeSourceFile[] = [
  driveFile("a", "txt/norwich-city.txt"),
  driveFile("b", "md/simple-table.md", { name: "table.md" }),
];

/**
 * A Nango connection made and synced from the console, against the API Worker whose NANGO_URL is the
 * local Nango fake. This file starts its own server; the other browser files run without Nango. The
 * test plays Connect UI's part (the user authorising Drive in Nango's window) through the fake.
 */
describe("the console: connect Google Drive through Nango and sync it into a collection", () => {
  let nango: Awaited<ReturnType<typeof startNangoFake>>;
  let server: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    nango = await startNangoFake();
    server = await startDevServer({
      vars: {
        NANGO_URL: nango.fake.url,
        NANGO_SECRET_KEY: nango.fake.secretKey,
        NANGO_WEBHOOK_SECRET: nango.fake.webhookSecret,
      },
    });
    ({ browser, context, page } = await openDesktopPage());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await nango?.server.close();
  });

  it("creates a workspace with an empty collection", async () => {
    await createWorkspace(page, server.url, `Nango test ${Date.now()}`);
    await createCollection(page, "Drive");
  });

  it("connects Drive: Connect opens from the session Nango made, and the connection is recorded", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Integrations" }).click();
    const drive = page.getByRole("button", { name: "Connect Google Drive" });
    await drive.click();
    const dialog = page.getByRole("dialog", { name: "Connect Google Drive" });
    const session = page.waitForRequest(
      (request) => new URL(request.url()).pathname === "/api/v1/integrations/nango/connect/google-drive",
    );
    // Nango's Connect window (the fake's link), as a page of its own: the test authorises for the user.
    await context.route("https://connect.nango.test/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<title>Nango Connect</title><h1>Nango Connect</h1>" }),
    );
    const connectWindow = context.waitForEvent("page");
    await dialog.getByRole("button", { name: "Open Connect" }).click();
    const tenantId = (await session).headers()["x-tenant-id"];
    expect(tenantId).toBeTruthy();
    // Nango's Connect window, opened on the session's link; the user authorises Drive there.
    const popup = await connectWindow;
    await popup.waitForLoadState();
    expect(popup.url()).toMatch(/^https:\/\/connect\.nango\.test\//);
    await popup.close();
    const created = await fetch(`${nango.fake.url}/__connections`, {
      method: "POST",
      body: JSON.stringify({
        provider_config_key: "google-drive",
        provider: "google-drive",
        tags: { end_user_id: "dev", organization_id: tenantId },
      }),
    });
    const { connection_id: connectionId } = (await created.json()) as { connection_id: string };
    await fetch(`${nango.fake.url}/__files/${connectionId}`, {
      method: "PUT",
      body: JSON.stringify(DRIVE_FILES),
    });

    await dialog.getByLabel("Connection id").fill(connectionId);
    await dialog.getByRole("button", { name: "Record" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("Connected", { exact: true }).waitFor();
    await expect(page.getByRole("button", { name: "Disconnect" }).count()).resolves.toBe(1);
  });

  it("syncs Drive into the collection, whose documents then are ready", async () => {
    const into = page.getByLabel("Import into");
    await into.locator("option", { hasText: "Drive" }).waitFor({ state: "attached" });
    await into.selectOption({ label: "Drive" });
    await page.getByRole("button", { name: "Sync", exact: true }).click();
    const progress = page.getByRole("region", { name: "Sync progress" });
    await progress.getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
    const handled = `${DRIVE_FILES.length} of ${DRIVE_FILES.length} files`;
    await expect(progress.getByRole("progressbar", { name: handled }).count()).resolves.toBe(1);
    await expect(progress.getByRole("definition").first().innerText()).resolves.toBe(
      String(DRIVE_FILES.length),
    );
    await captureAtWidths(page, "integrations-synced");

    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByRole("link", { name: "Drive" }).first().click();
    await page.getByRole("heading", { name: "Drive" }).waitFor();
    for (const file of DRIVE_FILES) {
      await page
        .getByRole("row")
        .filter({ hasText: file.name })
        .getByText("Ready")
        .waitFor({ timeout: 60_000 });
    }
    await captureAtWidths(page, "integrations-synced-collection");
  }, 150_000);
});
