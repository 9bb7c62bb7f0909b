import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type WebhookEndpoint = Schemas["WebhookEndpoint"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookEventType = Schemas["WebhookEventType"];
export type CreateWebhookEndpoint = Schemas["CreateWebhookEndpoint"];
export type UpdateWebhookEndpoint = Schemas["UpdateWebhookEndpoint"];

/** The events an endpoint can receive, in the order the form lists them. */
export const WEBHOOK_EVENT_TYPES: WebhookEventType[] = [
  "document.ready",
  "document.failed",
  "quota.threshold",
  "sync.completed",
  "conversation.created",
];

/** Query keys of this feature, built in one place. */
export const webhookKeys = {
  all: ["webhooks"] as const,
  list: () => [...webhookKeys.all, "list"] as const,
  deliveries: (endpointId: string) => [...webhookKeys.all, endpointId, "deliveries"] as const,
};

const path = (endpointId: string) => ({ params: { path: { webhook_id: endpointId } } });

export const webhooksQuery = () =>
  queryOptions({
    queryKey: webhookKeys.list(),
    queryFn: () => unwrap(api.GET("/api/v1/webhooks", { params: { query: { limit: 100 } } })),
  });

export const useWebhooks = () => useQuery(webhooksQuery());

/** An endpoint's latest deliveries, refreshed while one of them still waits for an answer. */
export const useWebhookDeliveries = (endpointId: string) =>
  useQuery({
    queryKey: webhookKeys.deliveries(endpointId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/webhooks/{webhook_id}/deliveries", {
          params: { path: { webhook_id: endpointId }, query: { limit: 20 } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.data.some(
        (delivery) => delivery.status === "pending" || delivery.status === "retrying",
      )
        ? 2000
        : false,
  });

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookEndpoint) => unwrap(api.POST("/api/v1/webhooks", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateWebhookEndpoint }) =>
      unwrap(api.PATCH("/api/v1/webhooks/{webhook_id}", { ...path(id), body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

export function useDeleteWebhook({ onDeleted }: { onDeleted: () => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/webhooks/{webhook_id}", path(id))),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhookKeys.list() });
      onDeleted();
    },
  });
}

export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/webhooks/{webhook_id}/rotate-secret", path(id))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

export function useSendTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/webhooks/{webhook_id}/test", path(id))),
    onSuccess: (_delivery, id) => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}
