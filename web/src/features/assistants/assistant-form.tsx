import { useQuery } from "@tanstack/react-query";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { DialogForm } from "@/components/form-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { type Assistant, collectionChoicesQuery, useSaveAssistant } from "./api";

export interface AssistantDraft {
  name: string;
  system_prompt: string;
  collection_ids: string[];
  model: string;
  temperature: number;
  top_k: number;
}

export const draftOf = (assistant?: Assistant): AssistantDraft => ({
  name: assistant?.name ?? "",
  system_prompt: assistant?.system_prompt ?? "",
  collection_ids: assistant?.collection_ids ?? [],
  model: assistant?.model ?? "",
  temperature: assistant?.temperature ?? 0.2,
  top_k: assistant?.top_k ?? 5,
});

/** The body the API takes: an empty model means the server's default (null). */
export const bodyOf = (draft: AssistantDraft) => ({
  name: draft.name.trim(),
  system_prompt: draft.system_prompt,
  collection_ids: draft.collection_ids,
  model: draft.model.trim() || null,
  temperature: draft.temperature,
  top_k: draft.top_k,
});

/** Creates an assistant, or edits `assistant`: prompt, collections, model, temperature, top_k. */
export function AssistantForm({ assistant, onDone }: { assistant?: Assistant; onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = React.useState(() => draftOf(assistant));
  const set = <K extends keyof AssistantDraft>(key: K, value: AssistantDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const collections = useQuery(collectionChoicesQuery());
  const save = useSaveAssistant(assistant, { onSaved: onDone });
  const toggleCollection = (id: string, on: boolean) =>
    set(
      "collection_ids",
      on ? [...draft.collection_ids, id] : draft.collection_ids.filter((other) => other !== id),
    );

  return (
    <DialogForm
      title={assistant ? t("assistants.editTitle", { name: assistant.name }) : t("assistants.new")}
      description={t("assistants.formDescription")}
      submitLabel={assistant ? t("common.save") : t("assistants.create")}
      pending={save.isPending}
      canSubmit={draft.name.trim() !== ""}
      error={save.isError ? save.error : undefined}
      onSubmit={() => save.mutate(bodyOf(draft))}
      onCancel={onDone}
    >
      <div className="grid gap-2">
        <Label htmlFor="assistant-name">{t("assistants.name")}</Label>
        <Input
          id="assistant-name"
          required
          maxLength={200}
          value={draft.name}
          placeholder={t("assistants.namePlaceholder")}
          onChange={(event) => set("name", event.target.value)}
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="assistant-prompt">{t("assistants.systemPrompt")}</Label>
        <Textarea
          id="assistant-prompt"
          rows={4}
          maxLength={20_000}
          value={draft.system_prompt}
          placeholder={t("assistants.systemPromptPlaceholder")}
          onChange={(event) => set("system_prompt", event.target.value)}
        />
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">{t("assistants.collections")}</legend>
        {collections.isError ? (
          <ProblemAlert error={collections.error} />
        ) : collections.data?.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("assistants.noCollections")}</p>
        ) : (
          <div className="grid max-h-36 gap-1.5 overflow-y-auto rounded-md border p-2">
            {collections.data?.data.map((collection) => (
              <label key={collection.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--color-primary)]"
                  checked={draft.collection_ids.includes(collection.id)}
                  onChange={(event) => toggleCollection(collection.id, event.target.checked)}
                />
                {collection.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="grid gap-2">
          <Label htmlFor="assistant-model">{t("assistants.model")}</Label>
          <Input
            id="assistant-model"
            value={draft.model}
            maxLength={200}
            placeholder={t("assistants.modelDefault")}
            onChange={(event) => set("model", event.target.value)}
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="assistant-temperature">{t("assistants.temperature")}</Label>
          <Input
            id="assistant-temperature"
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={draft.temperature}
            onChange={(event) => set("temperature", Number(event.target.value))}
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="assistant-top-k">{t("assistants.topK")}</Label>
          <Input
            id="assistant-top-k"
            type="number"
            min={1}
            max={50}
            step={1}
            value={draft.top_k}
            onChange={(event) => set("top_k", Number(event.target.value))}
          />
        </div>
      </div>
      <p className="-mt-2 text-xs text-muted-foreground">{t("assistants.tuningHelp")}</p>
    </DialogForm>
  );
}
