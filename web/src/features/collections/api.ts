import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiErrorFrom, authHeaders, type Schemas, unwrap } from "@/api/client";

export type Collection = Schemas["Collection"];
export type DocumentItem = Schemas["Document"];

/** Query keys of this feature, built in one place. */
export const collectionKeys = {
  all: ["collections"] as const,
  one: (collectionId: string) => ["collections", collectionId] as const,
  documents: (collectionId: string) => ["documents", { collectionId }] as const,
};

const inProgress = (document: DocumentItem) =>
  document.status === "uploading" || document.status === "queued" || document.status === "processing";

/** Polling interval for a document list: every 1.5 s while anything is still being ingested. */
export function documentsRefetchInterval(documents: DocumentItem[] | undefined): number | false {
  return documents?.some(inProgress) ? 1500 : false;
}

export function useCollections() {
  return useQuery({
    queryKey: collectionKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/collections", { params: { query: { limit: 100 } } })),
  });
}

export function useCollection(collectionId: string) {
  return useQuery({
    queryKey: collectionKeys.one(collectionId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/collections/{collection_id}", { params: { path: { collection_id: collectionId } } }),
      ),
  });
}

export function useDocuments(collectionId: string) {
  return useQuery({
    queryKey: collectionKeys.documents(collectionId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/documents", { params: { query: { collection_id: collectionId, limit: 100 } } }),
      ),
    refetchInterval: (query) => documentsRefetchInterval(query.state.data?.data),
  });
}

export function useCreateCollection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description?: string | null }) =>
      unwrap(api.POST("/api/v1/collections", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collectionKeys.all }),
  });
}

export function useRenameCollection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ collectionId, name }: { collectionId: string; name: string }) =>
      unwrap(
        api.PATCH("/api/v1/collections/{collection_id}", {
          params: { path: { collection_id: collectionId } },
          body: { name },
        }),
      ),
    onSuccess: (collection) => {
      queryClient.setQueryData(collectionKeys.one(collection.id), collection);
      return queryClient.invalidateQueries({ queryKey: collectionKeys.all });
    },
  });
}

export function useDeleteCollection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (collectionId: string) =>
      unwrap(
        api.DELETE("/api/v1/collections/{collection_id}", {
          params: { path: { collection_id: collectionId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collectionKeys.all }),
  });
}

export function useDeleteDocument(collectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) =>
      unwrap(
        api.DELETE("/api/v1/documents/{document_id}", { params: { path: { document_id: documentId } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collectionKeys.documents(collectionId) }),
  });
}

export function useReindexDocument(collectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) =>
      unwrap(
        api.POST("/api/v1/documents/{document_id}/reindex", {
          params: { path: { document_id: documentId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collectionKeys.documents(collectionId) }),
  });
}

/**
 * Saves a document's original file. It is fetched with the console's credentials (a plain link
 * would not carry them), then handed to the browser as a download.
 */
export async function downloadDocument(document: DocumentItem) {
  const response = await fetch(`/api/v1/documents/${encodeURIComponent(document.id)}/content`, {
    headers: await authHeaders(),
  });
  if (!response.ok) throw await apiErrorFrom(response);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(globalThis.document.createElement("a"), {
    href: url,
    download: document.filename,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
