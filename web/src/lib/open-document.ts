import { ApiError, apiErrorFrom, authHeaders } from "@/api/client";

/** The fragment that opens a PDF at a page in the browser's viewer (RFC 8118 `#page=`). */
export const pageFragment = (page: number | null | undefined) => (page && page > 0 ? `#page=${page}` : "");

/**
 * Opens a document's original file in a new tab, at `page` for PDFs. The download needs the
 * console's credentials (a header a link cannot send), so the tab is opened at once (popup
 * blockers allow it only during the click) and given the file once it is fetched.
 */
export async function openDocumentAt(documentId: string, page?: number | null): Promise<void> {
  const tab = window.open("", "_blank");
  try {
    const response = await fetch(`/api/v1/documents/${encodeURIComponent(documentId)}/content`, {
      headers: await authHeaders(),
    });
    if (!response.ok) throw await apiErrorFrom(response);
    const url = URL.createObjectURL(await response.blob());
    if (tab) tab.location.href = `${url}${pageFragment(page)}`;
    else window.location.assign(`${url}${pageFragment(page)}`);
    // The tab holds its own reference once loaded; free ours after a while.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    throw error instanceof ApiError ? error : ApiError.network();
  }
}
