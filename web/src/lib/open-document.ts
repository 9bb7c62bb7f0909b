import { ApiError, apiErrorFrom, authHeaders } from "@/api/client";

/** The fragment that opens a PDF at a page in the browser's viewer (RFC 8118 `#page=`). */
export const pageFragment = (page: number | null | undefined) => (page && page > 0 ? `#page=${page}` : "");

/** The original file of a document, fetched with the console's credentials (a link cannot send them). */
async function fetchOriginal(documentId: string): Promise<Blob> {
  const response = await fetch(`/api/v1/documents/${encodeURIComponent(documentId)}/content`, {
    headers: await authHeaders(),
  });
  if (!response.ok) throw await apiErrorFrom(response);
  return response.blob();
}

/**
 * Shows a fetched file in a tab titled with the document's name (a blob URL alone would title the
 * tab with its random id): a page of the console's origin holding the browser's viewer.
 */
function showInTab(tab: Window, url: string, title: string) {
  const page = tab.document;
  page.title = title;
  page.body.style.margin = "0";
  const frame = page.createElement("iframe");
  frame.src = url;
  frame.title = title;
  frame.style.cssText = "border:0;width:100vw;height:100vh;display:block";
  page.body.replaceChildren(frame);
}

/**
 * Opens a document's original file in a new tab, at `page` for PDFs, the tab titled `filename`.
 * The tab is opened at once (popup blockers allow it only during the click) and given the file
 * once it is fetched.
 */
export async function openDocumentAt(
  documentId: string,
  page?: number | null,
  filename?: string,
): Promise<void> {
  const tab = window.open("", "_blank");
  try {
    const url = URL.createObjectURL(await fetchOriginal(documentId));
    if (tab && filename) showInTab(tab, `${url}${pageFragment(page)}`, filename);
    else if (tab) tab.location.href = `${url}${pageFragment(page)}`;
    else window.location.assign(`${url}${pageFragment(page)}`);
    // The tab holds its own reference once loaded; free ours after a while.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    throw error instanceof ApiError ? error : ApiError.network();
  }
}

/** Downloads a document's original file under its real name. */
export async function downloadDocument(documentId: string, filename: string): Promise<void> {
  let blob: Blob;
  try {
    blob = await fetchOriginal(documentId);
  } catch (error) {
    throw error instanceof ApiError ? error : ApiError.network();
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
