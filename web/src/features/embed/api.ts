import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type Widget = Schemas["Widget"];
export type PublishWidgetBody = Schemas["PublishWidget"];

/** Query keys of this feature, built in one place. */
export const embedKeys = {
  assistant: (assistantId: string) => ["assistants", assistantId] as const,
  widget: (assistantId: string) => ["assistants", assistantId, "widget"] as const,
};

const path = (assistantId: string) => ({ params: { path: { assistant_id: assistantId } } });

export const assistantQuery = (assistantId: string) =>
  queryOptions({
    queryKey: embedKeys.assistant(assistantId),
    queryFn: () => unwrap(api.GET("/api/v1/assistants/{assistant_id}", path(assistantId))),
  });

export const widgetQuery = (assistantId: string) =>
  queryOptions({
    queryKey: embedKeys.widget(assistantId),
    queryFn: () => unwrap(api.GET("/api/v1/assistants/{assistant_id}/widget", path(assistantId))),
  });

export const useAssistant = (assistantId: string) => useQuery(assistantQuery(assistantId));
export const useWidget = (assistantId: string) => useQuery(widgetQuery(assistantId));

/** A mutation whose answer is the widget as it now is: it replaces the cached one. */
function useWidgetMutation<Input>(assistantId: string, call: (input: Input) => Promise<Widget>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (widget) => queryClient.setQueryData(embedKeys.widget(assistantId), widget),
  });
}

/** Saves every setting and enables the widget (the first time, its key is minted). */
export const usePublishWidget = (assistantId: string) =>
  useWidgetMutation(assistantId, (body: PublishWidgetBody) =>
    unwrap(api.PUT("/api/v1/assistants/{assistant_id}/widget", { ...path(assistantId), body })),
  );

/** Adds one site to the allowed ones, leaving the other settings as saved. */
export const useAllowOrigin = (assistantId: string) =>
  useWidgetMutation(assistantId, (origin: string) =>
    unwrap(
      api.POST("/api/v1/assistants/{assistant_id}/widget/allowed-origins", {
        ...path(assistantId),
        body: { origin },
      }),
    ),
  );

export const useRotateKey = (assistantId: string) =>
  useWidgetMutation(assistantId, () =>
    unwrap(api.POST("/api/v1/assistants/{assistant_id}/widget/rotate", path(assistantId))),
  );

/** Disables the widget (204), then reads it back. */
export function useDisableWidget(assistantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/assistants/{assistant_id}/widget", path(assistantId))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: embedKeys.widget(assistantId) }),
  });
}
