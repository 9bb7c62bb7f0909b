import { describe, expect, it } from "vitest";
import { DocumentPageSchema } from "../../src/routes/documents/documents.schemas";
import { ConnectionSchema, ConnectSessionSchema } from "../../src/routes/integrations/nango.schemas";
import { driveFile } from "../fakes/nango-source-files";
import { search, waitForDocument } from "../helpers/documents";
import {
  authWebhook,
  connectTenant,
  createNangoConnection,
  listConnections,
  NANGO,
  nangoRequests,
  nangoRequestsOf,
  sendNangoWebhook,
  setSourceFiles,
  startSync,
  waitForSync,
} from "../helpers/nango";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const GOOGLE_DOC = "application/vnd.google-apps.document";
const GOOGLE_SLIDES = "application/vnd.google-apps.presentation";

async function documentsOf(tenant: TestTenant, collectionId: string) {
  const page = await tenant.client.expectJson(
    200,
    "GET",
    `documents?collection_id=${collectionId}`,
    DocumentPageSchema,
  );
  return page.data;
}

async function contentOf(tenant: TestTenant, documentId: string): Promise<string> {
  const response = await tenant.client.request("GET", `documents/${documentId}/content`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("connecting a tenant through Nango", () => {
  it("opens a connect session for the caller in the tenant, allowed that provider only", async () => {
    const tenant = await createTenant();
    const session = await tenant.client.expectJson(
      200,
      "POST",
      `${NANGO}/connect/google-drive`,
      ConnectSessionSchema,
    );
    expect(session.provider).toBe("google-drive");
    expect(Date.parse(session.expires_at)).toBeGreaterThan(Date.now());

    const asked = (await nangoRequests()).filter(
      (entry) =>
        entry.path === "/connect/sessions" &&
        (entry.body as { organization?: { id?: string } } | null)?.organization?.id === tenant.id,
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]!.body).toMatchObject({
      end_user: { id: "dev" },
      organization: { id: tenant.id },
      tags: { end_user_id: "dev", organization_id: tenant.id },
      allowed_integrations: ["google-drive"],
    });
  });

  it("records the connection Connect UI leads back with, once Nango confirms it is the tenant's", async () => {
    const tenant = await createTenant();
    const connectionId = await createNangoConnection(tenant.id, "google-drive");
    const connection = await tenant.client.expectJson(
      200,
      "GET",
      `${NANGO}/callback?provider=google-drive&connection_id=${connectionId}`,
      ConnectionSchema,
    );
    expect(connection).toMatchObject({
      provider: "google-drive",
      connection_id: connectionId,
      status: "active",
    });
    expect(await listConnections(tenant.client)).toEqual([connection]);
  });

  it("records a successful auth webhook as active and a failed one as failed, with why", async () => {
    const tenant = await createTenant();
    const connectionId = await connectTenant(tenant, "google-drive");
    expect(await listConnections(tenant.client)).toMatchObject([
      { provider: "google-drive", connection_id: connectionId, status: "active", error: null },
    ]);

    const failed = { tenantId: tenant.id, provider: "notion", connectionId: "notion-refused" };
    expect((await sendNangoWebhook(tenant.client, authWebhook(failed, false))).status).toBe(200);
    const notion = (await listConnections(tenant.client)).find((c) => c.provider === "notion");
    expect(notion).toMatchObject({
      status: "failed",
      error: "The connection failed: The user denied access",
    });
  });

  it("deletes a connection in Nango and here", async () => {
    const tenant = await createTenant();
    const connectionId = await connectTenant(tenant, "google-drive");
    await tenant.client.expectNoContent("DELETE", `${NANGO}/connections/google-drive`);
    expect(await listConnections(tenant.client)).toEqual([]);
    const deletions = (await nangoRequestsOf(connectionId)).filter((request) => request.method === "DELETE");
    expect(deletions.map((request) => request.path)).toEqual([
      `/connections/${connectionId}?provider_config_key=google-drive`,
    ]);
    // Nango no longer has it: the callback cannot bring it back.
    await tenant.client.expectProblem(
      404,
      "GET",
      `${NANGO}/callback?provider=google-drive&connection_id=${connectionId}`,
    );
  });
});

describe("syncing a connection into a collection", () => {
  it("imports Drive files, exports Google Docs, then picks up new, changed and removed files", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connectionId = await connectTenant(tenant, "google-drive");
    await setSourceFiles(connectionId, [
      driveFile("d1", "txt/norwich-city.txt"),
      {
        id: "d2",
        name: "Various",
        mimeType: GOOGLE_DOC,
        revision: "1",
        corpus: "docx/testWORD_various.docx",
      },
      { id: "d3", name: "notes.md", mimeType: "text/markdown", revision: "1", corpus: "md/simple-table.md" },
      { id: "d4", name: "photo.png", mimeType: "image/png", revision: "1", corpus: "md/simple-table.md" },
    ]);

    const first = await waitForSync(
      tenant.client,
      (await startSync(tenant.client, "google-drive", collection.id)).id,
    );
    expect(first).toMatchObject({ status: "completed", error: null, failures: [] });
    expect(first.progress).toEqual({
      files_found: 3,
      pending: 0,
      added: 3,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      removed: 0,
    });
    const imported = await documentsOf(tenant, collection.id);
    expect(imported.map((document) => document.filename).sort()).toEqual([
      "Various.docx",
      "norwich-city.txt",
      "notes.md",
    ]);
    for (const document of imported)
      expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
    const byName = Object.fromEntries(imported.map((document) => [document.filename, document]));
    expect(byName["Various.docx"]!.metadata).toEqual({
      source: "google-drive",
      external_id: "d2",
      revision: "1",
    });
    expect((await search(tenant, "Suddenly some Japanese"))[0]?.filename).toBe("Various.docx");

    // At the source: notes.md changed, the Google Doc was deleted, a presentation appeared.
    await setSourceFiles(connectionId, [
      driveFile("d1", "txt/norwich-city.txt"),
      {
        id: "d3",
        name: "notes.md",
        mimeType: "text/markdown",
        revision: "2",
        corpus: "md/readability-README.md",
      },
      {
        id: "d5",
        name: "Deck",
        mimeType: GOOGLE_SLIDES,
        revision: "7",
        corpus: "pptx/testPPT_various2.pptx",
      },
    ]);
    const requestsBefore = (await nangoRequestsOf(connectionId)).length;
    const second = await waitForSync(
      tenant.client,
      (await startSync(tenant.client, "google-drive", collection.id)).id,
    );
    expect(second).toMatchObject({ status: "completed", error: null, failures: [] });
    expect(second.progress).toMatchObject({ files_found: 3, added: 1, updated: 1, unchanged: 1, removed: 1 });

    const after = await documentsOf(tenant, collection.id);
    expect(after.map((document) => document.filename).sort()).toEqual([
      "Deck.pptx",
      "norwich-city.txt",
      "notes.md",
    ]);
    await tenant.client.expectProblem(404, "GET", `documents/${byName["Various.docx"]!.id}`);
    // The changed file keeps its document, with the new content ingested again.
    const notes = await waitForDocument(tenant, byName["notes.md"]!.id);
    expect(notes).toMatchObject({ status: "ready", metadata: { revision: "2" } });
    expect(notes.sha256).not.toBe(byName["notes.md"]!.sha256);
    expect(await contentOf(tenant, notes.id)).toContain("Readability");
    expect((await search(tenant, "Readability.js library"))[0]?.document_id).toBe(notes.id);
    // The unchanged file was not downloaded again.
    const downloads = (await nangoRequestsOf(connectionId))
      .slice(requestsBefore)
      .map((request) => request.path);
    expect(downloads.filter((path) => path.startsWith("/proxy/drive/v3/files/d1"))).toEqual([]);
    expect(downloads).toContain(
      `/proxy/drive/v3/files/d5/export?mimeType=${encodeURIComponent("application/vnd.openxmlformats-officedocument.presentationml.presentation")}`,
    );
  }, 120_000);

  it("imports Notion pages as Markdown under their titles", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connectionId = await connectTenant(tenant, "notion");
    await setSourceFiles(connectionId, [
      {
        id: "n1",
        name: "Team handbook",
        revision: "2026-11-01T10:00:00.000Z",
        corpus: "md/readability-README.md",
      },
      { id: "n2", name: "Pricing table", revision: "2026-11-02T10:00:00.000Z", corpus: "md/simple-table.md" },
      { id: "n3", name: "Roadmap", revision: "2026-11-03T10:00:00.000Z", corpus: "md/pypdf-extract-text.md" },
    ]);
    const sync = await waitForSync(
      tenant.client,
      (await startSync(tenant.client, "notion", collection.id)).id,
    );
    expect(sync).toMatchObject({ status: "completed", progress: { files_found: 3, added: 3 } });
    const imported = await documentsOf(tenant, collection.id);
    expect(imported.map((document) => document.filename).sort()).toEqual([
      "Pricing table.md",
      "Roadmap.md",
      "Team handbook.md",
    ]);
    const handbook = imported.find((document) => document.filename === "Team handbook.md")!;
    expect(await contentOf(tenant, handbook.id)).toMatch(/^# Team handbook\n\n/);
    expect((await waitForDocument(tenant, handbook.id)).status).toBe("ready");
  }, 60_000);

  it("lists per-file failures and goes on with the other files", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connectionId = await connectTenant(tenant, "google-drive");
    await setSourceFiles(connectionId, [
      driveFile("ok", "txt/norwich-city.txt"),
      // A PDF by name whose bytes are not a PDF.
      {
        id: "bad",
        name: "report.pdf",
        mimeType: "application/pdf",
        revision: "1",
        corpus: "md/simple-table.md",
      },
      {
        id: "gone",
        name: "missing.txt",
        mimeType: "text/plain",
        revision: "1",
        corpus: "txt/no-such-file.txt",
      },
    ]);
    const sync = await waitForSync(
      tenant.client,
      (await startSync(tenant.client, "google-drive", collection.id)).id,
    );
    expect(sync.status).toBe("completed");
    expect(sync.progress).toMatchObject({ files_found: 3, added: 1, failed: 2 });
    expect(sync.failures).toEqual([
      {
        external_id: "bad",
        name: "report.pdf",
        status: "failed",
        error: expect.stringContaining("is not a valid .pdf file"),
      },
      {
        external_id: "gone",
        name: "missing.txt",
        status: "failed",
        error: "The file could not be downloaded (500)",
      },
    ]);
  });

  it("refuses a second sync of a connection while one runs", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connectionId = await connectTenant(tenant, "google-drive");
    await setSourceFiles(connectionId, [driveFile("d1", "txt/norwich-city.txt")]);
    const first = await startSync(tenant.client, "google-drive", collection.id);
    const refused = await tenant.client.expectProblem(409, "POST", `${NANGO}/connections/google-drive/sync`, {
      json: { collection_id: collection.id },
    });
    expect(refused).toMatchObject({ code: "conflict", sync_id: first.id });
    await waitForSync(tenant.client, first.id);
  });
});
