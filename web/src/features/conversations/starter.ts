import type { TFunction } from "i18next";
import type { WorkspaceConversation } from "./api";

/** Who started a conversation, as the list shows it: you, a member's e-mail, an API key, a website visitor. */
export function starterLabel(
  conversation: Pick<WorkspaceConversation, "started_by" | "started_by_me">,
  t: TFunction,
): string {
  const starter = conversation.started_by;
  if (conversation.started_by_me) return t("conversations.you");
  if (!starter) return t("conversations.unknownStarter");
  switch (starter.type) {
    case "user":
      return starter.name ?? t("conversations.member", { id: starter.id });
    case "api_key":
      return t("conversations.apiKey", { name: starter.name ?? starter.id });
    case "visitor":
      return t("conversations.visitor");
  }
}
