import type { z } from "@hono/zod-openapi";
import { DocumentSchema, UploadedDocumentSchema } from "../../src/routes/documents/documents.schemas";
import { SearchResponseSchema, type SearchResultSchema } from "../../src/routes/search/search.schemas";
import { type ApiClient, expectBody } from "./api";
import { readCorpus } from "./corpus";
import type { TestTenant } from "./tenants";
import { sleep } from "./text";

export type DocumentJson = z.infer<typeof DocumentSchema>;
export type SearchResultJson = z.infer<typeof SearchResultSchema>;

/** Posts a multipart upload as a browser or curl -F would. */
export function uploadRequest(
  client: ApiClient,
  collectionId: string,
  filename: string,
  bytes: Uint8Array,
  metadata?: string,
): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([bytes], filename));
  if (metadata !== undefined) form.append("metadata", metadata);
  return client.request("POST", `documents/upload/${collectionId}`, { body: form });
}

export async function upload(
  tenant: TestTenant,
  collectionId: string,
  filename: string,
  bytes: Uint8Array,
): Promise<z.infer<typeof UploadedDocumentSchema>> {
  const response = await uploadRequest(tenant.client, collectionId, filename, bytes);
  return expectBody(response, 202, UploadedDocumentSchema, `upload ${filename}`);
}

/** Uploads a file of ../shared/corpus under its own name (or `as`). */
export async function uploadCorpus(tenant: TestTenant, collectionId: string, path: string, as?: string) {
  return upload(tenant, collectionId, as ?? path.split("/").at(-1)!, await readCorpus(path));
}

/** Polls a document until ingestion has finished (ready or failed). */
export async function waitForDocument(
  tenant: TestTenant,
  id: string,
  timeoutMs = 60_000,
): Promise<DocumentJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = await tenant.client.expectJson(200, "GET", `documents/${id}`, DocumentSchema);
    if (document.status === "ready" || document.status === "failed") return document;
    if (Date.now() > deadline)
      throw new Error(`document ${id} still ${document.status} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

export async function search(
  tenant: TestTenant,
  query: string,
  options: { mode?: string; top_k?: number; collection_ids?: string[] } = {},
): Promise<SearchResultJson[]> {
  const body = await tenant.client.expectJson(200, "POST", "search", SearchResponseSchema, {
    json: { query, ...options },
  });
  return body.results;
}
