import type { TenantContext } from "../../src/context";
import type { BlobStore } from "../../src/storage/blob-store";

/**
 * A blob store whose puts wait until `finish` is called: uploads that are slow to reach R2.
 * `started(n)` resolves once n puts are waiting.
 */
export function slowBlobStore(inner: BlobStore) {
  let waiting = 0;
  const watchers: { count: number; resolve: () => void }[] = [];
  let finish!: () => void;
  const released = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const store = Object.create(inner) as BlobStore;
  store.put = async (...args: Parameters<BlobStore["put"]>) => {
    waiting += 1;
    for (const watcher of watchers) if (waiting >= watcher.count) watcher.resolve();
    await released;
    return inner.put(...args);
  };
  const started = (count = 1) =>
    new Promise<void>((resolve) => {
      if (waiting >= count) resolve();
      else watchers.push({ count, resolve });
    });
  return { store, started, finish };
}

/** The context of a request made by the development bypass in `tenantId`, for calling a verb directly. */
export const devContext = (tenantId: string): TenantContext => ({
  tenantId,
  actor: { type: "dev", userId: "dev" },
  role: "owner",
  requestId: "req_test",
});
