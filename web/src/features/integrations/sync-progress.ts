import type { Schemas } from "@/api/client";

export type NangoSync = Schemas["NangoSync"];

/** The providers the API can import from, as Nango's integration ids. */
export const PROVIDERS = [
  { id: "google-drive", name: "Google Drive" },
  { id: "notion", name: "Notion" },
] as const;

const FINISHED: ReadonlySet<NangoSync["status"]> = new Set(["completed", "stopped", "failed"]);

export function isSyncFinished(sync: Pick<NangoSync, "status">): boolean {
  return FINISHED.has(sync.status);
}

/** Polling interval for a sync: every 1.5 s until it has finished, then never again. */
export function syncRefetchInterval(sync: Pick<NangoSync, "status"> | undefined): number | false {
  return sync && isSyncFinished(sync) ? false : 1500;
}

/** The counters shown, in the order a reader expects them (what changed first). */
export const SYNC_COUNTERS = ["added", "updated", "unchanged", "skipped", "failed", "removed"] as const;

/**
 * How far the sync has got, in percent: files handled over files found. Null while the files are
 * still being listed (the total is not known yet).
 */
export function syncPercent(sync: Pick<NangoSync, "status" | "progress">): number | null {
  if (sync.status === "completed") return 100;
  const found = sync.progress.files_found;
  if (found === 0) return sync.status === "queued" || sync.status === "listing" ? null : 0;
  const handled = Math.max(0, found - sync.progress.pending);
  return Math.min(100, Math.round((handled / found) * 100));
}
