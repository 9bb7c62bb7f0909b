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

/**
 * The caller's own latest conversations with an assistant, newest first, for the side list: the
 * workspace's other conversations (members', visitors') are on the Conversations page.
 */
export const conversationsQuery = (assistantId: string) =>
  queryOptions({
    queryKey: playgroundKeys.conversations(assistantId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/conversations", {
          params: { query: { assistant_id: assistantId, started_by: "me", limit: 50 } },
        }),
      ),
  });
