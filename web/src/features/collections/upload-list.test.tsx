import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Schemas } from "@/api/client";
import { ApiError } from "@/api/client";
import { type Tenant, TenantContext } from "@/features/auth/tenant-context";
import { i18n, initI18n } from "@/i18n";
import type { DocumentItem } from "./api";
import { UploadList } from "./components/upload-list";
import type { UploadItem } from "./upload-queue";

const accepted: Schemas["UploadedDocument"] = {
  id: "doc_scan",
  collection_id: "col_1",
  filename: "scan.pdf",
  content_type: "application/pdf",
  size_bytes: 2048,
  sha256: "0".repeat(64),
  status: "queued",
  error: null,
  error_code: null,
  page_count: null,
  language: null,
  chunk_count: 0,
  token_count: 0,
  progress: { pages_done: 0, pages_total: null },
  warnings: [],
  metadata: null,
  created_at: "2026-12-07T06:00:00.000Z",
  updated_at: "2026-12-07T06:00:00.000Z",
  duplicate: false,
};

const failedLater: DocumentItem = {
  ...accepted,
  status: "failed",
  error:
    "the PDF has no text layer (it looks scanned); OCR would be needed to read it, which a vision model can do (set VISION_MODEL)",
  error_code: "no_text_layer",
};

const file = (name: string) => new File([new Uint8Array(2048)], name);
const sent: UploadItem = { id: "u1", file: file("scan.pdf"), state: "done", sent: 2048, document: accepted };
const program = new ApiError(415, {
  type: "https://ancre.dev/problems/file-type-mismatch",
  title: "File content does not match its extension",
  status: 415,
  detail: "The content of setup.pdf is not a valid .pdf file: it looks like a program (an executable).",
  code: "file_type_mismatch",
  request_id: "req_1",
  declared_format: "pdf",
  detected_type: "executable",
});
const refused: UploadItem = { id: "u2", file: file("setup.pdf"), state: "failed", sent: 0, error: program };

function renderAs(role: Tenant["role"], documents: DocumentItem[], items: UploadItem[] = [sent]) {
  const tenant = { id: "ten_1", name: "Atelier", plan: "free", role } as Tenant;
  render(
    <TenantContext.Provider value={{ tenant, tenants: [tenant], switchTenant: () => {} }}>
      <UploadList items={items} documents={documents} onDismiss={() => {}} onClear={() => {}} />
    </TenantContext.Provider>,
  );
  return screen.getByRole("region", { name: i18n.t("documents.uploadsTitle") });
}

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(cleanup);

describe("the upload list", () => {
  it("follows a sent file to the state the collection's list gives it, never a bare 'Uploaded'", () => {
    const list = renderAs("member", [failedLater]);
    const line = within(list).getByRole("listitem");
    expect(within(line).getByText("Failed")).toBeTruthy();
    expect(line.textContent).not.toMatch(/Uploaded|Queued/);
    expect(line.textContent).toContain("This PDF is a scan");
  });

  it("names the server's setting to an admin, and not to a member", () => {
    const member = renderAs("member", [failedLater]);
    expect(member.textContent).not.toContain("VISION_MODEL");
    expect(member.textContent).toContain("ask an owner or admin");
    cleanup();
    const admin = renderAs("admin", [failedLater]);
    expect(admin.textContent).toContain("set VISION_MODEL");
  });

  it("shows a file still being indexed as queued until the list says otherwise", () => {
    const list = renderAs("owner", []);
    expect(within(list).getByText("Queued")).toBeTruthy();
  });

  it("says in French what a refused file really is, and what to do", async () => {
    await i18n.changeLanguage("fr");
    try {
      const list = renderAs("member", [], [refused]);
      expect(list.textContent).toContain("Non envoyé");
      expect(list.textContent).toContain(
        "Ce fichier n'est pas un PDF : son contenu est un programme (un exécutable).",
      );
      expect(list.textContent).toContain("Enregistrez-le ou exportez-le en .pdf");
    } finally {
      await i18n.changeLanguage("en");
    }
  });
});
