import { keepPreviousData, queryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { ApiError, api, apiErrorFrom, authHeaders, type Schemas, unwrap } from "@/api/client";

export type WorkspaceConversation = Schemas["WorkspaceConversation"];

/** What narrows the list: an assistant, a range of days (YYYY-MM-DD, both included). */
export interface ConversationFilter {
  assistantId?: string;
  from?: string;
  to?: string;
}

/** Query keys of this feature, built in one place. */
export const conversationKeys = {
  all: ["workspace-conversations"] as const,
  list: (filter: ConversationFilter) => [...conversationKeys.all, "list", filter] as const,
  history: (assistantId: string, conversationId: string) =>
    [...conversationKeys.all, "history", assistantId, conversationId] as const,
};

const PAGE_SIZE = 50;

const filterQuery = (filter: ConversationFilter) => ({
  assistant_id: filter.assistantId || undefined,
  from: filter.from || undefined,
  to: filter.to || undefined,
});

/** The workspace's conversations, newest first, a page at a time. */
export function useWorkspaceConversations(filter: ConversationFilter) {
  return useInfiniteQuery({
    queryKey: conversationKeys.list(filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/conversations", {
          params: { query: { ...filterQuery(filter), limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** One conversation with its messages, read only. */
export const conversationHistoryQuery = (assistantId: string, conversationId: string) =>
  queryOptions({
    queryKey: conversationKeys.history(assistantId, conversationId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/chat/{assistant_id}/conversations/{conversation_id}", {
          params: { path: { assistant_id: assistantId, conversation_id: conversationId } },
        }),
      ),
  });

/** Downloads the filtered conversations as CSV or JSON, under the name the API gives the file. */
export async function downloadExport(format: "csv" | "json", filter: ConversationFilter): Promise<void> {
  const query = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filterQuery(filter))) if (value) query.set(key, value);
  let response: Response;
  try {
    response = await fetch(`/api/v1/conversations/export?${query}`, { headers: await authHeaders() });
  } catch {
    throw ApiError.network();
  }
  if (!response.ok) throw await apiErrorFrom(response);
  const filename =
    /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ??
    `conversations.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
