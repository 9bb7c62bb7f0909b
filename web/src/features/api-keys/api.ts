import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type ApiKey = Schemas["ApiKey"];

/** Query keys of this feature, built in one place. */
export const apiKeyKeys = { all: ["api-keys"] as const };

export const apiKeysQuery = () =>
  queryOptions({
    queryKey: apiKeyKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/api-keys", { params: { query: { limit: 100 } } })),
  });

export const useApiKeys = () => useQuery(apiKeysQuery());

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: "member" | "admin" }) =>
      unwrap(api.POST("/api/v1/api-keys", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}

export function useRevokeApiKey({ onRevoked }: { onRevoked: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
      onRevoked();
    },
  });
}
