import { ArrowLeftIcon, PowerOffIcon, SendIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { useAssistant, useDisableWidget, usePublishWidget, useWidget, type Widget } from "./api";
import { PublishCard } from "./components/publish-card";
import { RefusedSites } from "./components/refused-sites";
import { WidgetPreview } from "./components/widget-preview";
import { WidgetSettingsForm } from "./components/widget-settings-form";
import { bodyOf, draftOf, fieldErrors, sentRows, type WidgetDraft } from "./widget-draft";

/** An assistant's Embed tab: publish its widget on sites, see it, copy its snippet. */
export function EmbedPage() {
  const { t } = useTranslation();
  const { assistantId = "" } = useParams();
  const assistant = useAssistant(assistantId);
  const widget = useWidget(assistantId);
  const name = assistant.data?.name ?? "";

  return (
    <>
      <PageHeader
        title={name ? t("embed.title", { name }) : t("embed.titleLoading")}
        description={t("embed.description")}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link to="/assistants">
              <ArrowLeftIcon aria-hidden />
              {t("embed.back")}
            </Link>
          </Button>
        }
      />
      {widget.isError ? (
        <ProblemAlert error={widget.error} onRetry={() => void widget.refetch()} />
      ) : !widget.data ? (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]">
          <Skeleton className="h-96" />
          <Skeleton className="h-96" />
        </div>
      ) : (
        <EmbedEditor key={assistantId} assistantId={assistantId} widget={widget.data} />
      )}
    </>
  );
}

function EmbedEditor({ assistantId, widget }: { assistantId: string; widget: Widget }) {
  const { t } = useTranslation();
  const notify = useToast();
  const [draft, setDraft] = React.useState<WidgetDraft>(() => draftOf(widget));
  const publish = usePublishWidget(assistantId);
  const disable = useDisableWidget(assistantId);
  const [sent, setSent] = React.useState<number[]>([]);
  const errors = publish.isError ? fieldErrors(publish.error, sent) : new Map<string, string>();
  const fieldsOnly = errors.size > 0;

  const save = () => {
    const body = bodyOf(draft);
    setSent(sentRows(draft.allowed_origins));
    publish.mutate(body, {
      onSuccess: (saved) => {
        setDraft(draftOf(saved));
        notify({ title: widget.enabled ? t("embed.saved") : t("embed.published"), tone: "success" });
      },
    });
  };

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]">
      <div className="grid min-w-0 gap-6">
        <Card>
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <CardTitle>{t("embed.statusTitle")}</CardTitle>
              <Badge variant={widget.enabled ? "default" : "secondary"}>
                {widget.enabled ? t("embed.enabled") : t("embed.disabled")}
              </Badge>
            </div>
            <CardDescription>
              {widget.enabled
                ? t("embed.enabledDescription", { count: widget.allowed_origins.length })
                : widget.publishable_key
                  ? t("embed.disabledDescription")
                  : t("embed.neverDescription")}
            </CardDescription>
          </CardHeader>
          {widget.enabled && (
            <CardContent className="grid gap-3">
              <Button
                variant="outline"
                size="sm"
                className="justify-self-start"
                disabled={disable.isPending}
                onClick={() => disable.mutate()}
              >
                <PowerOffIcon aria-hidden />
                {t("embed.disable")}
              </Button>
              {disable.isError && <ProblemAlert error={disable.error} />}
            </CardContent>
          )}
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("embed.settingsTitle")}</CardTitle>
            <CardDescription>{t("embed.settingsDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              className="grid gap-6"
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                save();
              }}
            >
              <WidgetSettingsForm draft={draft} onChange={setDraft} errors={errors} />
              {publish.isError &&
                (fieldsOnly ? (
                  <p role="alert" className="text-sm text-destructive">
                    {t("embed.fixFields")}
                  </p>
                ) : (
                  <ProblemAlert error={publish.error} />
                ))}
              <Button type="submit" className="justify-self-start" disabled={publish.isPending}>
                <SendIcon aria-hidden />
                {widget.enabled ? t("embed.save") : t("embed.publish")}
              </Button>
            </form>
          </CardContent>
        </Card>
        <RefusedSites
          assistantId={assistantId}
          widget={widget}
          onAllowed={(origin) =>
            setDraft((current) => ({
              ...current,
              allowed_origins: [...current.allowed_origins.filter((row) => row.trim()), origin],
            }))
          }
        />
      </div>
      <div className="grid min-w-0 gap-6">
        <PublishCard assistantId={assistantId} widget={widget} />
        <WidgetPreview draft={draft} />
      </div>
    </div>
  );
}
