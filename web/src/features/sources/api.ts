import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Query keys of this feature, built in one place. */
export const sourceKeys = {
  passage: (documentId: string, chunkId: string, page: number | null) =>
    ["documents", documentId, "passage", chunkId, page] as const,
};

/** The text a citation points into: its page, slide or section, with the cited chunk's place. */
export const passageQuery = (citation: { document_id: string; chunk_id: string; page: number | null }) =>
  queryOptions({
    queryKey: sourceKeys.passage(citation.document_id, citation.chunk_id, citation.page),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/documents/{document_id}/passage", {
          params: {
            path: { document_id: citation.document_id },
            query: { chunk_id: citation.chunk_id, page: citation.page ?? undefined },
          },
        }),
      ),
    staleTime: 5 * 60_000,
  });
