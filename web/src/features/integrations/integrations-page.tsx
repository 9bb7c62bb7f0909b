import { useQuery } from "@tanstack/react-query";
import { ExternalLinkIcon, PlugIcon, PlugZapIcon, RefreshCwIcon, SettingsIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import {
  type Connection,
  collectionChoicesQuery,
  connectionsQuery,
  isNotConfigured,
  useConnectSession,
  useDisconnect,
  useRecordConnection,
  useStartSync,
} from "./api";
import { PROVIDERS } from "./sync-progress";
import { SyncProgressCard } from "./sync-progress-card";

type Provider = (typeof PROVIDERS)[number];

export function IntegrationsPage() {
  const { t } = useTranslation();
  const [connecting, setConnecting] = React.useState<Provider | null>(null);
  const connections = useQuery({
    ...connectionsQuery(),
    // While Connect UI is open in another window, Nango's webhook records the connection: look for it.
    refetchInterval: connecting ? 3000 : false,
  });
  return (
    <>
      <PageHeader title={t("nav.integrations")} description={t("integrations.description")} />
      {connections.isPending ? (
        <Skeleton className="h-40" />
      ) : connections.isError ? (
        isNotConfigured(connections.error) ? (
          <SetupInstructions />
        ) : (
          <ProblemAlert error={connections.error} onRetry={() => connections.refetch()} />
        )
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {PROVIDERS.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              connection={connections.data.data.find((connection) => connection.provider === provider.id)}
              onConnect={() => setConnecting(provider)}
            />
          ))}
        </div>
      )}
      <ConnectDialog provider={connecting} onClose={() => setConnecting(null)} />
    </>
  );
}

/** What an operator sets so the page works: Nango is optional, so its absence is not an error. */
function SetupInstructions() {
  const { t } = useTranslation();
  const webhook = `${globalThis.location?.origin ?? ""}/api/v1/integrations/nango/webhook`;
  const steps = [
    { text: t("integrations.setupUrl"), code: "NANGO_URL" },
    { text: t("integrations.setupSecret"), code: "NANGO_SECRET_KEY" },
    { text: t("integrations.setupIntegrations"), code: PROVIDERS.map((provider) => provider.id).join(", ") },
    { text: t("integrations.setupWebhook"), code: webhook },
    { text: t("integrations.setupWebhookSecret"), code: "NANGO_WEBHOOK_SECRET" },
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <SettingsIcon className="size-4 text-muted-foreground" aria-hidden />
          {t("integrations.setupTitle")}
        </CardTitle>
        <CardDescription>{t("integrations.setupDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="grid list-decimal gap-3 pl-5 text-sm">
          {steps.map((step) => (
            <li key={step.code}>
              <span>{step.text}</span>{" "}
              <code className="break-all rounded bg-muted px-1.5 py-0.5 text-xs">{step.code}</code>
            </li>
          ))}
        </ol>
        <p className="mt-4 text-sm text-muted-foreground">{t("integrations.setupRestart")}</p>
      </CardContent>
    </Card>
  );
}

function ProviderCard({
  provider,
  connection,
  onConnect,
}: {
  provider: Provider;
  connection: Connection | undefined;
  onConnect: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [disconnecting, setDisconnecting] = React.useState(false);
  const [syncId, setSyncId] = React.useState<string | null>(null);
  const _toastProblem = useProblemToast();
  const disconnect = useDisconnect(provider.id, {
    onDisconnected: () => {
      setDisconnecting(false);
      setSyncId(null);
    },
  });
  const active = connection?.status === "active";
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center justify-between gap-2">
          <span className="flex items-center gap-2">
            <PlugIcon className="size-4 text-muted-foreground" aria-hidden />
            {provider.name}
          </span>
          {connection ? (
            <Badge variant={active ? "success" : "destructive"}>
              {active ? t("integrations.connected") : t("integrations.failed")}
            </Badge>
          ) : (
            <Badge variant="outline">{t("integrations.notConnected")}</Badge>
          )}
        </CardTitle>
        <CardDescription>
          {connection
            ? (connection.error ??
              t("integrations.connectedSince", {
                date: formatDateTime(connection.created_at, i18n.language),
              }))
            : t(`integrations.about.${provider.id}`)}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {active && <SyncForm provider={provider} onStarted={setSyncId} />}
        {syncId && <SyncProgressCard syncId={syncId} />}
        <div className="flex flex-wrap gap-2">
          {!active && (
            <Button onClick={onConnect}>
              <PlugZapIcon aria-hidden />
              {t("integrations.connect", { provider: provider.name })}
            </Button>
          )}
          {connection && (
            <Button variant="ghost" className="text-destructive" onClick={() => setDisconnecting(true)}>
              {t("integrations.disconnect")}
            </Button>
          )}
        </div>
      </CardContent>
      <ConfirmDialog
        open={disconnecting}
        onOpenChange={setDisconnecting}
        title={t("integrations.disconnectTitle", { provider: provider.name })}
        description={t("integrations.disconnectDescription")}
        confirmLabel={t("integrations.disconnect")}
        pending={disconnect.isPending}
        onConfirm={() => disconnect.mutate()}
      />
    </Card>
  );
}

function SyncForm({ provider, onStarted }: { provider: Provider; onStarted: (syncId: string) => void }) {
  const { t } = useTranslation();
  const collections = useQuery(collectionChoicesQuery());
  const [collectionId, setCollectionId] = React.useState("");
  const chosen = collectionId || collections.data?.data[0]?.id || "";
  const sync = useStartSync(provider.id, { onStarted });
  if (collections.data?.data.length === 0) {
    return <p className="text-sm text-muted-foreground">{t("integrations.noCollection")}</p>;
  }
  const selectId = `sync-collection-${provider.id}`;
  return (
    <form
      className="grid gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        sync.mutate(chosen);
      }}
    >
      <Label htmlFor={selectId}>{t("integrations.syncInto")}</Label>
      <div className="flex gap-2">
        <select
          id={selectId}
          className="h-9 min-w-0 flex-1 rounded-md border bg-background px-2 text-sm"
          value={chosen}
          onChange={(event) => setCollectionId(event.target.value)}
        >
          {collections.data?.data.map((collection) => (
            <option key={collection.id} value={collection.id}>
              {collection.name}
            </option>
          ))}
        </select>
        <Button type="submit" disabled={!chosen || sync.isPending}>
          <RefreshCwIcon aria-hidden />
          {t("integrations.sync")}
        </Button>
      </div>
      {sync.isError && <ProblemAlert error={sync.error} />}
    </form>
  );
}

/**
 * Opens Nango's Connect UI from the session's link in a new window. No @nangohq/frontend: the link
 * is all Connect UI needs, and Nango's auth webhook records the connection; a connection id typed
 * here records it at once through the callback.
 */
function ConnectDialog({ provider, onClose }: { provider: Provider | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [connectionId, setConnectionId] = React.useState("");
  const session = useConnectSession();
  const record = useRecordConnection({ onRecorded: () => close() });
  const close = () => {
    session.reset();
    record.reset();
    setConnectionId("");
    onClose();
  };
  return (
    <Dialog open={provider !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("integrations.connect", { provider: provider?.name ?? "" })}</DialogTitle>
          <DialogDescription>{t("integrations.connectDescription")}</DialogDescription>
        </DialogHeader>
        {session.isError && <ProblemAlert error={session.error} />}
        {session.data && !session.data.connect_link && (
          <p className="text-sm text-muted-foreground">
            {t("integrations.noLink")}{" "}
            <code className="break-all rounded bg-muted px-1.5 py-0.5 text-xs">{session.data.token}</code>
          </p>
        )}
        {session.data && (
          <form
            className="grid gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              if (provider) record.mutate({ providerId: provider.id, connectionId: connectionId.trim() });
            }}
          >
            <p className="text-sm text-muted-foreground">{t("integrations.waiting")}</p>
            <Label htmlFor="connection-id">{t("integrations.connectionId")}</Label>
            <div className="flex gap-2">
              <Input
                id="connection-id"
                value={connectionId}
                onChange={(event) => setConnectionId(event.target.value)}
              />
              <Button type="submit" variant="outline" disabled={!connectionId.trim() || record.isPending}>
                {t("integrations.record")}
              </Button>
            </div>
            {record.isError && <ProblemAlert error={record.error} />}
          </form>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={close}>
            {t("common.close")}
          </Button>
          <Button
            disabled={!provider || session.isPending}
            onClick={() => provider && session.mutate(provider.id)}
          >
            <ExternalLinkIcon aria-hidden />
            {session.data ? t("integrations.openAgain") : t("integrations.openConnect")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
