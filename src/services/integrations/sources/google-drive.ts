import { contentTypes, formatFromFilename } from "../../../ingest/detect-format";
import type { Source, SourceFile } from "./types";

// Google's own formats have no file to download: Docs and Slides are exported to Office formats,
// which keep their headings, lists and slides for ingestion.
const exported: Record<string, { mimeType: string; extension: string }> = {
  "application/vnd.google-apps.document": { mimeType: contentTypes.docx, extension: "docx" },
  "application/vnd.google-apps.presentation": { mimeType: contentTypes.pptx, extension: "pptx" },
};

interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  version?: string;
  modifiedTime?: string;
}

const PAGE_SIZE = 100;

function toSourceFile(file: DriveFile): SourceFile | undefined {
  const revision = file.version ?? file.modifiedTime ?? "";
  const asExport = exported[file.mimeType];
  if (asExport) {
    return { externalId: file.id, name: `${file.name}.${asExport.extension}`, revision, kind: file.mimeType };
  }
  // Anything Ancre cannot ingest (images, spreadsheets, folders) is left at the source.
  if (!formatFromFilename(file.name)) return undefined;
  return { externalId: file.id, name: file.name, revision, kind: file.mimeType };
}

/** Google Drive (Drive API v3): every file the connection can read, outside the trash. */
export const googleDrive: Source = {
  async listPage(nango, target, cursor) {
    const query = new URLSearchParams({
      q: "trashed = false and mimeType != 'application/vnd.google-apps.folder'",
      fields: "nextPageToken, files(id, name, mimeType, version, modifiedTime)",
      pageSize: String(PAGE_SIZE),
    });
    if (cursor) query.set("pageToken", cursor);
    const response = await nango.proxy(target, `/drive/v3/files?${query}`);
    const page = (await response.json()) as { files?: DriveFile[]; nextPageToken?: string };
    return {
      files: (page.files ?? []).flatMap((file) => toSourceFile(file) ?? []),
      nextCursor: page.nextPageToken ?? null,
    };
  },

  async download(nango, target, file) {
    const id = encodeURIComponent(file.externalId);
    const asExport = exported[file.kind];
    const path = asExport
      ? `/drive/v3/files/${id}/export?${new URLSearchParams({ mimeType: asExport.mimeType })}`
      : `/drive/v3/files/${id}?alt=media`;
    return (await nango.proxy(target, path)).blob();
  },
};
