import { describe, expect, it } from "vitest";
import type { Schemas } from "@/api/client";
import { documentsRefetchInterval } from "./api";
import {
  nextToStart,
  PARALLEL_UPLOADS,
  percentSent,
  type UploadItem,
  uploadQueueReducer,
} from "./upload-queue";

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

function queueOf(count: number): UploadItem[] {
  const files = Array.from({ length: count }, (_, index) => file(`file-${index}.pdf`, 1000));
  return uploadQueueReducer([], { type: "add", files, ids: files.map((_, index) => `u${index}`) });
}

describe("the upload queue", () => {
  it("keeps files waiting in the order they were dropped", () => {
    const items = queueOf(3);
    expect(items.map((item) => [item.file.name, item.state])).toEqual([
      ["file-0.pdf", "waiting"],
      ["file-1.pdf", "waiting"],
      ["file-2.pdf", "waiting"],
    ]);
  });

  it("starts no more than the parallel allowance, and the next one when a file finishes", () => {
    let items = queueOf(PARALLEL_UPLOADS + 2);
    const first = nextToStart(items);
    expect(first.map((item) => item.id)).toEqual(["u0", "u1"].slice(0, PARALLEL_UPLOADS));
    for (const item of first) items = uploadQueueReducer(items, { type: "start", id: item.id });
    expect(nextToStart(items)).toEqual([]);
    items = uploadQueueReducer(items, { type: "failed", id: "u0", error: new Error("offline") });
    expect(nextToStart(items).map((item) => item.id)).toEqual([`u${PARALLEL_UPLOADS}`]);
  });

  it("reports progress as a share of the file, and 100% once the API has the document", () => {
    let items = uploadQueueReducer(queueOf(1), { type: "start", id: "u0" });
    items = uploadQueueReducer(items, { type: "progress", id: "u0", sent: 250 });
    expect(percentSent(items[0]!)).toBe(25);
    const document = { id: "doc_1", duplicate: true } as Schemas["UploadedDocument"];
    items = uploadQueueReducer(items, { type: "done", id: "u0", document });
    expect(percentSent(items[0]!)).toBe(100);
    expect(items[0]?.document?.duplicate).toBe(true);
  });

  it("clears finished and failed files but keeps those still to send", () => {
    let items = queueOf(3);
    items = uploadQueueReducer(items, { type: "start", id: "u0" });
    items = uploadQueueReducer(items, {
      type: "done",
      id: "u0",
      document: {} as Schemas["UploadedDocument"],
    });
    items = uploadQueueReducer(items, { type: "start", id: "u1" });
    items = uploadQueueReducer(items, { type: "failed", id: "u1", error: null });
    items = uploadQueueReducer(items, { type: "clearFinished" });
    expect(items.map((item) => item.id)).toEqual(["u2"]);
  });
});

describe("the document list's polling", () => {
  const withStatus = (status: Schemas["Document"]["status"]) => ({ status }) as Schemas["Document"];

  it("polls while a document is queued or processing, and stops once all are ready or failed", () => {
    expect(documentsRefetchInterval([withStatus("ready"), withStatus("processing")])).toBeGreaterThan(0);
    expect(documentsRefetchInterval([withStatus("queued")])).toBeGreaterThan(0);
    expect(documentsRefetchInterval([withStatus("ready"), withStatus("failed")])).toBe(false);
    expect(documentsRefetchInterval(undefined)).toBe(false);
  });
});
