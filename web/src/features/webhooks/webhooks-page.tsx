import {
  ChevronDownIcon,
  ChevronUpIcon,
  PencilIcon,
  PlusIcon,
  RotateCwIcon,
  SendIcon,
  Trash2Icon,
  WebhookIcon,
} from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PageHeader } from "@/components/page-header";
import { useProblemToast } from "@/components/problem-alert";
import { QueryState } from "@/components/query-state";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import {
  useDeleteWebhook,
  useRotateWebhookSecret,
  useSendTestWebhook,
  useUpdateWebhook,
  useWebhooks,
  type WebhookEndpoint,
} from "./api";
import { DeliveryLog } from "./components/delivery-log";
import { EndpointFormDialog } from "./components/endpoint-form-dialog";
import { SecretDialog } from "./components/secret-dialog";

export function WebhooksPage() {
  const { t } = useTranslation();
  const webhooks = useWebhooks();
  const [editing, setEditing] = React.useState<{ endpoint?: WebhookEndpoint } | null>(null);
  const [secret, setSecret] = React.useState<string | null>(null);
  const add = () => setEditing({});
  return (
    <>
      <PageHeader
        title={t("nav.webhooks")}
        description={t("webhooks.description")}
        actions={
          <Button onClick={add}>
            <PlusIcon aria-hidden />
            {t("webhooks.new")}
          </Button>
        }
      />
      <QueryState
        query={webhooks}
        skeleton="h-40"
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState
            icon={<WebhookIcon />}
            title={t("webhooks.emptyTitle")}
            description={t("webhooks.emptyDescription")}
            action={<Button onClick={add}>{t("webhooks.new")}</Button>}
          />
        }
      >
        {(page) => (
          <div className="grid gap-4">
            {page.data.map((endpoint) => (
              <EndpointCard
                key={endpoint.id}
                endpoint={endpoint}
                onEdit={() => setEditing({ endpoint })}
                onSecret={setSecret}
              />
            ))}
          </div>
        )}
      </QueryState>
      <EndpointFormDialog
        open={editing !== null}
        endpoint={editing?.endpoint}
        onOpenChange={(open) => !open && setEditing(null)}
        onCreated={setSecret}
      />
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}

/** One endpoint: where it points, what it receives, its state and its actions, its delivery log on demand. */
function EndpointCard({
  endpoint,
  onEdit,
  onSecret,
}: {
  endpoint: WebhookEndpoint;
  onEdit: () => void;
  onSecret: (secret: string) => void;
}) {
  const { t } = useTranslation();
  const notify = useToast();
  const showProblem = useProblemToast();
  const [showLog, setShowLog] = React.useState(false);
  const [confirming, setConfirming] = React.useState<"rotate" | "delete" | null>(null);
  const update = useUpdateWebhook();
  const sendTest = useSendTestWebhook();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhook({ onDeleted: () => setConfirming(null) });
  const url = endpoint.url;

  const reEnable = () =>
    update.mutate(
      { id: endpoint.id, body: { enabled: true } },
      {
        onSuccess: () => notify({ tone: "success", title: t("webhooks.reEnabled") }),
        onError: showProblem,
      },
    );

  return (
    <Card className="gap-0 p-0">
      <div className="grid gap-3 p-4">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="grid min-w-0 gap-1">
            <p className="truncate font-mono text-sm font-medium" title={url}>
              {url}
            </p>
            {endpoint.description && <p className="text-sm text-muted-foreground">{endpoint.description}</p>}
          </div>
          <Badge variant={endpoint.enabled ? "success" : "destructive"}>
            {endpoint.enabled ? t("webhooks.enabled") : t("webhooks.disabled")}
          </Badge>
        </div>
        <ul className="flex flex-wrap gap-1.5" aria-label={t("webhooks.events")}>
          {endpoint.events.map((type) => (
            <li key={type}>
              <Badge variant="secondary" title={t(`webhooks.eventLabels.${type}`)}>
                {type}
              </Badge>
            </li>
          ))}
        </ul>
        {!endpoint.enabled && (
          <ErrorAlert
            title={endpoint.disabled_reason ? t("webhooks.disabledTitle") : t("webhooks.pausedTitle")}
            action={
              <Button
                size="sm"
                variant="outline"
                aria-label={t("webhooks.reEnableNamed", { url })}
                disabled={update.isPending}
                onClick={reEnable}
              >
                {t("webhooks.reEnable")}
              </Button>
            }
          >
            {endpoint.disabled_reason ?? t("webhooks.disabledByYou")}
          </ErrorAlert>
        )}
        <p className="text-xs text-muted-foreground">
          <code>{t("webhooks.secretPrefix", { prefix: endpoint.secret_prefix })}</code>
          {endpoint.enabled && endpoint.consecutive_failures > 0 && (
            <span className="ml-2 text-warning">
              {t("webhooks.failuresInARow", { count: endpoint.consecutive_failures })}
            </span>
          )}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="outline"
            aria-label={t("webhooks.testNamed", { url })}
            disabled={!endpoint.enabled || sendTest.isPending}
            onClick={() =>
              sendTest.mutate(endpoint.id, {
                onSuccess: () => {
                  setShowLog(true);
                  notify({ tone: "success", title: t("webhooks.testSent") });
                },
                onError: showProblem,
              })
            }
          >
            <SendIcon aria-hidden />
            {t("webhooks.test")}
          </Button>
          <Button
            size="sm"
            variant="outline"
            aria-expanded={showLog}
            aria-label={showLog ? t("webhooks.hideDeliveries") : t("webhooks.deliveriesNamed", { url })}
            onClick={() => setShowLog((shown) => !shown)}
          >
            {showLog ? <ChevronUpIcon aria-hidden /> : <ChevronDownIcon aria-hidden />}
            {showLog ? t("webhooks.hideDeliveries") : t("webhooks.deliveries")}
          </Button>
          <Button size="sm" variant="ghost" aria-label={t("webhooks.editNamed", { url })} onClick={onEdit}>
            <PencilIcon aria-hidden />
            {t("webhooks.edit")}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            aria-label={t("webhooks.rotateNamed", { url })}
            onClick={() => setConfirming("rotate")}
          >
            <RotateCwIcon aria-hidden />
            {t("webhooks.rotate")}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            className="text-destructive"
            aria-label={t("webhooks.deleteNamed", { url })}
            onClick={() => setConfirming("delete")}
          >
            <Trash2Icon aria-hidden />
            {t("webhooks.delete")}
          </Button>
        </div>
      </div>
      {showLog && (
        <div className="border-t">
          <DeliveryLog endpointId={endpoint.id} />
        </div>
      )}
      <ConfirmDialog
        open={confirming === "rotate"}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={t("webhooks.rotateTitle", { url })}
        description={t("webhooks.rotateDescription")}
        confirmLabel={t("webhooks.rotate")}
        pending={rotate.isPending}
        onConfirm={() =>
          rotate.mutate(endpoint.id, {
            onSuccess: (rotated) => {
              setConfirming(null);
              onSecret(rotated.secret);
            },
            onError: showProblem,
          })
        }
      />
      <ConfirmDialog
        open={confirming === "delete"}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={t("webhooks.deleteTitle", { url })}
        description={t("webhooks.deleteDescription")}
        confirmLabel={t("webhooks.delete")}
        pending={remove.isPending}
        onConfirm={() => remove.mutate(endpoint.id, { onError: showProblem })}
      />
    </Card>
  );
}
