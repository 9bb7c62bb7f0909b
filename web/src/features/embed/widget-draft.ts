import { ApiError } from "@/api/client";
import type { PublishWidgetBody, Widget } from "./api";

/** The Embed tab's form: the widget's settings as edited, before they are saved. */
export interface WidgetDraft {
  allowed_origins: string[];
  title: string;
  greeting: string;
  primary_color: string;
  position: Widget["position"];
  language: Widget["language"];
  suggested_questions: string[];
  budgets: Widget["budgets"];
}

export const MAX_SUGGESTED_QUESTIONS = 6;

export const draftOf = (widget: Widget): WidgetDraft => ({
  // A widget never published starts with one empty site to fill.
  allowed_origins: widget.allowed_origins.length > 0 ? [...widget.allowed_origins] : [""],
  title: widget.title,
  greeting: widget.greeting,
  primary_color: widget.primary_color,
  position: widget.position,
  language: widget.language,
  suggested_questions: [...widget.suggested_questions],
  budgets: { ...widget.budgets },
});

/** The PUT body: empty rows left out. */
export const bodyOf = (draft: WidgetDraft): PublishWidgetBody => ({
  allowed_origins: draft.allowed_origins.map((origin) => origin.trim()).filter(Boolean),
  title: draft.title,
  greeting: draft.greeting,
  primary_color: draft.primary_color,
  position: draft.position,
  language: draft.language,
  suggested_questions: draft.suggested_questions.map((question) => question.trim()).filter(Boolean),
  budgets: draft.budgets,
});

/** /widget/preview with the draft's look: the real widget script, framed by the Embed tab. */
export function previewPath(draft: WidgetDraft): string {
  const query = new URLSearchParams({
    title: draft.title,
    greeting: draft.greeting,
    primary_color: draft.primary_color,
    position: draft.position,
    language: draft.language,
  });
  for (const question of draft.suggested_questions) if (question.trim()) query.append("q", question.trim());
  return `/widget/preview?${query}`;
}

/** The tag a site pastes, as docs/widget.md gives it. */
export const snippetOf = (origin: string, key: string) =>
  `<script src="${origin}/widget/v1.js" data-key="${key}" async></script>`;

/**
 * The API's validation messages by field of the form (`allowed_origins.2`, `title`,
 * `budgets.visitor_messages_per_hour`), from a 400 problem's `errors[].field` (`json.…`).
 * `rows` maps an index of the sent list back to the form's row (empty rows are not sent).
 */
export function fieldErrors(error: unknown, rows: number[]): Map<string, string> {
  const messages = new Map<string, string>();
  if (!(error instanceof ApiError) || error.problem?.code !== "validation_failed") return messages;
  for (const { field, message } of error.problem.errors ?? []) {
    const name = field.replace(/^json\./, "");
    const origin = /^allowed_origins\.(\d+)$/.exec(name);
    if (origin) messages.set(`allowed_origins.${rows[Number(origin[1])] ?? origin[1]}`, message);
    else if (!messages.has(name)) messages.set(name, message);
  }
  return messages;
}

/** For each sent origin, the form row it came from (rows left empty are not sent). */
export const sentRows = (origins: string[]) => origins.flatMap((origin, row) => (origin.trim() ? [row] : []));
