import { expect } from "vitest";
import type { ApiClient } from "./api";
import { readCorpus } from "./corpus";
import type { TestTenant } from "./tenants";

export interface DocumentJson {
  id: string;
  status: "queued" | "processing" | "ready" | "failed";
  error: string | null;
  filename: string;
  page_count: number | null;
  chunk_count: number;
  token_count: number;
  progress: { pages_done: number; pages_total: number | null };
  duplicate?: boolean;
  [key: string]: unknown;
}

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
): Promise<DocumentJson> {
  const response = await uploadRequest(tenant.client, collectionId, filename, bytes);
  const text = await response.text();
  expect(response.status, `upload ${filename} → ${text}`).toBe(202);
  return JSON.parse(text);
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
    const document = await tenant.client.expectJson<DocumentJson>(200, "GET", `documents/${id}`);
    if (document.status === "ready" || document.status === "failed") return document;
    if (Date.now() > deadline)
      throw new Error(`document ${id} still ${document.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface SearchResultJson {
  chunk_id: string;
  document_id: string;
  filename: string;
  page: number | null;
  page_end: number | null;
  section: string | null;
  text: string;
  score: number;
}

export async function search(
  tenant: TestTenant,
  query: string,
  options: { mode?: string; top_k?: number; collection_ids?: string[] } = {},
): Promise<SearchResultJson[]> {
  const body = await tenant.client.expectJson(200, "POST", "search", { json: { query, ...options } });
  return body.results;
}
