import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { countingD1 } from "../helpers/db";
import { droppingQueue, requestCtx } from "../helpers/ingestion";
import { createCollection, createTenant } from "../helpers/tenants";

/** An upload as a request in `wnam` makes it, counting its D1 round trips before its 202. */
async function countedUpload(tenantId: string, collectionId: string, text: string) {
  const trips = { count: 0 };
  const after: Promise<unknown>[] = [];
  const deps: Deps = {
    ...depsFor({ ...env, DB: countingD1(trips) } as Env),
    ingestQueue: droppingQueue().queue,
    afterResponse: (work) => after.push(work),
  };
  const { duplicate } = await uploadDocument({
    ctx: { ...requestCtx(tenantId), region: "wnam" },
    deps,
    input: { collectionId, filename: "note.txt", file: new File([text], "note.txt") },
  });
  const before202 = trips.count;
  await Promise.all(after);
  return { duplicate, before202 };
}

it("answers a new upload after two D1 round trips: the collection and identical content read together, then the row", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const upload = await countedUpload(tenant.id, collection.id, "A note on the tides of the estuary.");
  expect(upload).toEqual({ duplicate: false, before202: 2 });
  // Identical content is found by the same one read.
  const again = await countedUpload(tenant.id, collection.id, "A note on the tides of the estuary.");
  expect(again).toEqual({ duplicate: true, before202: 1 });
});
