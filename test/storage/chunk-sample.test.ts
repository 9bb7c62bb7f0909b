import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { readOriginal } from "../helpers/corpus";
import { upload, uploadCorpus, waitForDocument } from "../helpers/documents";
import { shardRows } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

describe("sampling a document's chunks for a summary", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const long = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
  const short = await upload(
    tenant,
    collection.id,
    "ancre-backend.md",
    await readOriginal("000_394daf98beeccaf7.txt"),
  );
  for (const document of [long, short])
    expect((await waitForDocument(tenant, document.id)).status).toBe("ready");
  const shard = env.SEARCH_SHARD.getByName(vectorIndexName(tenant.id));
  const positionsOf = async (documentId: string) =>
    (
      await shardRows<{ position: number }>(
        tenant.id,
        "SELECT position FROM chunks WHERE document_id = ? ORDER BY position",
        documentId,
      )
    ).map((row) => row.position);

  it("takes the first chunk of each of n equal runs of a long document, in the documents' order", async () => {
    const longPositions = await positionsOf(long.id);
    const shortPositions = await positionsOf(short.id);
    const perDocument = 4;
    expect(longPositions.length).toBeGreaterThan(perDocument * 3);
    expect(shortPositions.length).toBeGreaterThan(perDocument);
    const sample = await shard.sampleChunks(
      [
        { documentId: short.id, generation: 1 },
        { documentId: long.id, generation: 1 },
      ],
      perDocument,
    );
    const evenly = (positions: number[]) =>
      Array.from(
        { length: perDocument },
        (_, i) => positions[Math.ceil((i * positions.length) / perDocument)],
      );
    expect(sample.map((chunk) => [chunk.documentId, chunk.position])).toEqual([
      ...evenly(shortPositions).map((position) => [short.id, position]),
      ...evenly(longPositions).map((position) => [long.id, position]),
    ]);
    expect(sample.every((chunk) => chunk.text.length > 0)).toBe(true);
  });

  it("takes every chunk of a short document, and none of another generation", async () => {
    const all = await shard.sampleChunks([{ documentId: short.id, generation: 1 }], 1000);
    expect(all.map((chunk) => chunk.position)).toEqual(await positionsOf(short.id));
    expect(await shard.sampleChunks([{ documentId: short.id, generation: 2 }], 1000)).toEqual([]);
  });
});
