import { describe, expect, it } from "vitest";
import { countDocuments } from "./document-counts";

describe("countDocuments", () => {
  it("counts documents by status, uploads still arriving as queued, and adds up their passages", () => {
    const counts = countDocuments([
      { status: "ready", chunk_count: 40 },
      { status: "ready", chunk_count: 2 },
      { status: "processing", chunk_count: 5 },
      { status: "uploading", chunk_count: 0 },
      { status: "failed", chunk_count: 0 },
    ]);
    expect(counts).toEqual({
      total: 5,
      byStatus: { ready: 2, processing: 1, queued: 1, failed: 1 },
      chunks: 47,
    });
  });
});
