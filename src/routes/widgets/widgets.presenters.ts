import type { z } from "@hono/zod-openapi";
import type { WidgetState } from "../../services/widgets/widgets.service";
import type { WidgetSchema } from "./widgets.schemas";

export const presentPublicWidget = (widget: WidgetState) => ({
  title: widget.title,
  greeting: widget.greeting,
  primary_color: widget.primaryColor,
  position: widget.position,
  language: widget.language,
  suggested_questions: widget.suggestedQuestions,
});

export const presentWidget = (widget: WidgetState): z.infer<typeof WidgetSchema> => ({
  enabled: widget.enabled,
  publishable_key: widget.publishableKey,
  allowed_origins: widget.allowedOrigins,
  refused_origins: widget.refusedOrigins.map(({ origin, lastSeenAt }) => ({
    origin,
    last_seen_at: lastSeenAt,
  })),
  ...presentPublicWidget(widget),
  budgets: {
    visitor_messages_per_hour: widget.visitorMessagesPerHour,
    visitor_messages_per_day: widget.visitorMessagesPerDay,
    assistant_messages_per_hour: widget.assistantMessagesPerHour,
    assistant_messages_per_day: widget.assistantMessagesPerDay,
  },
  created_at: widget.createdAt,
  updated_at: widget.updatedAt,
});
