import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { i18n, initI18n } from "@/i18n";
import { type NangoSync, syncPercent, syncRefetchInterval } from "./sync-progress";
import { SyncProgressView } from "./sync-progress-card";

const progress = {
  files_found: 0,
  pending: 0,
  added: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  removed: 0,
};

function syncOf(
  overrides: Partial<Omit<NangoSync, "progress">> & { progress?: Partial<NangoSync["progress"]> },
): NangoSync {
  return {
    id: "syn_1",
    provider: "google-drive",
    collection_id: "col_1",
    status: "importing",
    error: null,
    failures: [],
    created_at: "2026-11-29T10:00:00.000Z",
    updated_at: "2026-11-29T10:00:00.000Z",
    finished_at: null,
    ...overrides,
    progress: { ...progress, ...overrides.progress },
  };
}

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(cleanup);

describe("sync progress", () => {
  it("keeps polling while a sync runs and stops once it has completed, stopped or failed", () => {
    expect(syncRefetchInterval(undefined)).toBe(1500);
    for (const status of ["queued", "listing", "importing", "removing"] as const) {
      expect(syncRefetchInterval({ status })).toBe(1500);
    }
    for (const status of ["completed", "stopped", "failed"] as const) {
      expect(syncRefetchInterval({ status })).toBe(false);
    }
  });

  it("measures files handled over files found, and knows no total while listing", () => {
    expect(syncPercent(syncOf({ status: "listing" }))).toBeNull();
    expect(syncPercent(syncOf({ progress: { files_found: 8, pending: 6, added: 2 } }))).toBe(25);
    expect(syncPercent(syncOf({ status: "completed", progress: { files_found: 0 } }))).toBe(100);
  });

  it("shows each counter, the stop sentence and the files not imported with their reason", () => {
    render(
      <SyncProgressView
        sync={syncOf({
          status: "stopped",
          error: "The ingested pages quota of the free plan (100) is reached.",
          progress: {
            files_found: 7,
            pending: 1,
            added: 3,
            updated: 1,
            unchanged: 4,
            skipped: 2,
            failed: 1,
            removed: 5,
          },
          failures: [
            { external_id: "f9", name: "budget.xlsx", status: "failed", error: "Unsupported file type" },
          ],
        })}
      />,
    );
    const counter = (name: string) => screen.getByText(name).nextElementSibling?.textContent;
    expect([
      counter("Added"),
      counter("Updated"),
      counter("Unchanged"),
      counter("Skipped"),
      counter("Failed"),
      counter("Removed"),
    ]).toEqual(["3", "1", "4", "2", "1", "5"]);
    expect(screen.getByText("Stopped")).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe(
      "The ingested pages quota of the free plan (100) is reached.",
    );
    expect(screen.getByRole("progressbar", { name: "6 of 7 files" })).toBeTruthy();
    expect(screen.getByText("1 file not imported")).toBeTruthy();
    expect(screen.getByText("Unsupported file type").previousElementSibling?.textContent).toBe("budget.xlsx");
  });
});
