import { ApiError, apiErrorFrom, authHeaders, type Schemas } from "@/api/client";

/** One file the user dropped, from its first byte sent to the API's answer. */
export interface UploadItem {
  id: string;
  file: File;
  state: "waiting" | "uploading" | "done" | "failed";
  /** Bytes sent so far, for the progress bar. */
  sent: number;
  /** The document the API made (or found, for a duplicate). */
  document?: Schemas["UploadedDocument"];
  error?: unknown;
}

export type UploadAction =
  | { type: "add"; files: File[]; ids: string[] }
  | { type: "start"; id: string }
  | { type: "progress"; id: string; sent: number }
  | { type: "done"; id: string; document: Schemas["UploadedDocument"] }
  | { type: "failed"; id: string; error: unknown }
  | { type: "dismiss"; id: string }
  | { type: "clearFinished" };

/** The upload list's state: files wait their turn, then are sent one by one (see nextToStart). */
export function uploadQueueReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  const update = (id: string, change: Partial<UploadItem>) =>
    items.map((item) => (item.id === id ? { ...item, ...change } : item));
  switch (action.type) {
    case "add":
      return [
        ...items,
        ...action.files.map((file, index) => ({
          id: action.ids[index]!,
          file,
          state: "waiting" as const,
          sent: 0,
        })),
      ];
    case "start":
      return update(action.id, { state: "uploading", sent: 0 });
    case "progress":
      return update(action.id, { sent: action.sent });
    case "done":
      return update(action.id, {
        state: "done",
        sent: items.find((item) => item.id === action.id)?.file.size ?? 0,
        document: action.document,
      });
    case "failed":
      return update(action.id, { state: "failed", error: action.error });
    case "dismiss":
      return items.filter((item) => item.id !== action.id);
    case "clearFinished":
      return items.filter((item) => item.state === "waiting" || item.state === "uploading");
  }
}

/** At most this many files are sent at once: enough to fill the link, few enough to show steady progress. */
export const PARALLEL_UPLOADS = 2;

/** The files to start now, keeping PARALLEL_UPLOADS on the wire. */
export function nextToStart(items: UploadItem[]): UploadItem[] {
  const running = items.filter((item) => item.state === "uploading").length;
  return items.filter((item) => item.state === "waiting").slice(0, Math.max(0, PARALLEL_UPLOADS - running));
}

/** Share of the queue's bytes sent, 0 to 100. */
export function percentSent(item: UploadItem): number {
  if (item.file.size === 0) return item.state === "done" ? 100 : 0;
  return Math.min(100, Math.round((item.sent / item.file.size) * 100));
}

/**
 * Sends one file as multipart form data through XHR, which (unlike fetch) reports upload
 * progress. Resolves with the API's document; rejects with an ApiError.
 */
export async function uploadFile(
  collectionId: string,
  file: File,
  onProgress: (sent: number) => void,
): Promise<Schemas["UploadedDocument"]> {
  const headers = await authHeaders();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/v1/documents/upload/${encodeURIComponent(collectionId)}`);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onerror = () => reject(ApiError.network());
    request.onload = async () => {
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { "Retry-After": request.getResponseHeader("Retry-After") ?? "" },
      });
      if (request.status >= 200 && request.status < 300) resolve(await response.json());
      else reject(await apiErrorFrom(response));
    };
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}
