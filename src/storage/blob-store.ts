import { attachmentDisposition } from "../lib/filenames";
/** The prefix every R2 key of a tenant starts with. */
export function tenantPrefix(tenantId: string): string {
  return `tenants/${tenantId}/`;
}

/** Where a document's original file lives in R2: always under its tenant's prefix. */
export function originalKey(tenantId: string, documentId: string): string {
  return `${tenantPrefix(tenantId)}documents/${documentId}/original`;
}

export interface StoredFile {
  bytes: Uint8Array;
  contentType: string;
  /** R2's etag of this version of the object: another upload to the same key has another. */
  etag: string;
}

/** Original files in R2. Keys are always built from the tenant id (see originalKey). */
export class BlobStore {
  constructor(private readonly bucket: R2Bucket) {}

  async put(key: string, content: Blob | Uint8Array, contentType: string, filename: string): Promise<void> {
    await this.bucket.put(key, content, {
      httpMetadata: {
        contentType,
        contentDisposition: attachmentDisposition(filename),
      },
    });
  }

  /**
   * The object, or null when it is missing. With `unlessEtag`, "unchanged" when the object's etag is
   * still that one: only its metadata crossed the network.
   */
  async get(key: string): Promise<StoredFile | null>;
  async get(key: string, options: { unlessEtag?: string }): Promise<StoredFile | "unchanged" | null>;
  async get(key: string, options: { unlessEtag?: string } = {}): Promise<StoredFile | "unchanged" | null> {
    const object = await this.bucket.get(
      key,
      options.unlessEtag === undefined ? undefined : { onlyIf: { etagDoesNotMatch: options.unlessEtag } },
    );
    if (!object) return null;
    if (!("body" in object)) return "unchanged";
    return {
      bytes: new Uint8Array(await object.arrayBuffer()),
      contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
      etag: object.etag,
    };
  }

  /**
   * The object's size and a reader of its byte ranges (each a ranged GET), or null when it is missing:
   * a large PDF's batch reads only its pages' objects.
   */
  async ranges(
    key: string,
  ): Promise<{ size: number; read(offset: number, length: number): Promise<Uint8Array> } | null> {
    const head = await this.bucket.head(key);
    if (!head) return null;
    return {
      size: head.size,
      read: async (offset, length) => {
        const object = await this.bucket.get(key, { range: { offset, length } });
        if (!object) throw new Error(`${key} disappeared while it was read`);
        return new Uint8Array(await object.arrayBuffer());
      },
    };
  }

  /** The object as a stream, for downloads that should not be buffered. */
  async stream(key: string): Promise<R2ObjectBody | null> {
    return this.bucket.get(key);
  }

  async delete(keys: string[]): Promise<void> {
    // R2 deletes at most 1000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) await this.bucket.delete(keys.slice(i, i + 1000));
  }

  /** Deletes one page (up to 1000) of the objects under `prefix`; returns whether any remain. */
  async deletePageUnder(prefix: string): Promise<boolean> {
    const page = await this.bucket.list({ prefix, limit: 1000 });
    await this.delete(page.objects.map((object) => object.key));
    return page.truncated;
  }
}
