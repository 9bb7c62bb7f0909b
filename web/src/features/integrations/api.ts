import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, type Schemas, unwrap } from "@/api/client";
import { syncRefetchInterval } from "./sync-progress";

export type Connection = Schemas["NangoConnection"];

/** Query keys of this feature, built in one place. */
export const integrationKeys = {
  connections: ["integrations", "connections"] as const,
  sync: (syncId: string) => ["integrations", "syncs", syncId] as const,
  collections: ["collections", "all"] as const,
};

/** Nango is optional: `not_configured` is the page's set-up state, not a failure to retry. */
export const isNotConfigured = (error: unknown) =>
  error instanceof ApiError && error.problem?.code === "not_configured";

export const connectionsQuery = () =>
  queryOptions({
    queryKey: integrationKeys.connections,
    queryFn: () => unwrap(api.GET("/api/v1/integrations/nango/connections")),
    retry: (count, error) => !isNotConfigured(error) && count < 2,
  });

/** A sync's progress, polled until it finishes. */
export const syncQuery = (syncId: string) =>
  queryOptions({
    queryKey: integrationKeys.sync(syncId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/integrations/nango/syncs/{sync_id}", { params: { path: { sync_id: syncId } } }),
      ),
    refetchInterval: (query) => syncRefetchInterval(query.state.data),
  });

/** The collections a sync may import into. */
export const collectionChoicesQuery = () =>
  queryOptions({
    queryKey: integrationKeys.collections,
    queryFn: () => unwrap(api.GET("/api/v1/collections", { params: { query: { limit: 100 } } })),
  });

export function useDisconnect(providerId: string, { onDisconnected }: { onDisconnected: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/integrations/nango/connections/{provider}", {
          params: { path: { provider: providerId } },
        }),
      ),
    onSuccess: () => {
      onDisconnected();
      return queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
    },
  });
}

export function useStartSync(providerId: string, { onStarted }: { onStarted: (syncId: string) => void }) {
  return useMutation({
    mutationFn: (collectionId: string) =>
      unwrap(
        api.POST("/api/v1/integrations/nango/connections/{provider}/sync", {
          params: { path: { provider: providerId } },
          body: { collection_id: collectionId },
        }),
      ),
    onSuccess: (started) => onStarted(started.id),
  });
}

/** A Connect session; its link opens Nango's Connect UI in a new window. */
export function useConnectSession() {
  return useMutation({
    mutationFn: (providerId: string) =>
      unwrap(
        api.POST("/api/v1/integrations/nango/connect/{provider}", {
          params: { path: { provider: providerId } },
        }),
      ),
    onSuccess: (started) => {
      if (started.connect_link) window.open(started.connect_link, "_blank", "noopener");
    },
  });
}

/** Records a connection by the id Nango shows, without waiting for its webhook. */
export function useRecordConnection({ onRecorded }: { onRecorded: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ providerId, connectionId }: { providerId: string; connectionId: string }) =>
      unwrap(
        api.GET("/api/v1/integrations/nango/callback", {
          params: { query: { provider: providerId, connection_id: connectionId } },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
      onRecorded();
    },
  });
}
