import * as React from "react";
import { useTranslation } from "react-i18next";
import { DialogForm, FormField } from "@/components/form-dialog";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import {
  useCreateWebhook,
  useUpdateWebhook,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint,
  type WebhookEventType,
} from "../api";

/**
 * Adds an endpoint (then hands its secret to `onCreated`, shown once) or edits one: its URL, a
 * description, and the events it receives, as checkboxes.
 */
export function EndpointFormDialog({
  open,
  endpoint,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  /** The endpoint edited; none: a new one. */
  endpoint?: WebhookEndpoint;
  onOpenChange: (open: boolean) => void;
  onCreated: (secret: string) => void;
}) {
  const { t } = useTranslation();
  const [url, setUrl] = React.useState("");
  const [description, setDescription] = React.useState("");
  const [events, setEvents] = React.useState<WebhookEventType[]>([]);
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const mutation = endpoint ? update : create;

  // Each opening starts from the endpoint (or a blank form) and no earlier failure.
  React.useEffect(() => {
    if (!open) return;
    setUrl(endpoint?.url ?? "");
    setDescription(endpoint?.description ?? "");
    setEvents(endpoint?.events ?? ["document.ready", "document.failed"]);
    create.reset();
    update.reset();
  }, [open, endpoint, create.reset, update.reset]);

  const toggle = (type: WebhookEventType, checked: boolean) =>
    setEvents((current) =>
      WEBHOOK_EVENT_TYPES.filter((item) => (item === type ? checked : current.includes(item))),
    );

  const submit = () => {
    const body = { url: url.trim(), description: description.trim() || null, events };
    if (endpoint) {
      update.mutate({ id: endpoint.id, body }, { onSuccess: () => onOpenChange(false) });
    } else {
      create.mutate(body, {
        onSuccess: (created) => {
          onOpenChange(false);
          onCreated(created.secret);
        },
      });
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogForm
          title={endpoint ? t("webhooks.edit") : t("webhooks.new")}
          description={t("webhooks.newDescription")}
          submitLabel={endpoint ? t("webhooks.save") : t("webhooks.add")}
          pending={mutation.isPending}
          canSubmit={url.trim() !== "" && events.length > 0}
          error={mutation.isError ? mutation.error : undefined}
          onSubmit={submit}
          onCancel={() => onOpenChange(false)}
        >
          <FormField id="webhook-url" label={t("webhooks.url")} hint={t("webhooks.urlHint")}>
            <Input
              id="webhook-url"
              type="url"
              required
              maxLength={2048}
              value={url}
              placeholder={t("webhooks.urlPlaceholder")}
              onChange={(event) => setUrl(event.target.value)}
            />
          </FormField>
          <FormField id="webhook-description" label={t("webhooks.descriptionLabel")}>
            <Input
              id="webhook-description"
              maxLength={200}
              value={description}
              placeholder={t("webhooks.descriptionPlaceholder")}
              onChange={(event) => setDescription(event.target.value)}
            />
          </FormField>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">
              {t("webhooks.events")}{" "}
              <span className="font-normal text-muted-foreground">{t("webhooks.eventsHint")}</span>
            </legend>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-primary"
                  checked={events.includes(type)}
                  onChange={(event) => toggle(type, event.target.checked)}
                />
                <span>
                  {t(`webhooks.eventLabels.${type}`)}{" "}
                  <code className="text-xs text-muted-foreground">{type}</code>
                </span>
              </label>
            ))}
          </fieldset>
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
