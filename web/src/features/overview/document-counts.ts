import type { Schemas } from "@/api/client";

/** How many of the latest documents the overview counts (the API's largest page). */
export const DOCUMENT_SAMPLE = 100;

type Status = Schemas["Document"]["status"];

/** Documents by status (uploads still arriving count as queued) and their indexed passages. */
export function countDocuments(documents: Pick<Schemas["Document"], "status" | "chunk_count">[]) {
  const byStatus: Record<Exclude<Status, "uploading">, number> = {
    queued: 0,
    processing: 0,
    ready: 0,
    failed: 0,
  };
  let chunks = 0;
  for (const document of documents) {
    byStatus[document.status === "uploading" ? "queued" : document.status] += 1;
    chunks += document.chunk_count;
  }
  return { total: documents.length, byStatus, chunks };
}
