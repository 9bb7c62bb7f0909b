import { KeyRoundIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useRotateKey, type Widget } from "../api";
import { snippetOf } from "../widget-draft";

/** What a site needs: the assistant's id, the snippet with its key, and the key's rotation. */
export function PublishCard({ assistantId, widget }: { assistantId: string; widget: Widget }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = React.useState(false);
  const rotate = useRotateKey(assistantId);
  const key = widget.publishable_key;
  const snippet = key ? snippetOf(globalThis.location.origin, key) : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("embed.snippetTitle")}</CardTitle>
        <CardDescription>
          {snippet ? t("embed.snippetDescription") : t("embed.snippetUnpublished")}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-1 text-sm">
          <dt className="text-muted-foreground">{t("embed.assistantId")}</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-muted px-1.5 py-0.5 text-xs">{assistantId}</code>
            <CopyButton value={assistantId} label={t("embed.copyAssistantId")} />
          </dd>
        </dl>
        {snippet && (
          <>
            <figure className="grid gap-1">
              <figcaption className="sr-only">{t("embed.snippetLabel")}</figcaption>
              <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                <code data-testid="embed-snippet">{snippet}</code>
              </pre>
            </figure>
            <div className="flex flex-wrap gap-2">
              <CopyButton value={snippet} label={t("embed.copySnippet")} />
              <Button variant="outline" size="sm" onClick={() => setConfirming(true)}>
                <KeyRoundIcon aria-hidden />
                {t("embed.rotate")}
              </Button>
            </div>
            {rotate.isSuccess && !confirming && (
              <p role="status" className="text-sm text-muted-foreground">
                {t("embed.rotated")}
              </p>
            )}
          </>
        )}
      </CardContent>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          if (!open) setConfirming(false);
        }}
        title={t("embed.rotateTitle")}
        description={t("embed.rotateDescription")}
        confirmLabel={t("embed.rotateConfirm")}
        pending={rotate.isPending}
        onConfirm={() => rotate.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        {rotate.isError && <ProblemAlert error={rotate.error} />}
      </ConfirmDialog>
    </Card>
  );
}
