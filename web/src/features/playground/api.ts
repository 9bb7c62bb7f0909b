import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Query keys of this feature, built in one place. */
export const playgroundKeys = {
  assistants: ["assistants"] as const,
  conversations: (assistantId: string) => ["conversations", assistantId] as const,
};

export const assistantsQuery = () =>
  queryOptions({
    queryKey: playgroundKeys.assistants,
    queryFn: () => unwrap(api.GET("/api/v1/assistants", { params: { query: { limit: 100 } } })),
  });

/** An assistant's latest conversations, for the side list. */
export const conversationsQuery = (assistantId: string) =>
  queryOptions({
    queryKey: playgroundKeys.conversations(assistantId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/chat/{assistant_id}/conversations", {
          params: { path: { assistant_id: assistantId }, query: { limit: 50 } },
        }),
      ),
  });
