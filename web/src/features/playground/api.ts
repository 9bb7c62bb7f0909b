import { queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

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

export type Feedback = Schemas["MessageFeedback"];

/** Gives or changes the feedback on an answer (PUT …/messages/{message_id}/feedback). */
export function rateAnswer(input: {
  assistantId: string;
  conversationId: string;
  messageId: string;
  rating: Feedback["rating"];
  comment?: string | null;
}): Promise<Feedback> {
  return unwrap(
    api.PUT("/api/v1/chat/{assistant_id}/conversations/{conversation_id}/messages/{message_id}/feedback", {
      params: {
        path: {
          assistant_id: input.assistantId,
          conversation_id: input.conversationId,
          message_id: input.messageId,
        },
      },
      body:
        input.comment === undefined
          ? { rating: input.rating }
          : { rating: input.rating, comment: input.comment },
    }),
  );
}
