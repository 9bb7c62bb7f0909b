import { readFileSync } from "node:fs";

const corpus = (path: string) => readFileSync(new URL(`../../../shared/corpus/${path}`, import.meta.url));

/** The API of the dev server as the tenant, through the development bypass or a key (set-up only). */
export function tenantApi(baseUrl: string, headers: Record<string, string>) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

/** Uploads a corpus file and waits until its ingestion is over. */
export async function uploadReady(baseUrl: string, tenantId: string, collectionId: string, path: string) {
  const form = new FormData();
  form.append("file", new Blob([corpus(path)]), path.split("/").pop());
  const response = await fetch(`${baseUrl}/api/v1/documents/upload/${collectionId}`, {
    method: "POST",
    headers: { "x-tenant-id": tenantId },
    body: form,
  });
  if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const call = tenantApi(baseUrl, { "x-tenant-id": tenantId });
  for (let attempt = 0; attempt < 240; attempt++) {
    const document = await call<{ status: string; error: string | null }>("GET", `documents/${id}`);
    if (document.status === "ready") return id;
    if (document.status === "failed") throw new Error(`ingestion failed: ${document.error}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("ingestion did not finish in 2 minutes");
}
