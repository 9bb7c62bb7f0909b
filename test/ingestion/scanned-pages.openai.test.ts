import { env } from "cloudflare:workers";
import { unzlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { OCR_SECTION } from "../../src/ingest/parse";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { search, upload, uploadCorpus, waitForDocument } from "../helpers/documents";
import { pagesPdf } from "../helpers/pages-pdf";
import { createCollection, createTenant } from "../helpers/tenants";

/**
 * Runs in the "openai" project, where VISION_MODEL names a model of the Chat Completions fake:
 * a request with a picture is answered with a fixed lorem ipsum holding the word "Quokkaflorin".
 */

const MARKER = "Quokkaflorin";

interface ReceivedImage {
  model: string;
  url: string;
}

async function receivedImages(): Promise<ReceivedImage[]> {
  const base = (env.OPENAI_BASE_URL as string).replace(/\/v1$/, "");
  const body = (await (await fetch(`${base}/__images`)).json()) as { images: ReceivedImage[] };
  return body.images.filter((image) => image.model === env.VISION_MODEL);
}

/** The PNG's header fields, and its pixels inflated, from a `data:image/png;base64,` URL. */
function readPng(url: string) {
  const prefix = "data:image/png;base64,";
  expect(url.startsWith(prefix)).toBe(true);
  const bytes = Uint8Array.from(atob(url.slice(prefix.length)), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const chunks = new Map<string, Uint8Array[]>();
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(bytes.subarray(at + 4, at + 8));
    chunks.set(type, [...(chunks.get(type) ?? []), bytes.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  const idat = chunks.get("IDAT") ?? [];
  const compressed = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of idat) {
    compressed.set(part, offset);
    offset += part.length;
  }
  return {
    signature: [...bytes.subarray(0, 8)],
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24],
    colourType: bytes[25],
    inflatedLength: unzlibSync(compressed).length,
  };
}

describe("a scanned PDF with a vision model configured", () => {
  it("is read by the model: its text is searchable at its page, marked as OCR, its tokens counted", {
    timeout: 60_000,
  }, async () => {
    const before = (await receivedImages()).length;
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const uploaded = await uploadCorpus(tenant, collection.id, "pdf/loremipsum-flat.pdf");
    const document = await waitForDocument(tenant, uploaded.id);

    expect(document.error).toBeNull();
    expect(document.status).toBe("ready");
    expect(document.warnings).toEqual([]);
    const [hit] = await search(tenant, MARKER, { mode: "keyword", collection_ids: [collection.id] });
    expect(hit?.text).toContain(MARKER);
    expect(hit?.page).toBe(1);
    expect(hit?.section).toBe(OCR_SECTION);

    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.ingested_pages.used).toBe(1);
    // The fake prices the picture at 765 prompt tokens, and reports the instruction and answer too.
    expect(usage.metrics.llm_tokens.used).toBeGreaterThan(765);
    expect(usage.metrics.llm_tokens.reserved).toBe(0);

    // The page went out as a PNG: the 1700×2200 scan shrunk to 2048 pixels on its longest side.
    const images = (await receivedImages()).slice(before);
    expect(images).toHaveLength(1);
    const png = readPng(images[0]!.url);
    expect(png.signature).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([png.width, png.height]).toEqual([1583, 2048]);
    expect([png.bitDepth, png.colourType]).toEqual([8, 2]); // 8-bit RGB, as the JPEG was
    expect(png.inflatedLength).toBe((1583 * 3 + 1) * 2048); // a filter byte, then RGB, each row
  });

  it("ingests a 12-page scan through the queue in messages sized by their work, each page read once", {
    timeout: 60_000,
  }, async () => {
    const before = (await receivedImages()).length;
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const scans = pagesPdf(Array.from({ length: 12 }, () => "scan" as const));
    const uploaded = await upload(tenant, collection.id, "scans.pdf", scans);
    const document = await waitForDocument(tenant, uploaded.id);

    expect(document.status).toBe("ready");
    expect(document.page_count).toBe(12);
    expect((await receivedImages()).length - before).toBe(12);
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.ingested_pages.used).toBe(12);
    // Three messages of 5, 5 and 2 pages: their transcriptions chunked per message.
    const hits = await search(tenant, MARKER, {
      mode: "keyword",
      collection_ids: [collection.id],
      top_k: 10,
    });
    expect(hits.map((hit) => hit.page).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 6, 11]);
  });
});
