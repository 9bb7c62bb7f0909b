import { PlusIcon, XIcon } from "lucide-react";
import type * as React from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { MAX_SUGGESTED_QUESTIONS, type WidgetDraft } from "../widget-draft";

const LANGUAGES = ["auto", "en", "fr", "de", "es", "it", "pt", "nl"] as const;
const BUDGETS = [
  "visitor_messages_per_hour",
  "visitor_messages_per_day",
  "assistant_messages_per_hour",
  "assistant_messages_per_day",
] as const;

const selectClass =
  "flex h-9 w-full rounded-md border border-input bg-card px-3 py-1 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

/** A field's message from the API, tied to its control by `aria-describedby`. */
function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  );
}

const invalid = (id: string, message: string | undefined) =>
  message ? { "aria-invalid": true as const, "aria-describedby": id } : {};

/** Every setting of the widget; errors are the API's own messages, keyed by field. */
export function WidgetSettingsForm({
  draft,
  onChange,
  errors,
}: {
  draft: WidgetDraft;
  onChange: (draft: WidgetDraft) => void;
  errors: Map<string, string>;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof WidgetDraft>(key: K, value: WidgetDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const setAt = (key: "allowed_origins" | "suggested_questions", index: number, value: string) =>
    set(
      key,
      draft[key].map((item, at) => (at === index ? value : item)),
    );
  const removeAt = (key: "allowed_origins" | "suggested_questions", index: number) =>
    set(
      key,
      draft[key].filter((_, at) => at !== index),
    );

  return (
    <div className="grid gap-6">
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t("embed.allowedSites")}</legend>
        <p className="text-xs text-muted-foreground">{t("embed.allowedSitesHelp")}</p>
        {draft.allowed_origins.map((origin, index) => {
          const field = `allowed_origins.${index}`;
          const errorId = `embed-origin-${index}-error`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions being typed into
            <div key={index} className="grid gap-1">
              <div className="flex gap-2">
                <Input
                  value={origin}
                  inputMode="url"
                  placeholder="https://www.example.com"
                  aria-label={t("embed.siteNumber", { n: index + 1 })}
                  onChange={(event) => setAt("allowed_origins", index, event.target.value)}
                  {...invalid(errorId, errors.get(field))}
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label={t("embed.removeSite", { n: index + 1 })}
                  disabled={draft.allowed_origins.length === 1}
                  onClick={() => removeAt("allowed_origins", index)}
                >
                  <XIcon aria-hidden />
                </Button>
              </div>
              <FieldError id={errorId} message={errors.get(field)} />
            </div>
          );
        })}
        <FieldError id="embed-origins-error" message={errors.get("allowed_origins")} />
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-self-start"
          disabled={draft.allowed_origins.length >= 50}
          onClick={() => set("allowed_origins", [...draft.allowed_origins, ""])}
        >
          <PlusIcon aria-hidden />
          {t("embed.addSite")}
        </Button>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="embed-title" label={t("embed.widgetTitle")} error={errors.get("title")}>
          {(props) => (
            <Input
              {...props}
              maxLength={80}
              value={draft.title}
              onChange={(event) => set("title", event.target.value)}
            />
          )}
        </Field>
        <Field id="embed-color" label={t("embed.color")} error={errors.get("primary_color")}>
          {(props) => (
            <div className="flex gap-2">
              <input
                type="color"
                aria-label={t("embed.colorPicker")}
                className="h-9 w-12 shrink-0 cursor-pointer rounded-md border border-input bg-card p-1"
                value={/^#[0-9a-f]{6}$/i.test(draft.primary_color) ? draft.primary_color : "#2563eb"}
                onChange={(event) => set("primary_color", event.target.value)}
              />
              <Input
                {...props}
                maxLength={7}
                value={draft.primary_color}
                onChange={(event) => set("primary_color", event.target.value)}
              />
            </div>
          )}
        </Field>
      </div>
      <Field id="embed-greeting" label={t("embed.greeting")} error={errors.get("greeting")}>
        {(props) => (
          <Textarea
            {...props}
            rows={2}
            maxLength={500}
            value={draft.greeting}
            onChange={(event) => set("greeting", event.target.value)}
          />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="embed-position" label={t("embed.position")} error={errors.get("position")}>
          {(props) => (
            <select
              {...props}
              className={selectClass}
              value={draft.position}
              onChange={(event) => set("position", event.target.value as WidgetDraft["position"])}
            >
              <option value="bottom-right">{t("embed.positions.bottom-right")}</option>
              <option value="bottom-left">{t("embed.positions.bottom-left")}</option>
            </select>
          )}
        </Field>
        <Field id="embed-language" label={t("embed.language")} error={errors.get("language")}>
          {(props) => (
            <select
              {...props}
              className={selectClass}
              value={draft.language}
              onChange={(event) => set("language", event.target.value as WidgetDraft["language"])}
            >
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`embed.languages.${language}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t("embed.suggestedQuestions")}</legend>
        <p className="text-xs text-muted-foreground">
          {t("embed.suggestedQuestionsHelp", { max: MAX_SUGGESTED_QUESTIONS })}
        </p>
        {draft.suggested_questions.map((question, index) => {
          const errorId = `embed-question-${index}-error`;
          const message = errors.get(`suggested_questions.${index}`);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions being typed into
            <div key={index} className="grid gap-1">
              <div className="flex gap-2">
                <Input
                  value={question}
                  maxLength={200}
                  aria-label={t("embed.questionNumber", { n: index + 1 })}
                  onChange={(event) => setAt("suggested_questions", index, event.target.value)}
                  {...invalid(errorId, message)}
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label={t("embed.removeQuestion", { n: index + 1 })}
                  onClick={() => removeAt("suggested_questions", index)}
                >
                  <XIcon aria-hidden />
                </Button>
              </div>
              <FieldError id={errorId} message={message} />
            </div>
          );
        })}
        <FieldError id="embed-questions-error" message={errors.get("suggested_questions")} />
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-self-start"
          disabled={draft.suggested_questions.length >= MAX_SUGGESTED_QUESTIONS}
          onClick={() => set("suggested_questions", [...draft.suggested_questions, ""])}
        >
          <PlusIcon aria-hidden />
          {t("embed.addQuestion")}
        </Button>
      </fieldset>

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t("embed.budgets")}</legend>
        <p className="text-xs text-muted-foreground">{t("embed.budgetsHelp")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          {BUDGETS.map((name) => (
            <Field
              key={name}
              id={`embed-${name}`}
              label={t(`embed.budget.${name}`)}
              error={errors.get(`budgets.${name}`)}
            >
              {(props) => (
                <Input
                  {...props}
                  type="number"
                  min={1}
                  max={1_000_000}
                  step={1}
                  value={draft.budgets[name]}
                  onChange={(event) =>
                    set("budgets", { ...draft.budgets, [name]: Number(event.target.value) })
                  }
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** A labelled control with the API's message for it below. */
function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const errorId = `${id}-error`;
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, ...invalid(errorId, error) })}
      <FieldError id={errorId} message={error} />
    </div>
  );
}
