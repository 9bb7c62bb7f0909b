import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import type { IngestMessage } from "../../src/queues/messages";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { readCorpus } from "./corpus";
import { createCollection, type TestTenant } from "./tenants";

/** The full context of a tenant's request, for the document verbs (upload, reindex, delete). */
export const requestCtx = (tenantId: string) => ({
  tenantId,
  actor: { type: "dev" as const, userId: "dev" },
  role: "owner" as const,
  requestId: "test",
});

/** A queue that records what is sent and delivers nothing: every message is lost. */
export function droppingQueue() {
  const send = vi.fn();
  return {
    queue: { send } as unknown as Deps["ingestQueue"],
    sent: () => send.mock.calls.map(([message]) => message as IngestMessage),
  };
}

/** The test bindings' dependencies with a dropping queue (and `overrides`). */
export function depsDroppingMessages(overrides: Partial<Deps> = {}) {
  const dropping = droppingQueue();
  const deps: Deps = { ...depsFor(env), ingestQueue: dropping.queue, ...overrides };
  return { deps, sent: dropping.sent };
}

/** A document as upload leaves it, with the queue message captured instead of sent. */
export async function queuedDocument(
  tenant: TestTenant,
  path = "txt/norwich-city.txt",
): Promise<IngestMessage> {
  const collection = await createCollection(tenant);
  const { deps, sent } = depsDroppingMessages();
  await uploadDocument({
    ctx: requestCtx(tenant.id),
    deps,
    input: {
      collectionId: collection.id,
      filename: path.split("/").at(-1)!,
      file: new Blob([await readCorpus(path)]),
    },
  });
  expect(sent()).toHaveLength(1);
  return sent()[0]!;
}

/** The test bindings' dependencies with another embedding function. */
export function depsWithEmbedder(embed: Deps["embedder"]["embed"], base: Deps = depsFor(env)): Deps {
  return {
    ...base,
    embedder: { ...base.embedder, model: base.embedder.model, dimensions: base.embedder.dimensions, embed },
  };
}

/** A point where a test holds a running verb: `reached` resolves when the verb arrives, `open` lets it on. */
export function gate() {
  let arrive!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    reached,
    open,
    /** Called by the held verb: signals arrival, then waits until the test opens the gate. */
    pass: async () => {
      arrive();
      await opened;
    },
  };
}
