import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type Assistant = Schemas["Assistant"];
type AssistantBody = Schemas["CreateAssistant"];

/** Query keys of this feature, built in one place. */
export const assistantKeys = {
  all: ["assistants"] as const,
  limit: (tenantId: string) => ["assistants", "limit", tenantId] as const,
  collections: ["collections", "all"] as const,
};

export const assistantsQuery = () =>
  queryOptions({
    queryKey: assistantKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/assistants", { params: { query: { limit: 100 } } })),
  });

/** The workspace's details, for its plan's limit on assistants. */
export const assistantLimitQuery = (tenantId: string) =>
  queryOptions({
    queryKey: assistantKeys.limit(tenantId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } })),
  });

/** The collections an assistant may answer from, for its form. */
export const collectionChoicesQuery = () =>
  queryOptions({
    queryKey: assistantKeys.collections,
    queryFn: () => unwrap(api.GET("/api/v1/collections", { params: { query: { limit: 100 } } })),
  });

export const useAssistants = () => useQuery(assistantsQuery());

/** Creates an assistant, or saves `assistant`'s changes. */
export function useSaveAssistant(assistant: Assistant | undefined, { onSaved }: { onSaved: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AssistantBody) =>
      assistant
        ? unwrap(
            api.PATCH("/api/v1/assistants/{assistant_id}", {
              params: { path: { assistant_id: assistant.id } },
              body,
            }),
          )
        : unwrap(api.POST("/api/v1/assistants", { body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.all });
      onSaved();
    },
  });
}

export function useDeleteAssistant({ onDeleted }: { onDeleted: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/assistants/{assistant_id}", { params: { path: { assistant_id: id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.all });
      onDeleted();
    },
  });
}
