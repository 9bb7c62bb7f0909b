import { useQuery } from "@tanstack/react-query";
import { BotIcon, CodeIcon, MessagesSquareIcon, PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useConsoleConfig } from "@/features/auth/config";
import { useTenant } from "@/features/auth/tenant-context";
import { formatNumber } from "@/lib/format";
import { type Assistant, assistantLimitQuery, useAssistants, useDeleteAssistant } from "./api";
import { AssistantForm } from "./assistant-form";

export function AssistantsPage() {
  const { t, i18n } = useTranslation();
  const { tenant } = useTenant();
  // Without billing on the server there is no upgrade to offer.
  const billingConfigured = useConsoleConfig().billing_configured;
  const [editing, setEditing] = React.useState<Assistant | "new" | null>(null);
  const [deleting, setDeleting] = React.useState<Assistant | null>(null);
  const assistants = useAssistants();
  const details = useQuery(assistantLimitQuery(tenant.id));
  const limit = details.data?.limits.assistants;
  const count = assistants.data?.data.length ?? 0;
  const atLimit = limit !== undefined && count >= limit;

  return (
    <>
      <PageHeader
        title={t("nav.assistants")}
        description={t("assistants.description")}
        actions={
          <Button onClick={() => setEditing("new")} disabled={atLimit}>
            <PlusIcon aria-hidden />
            {t("assistants.new")}
          </Button>
        }
      />
      {atLimit && (
        <div role="status" className="mb-6 rounded-lg border border-warning/40 bg-warning/10 p-4 text-sm">
          <p className="font-medium">
            {t("assistants.limitReached", { limit, plan: t(`billing.plans.${tenant.plan}`) })}
          </p>
          <p className="text-muted-foreground">
            {tenant.plan === "free" && billingConfigured ? (
              <>
                {t("assistants.limitHowFree")}{" "}
                <Link to="/billing" className="font-medium text-primary hover:underline">
                  {t("assistants.upgrade")}
                </Link>
              </>
            ) : (
              t("assistants.limitHow")
            )}
          </p>
        </div>
      )}
      <QueryState
        query={assistants}
        skeleton={
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <Skeleton className="h-36" />
            <Skeleton className="h-36" />
          </div>
        }
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState
            icon={<BotIcon />}
            title={t("assistants.emptyTitle")}
            description={t("assistants.emptyDescription")}
            action={<Button onClick={() => setEditing("new")}>{t("assistants.new")}</Button>}
          />
        }
      >
        {(page) => (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {page.data.map((assistant) => (
              <li key={assistant.id}>
                <Card className="flex h-full flex-col">
                  <CardHeader>
                    <CardTitle className="truncate">{assistant.name}</CardTitle>
                    <CardDescription className="line-clamp-2 min-h-10">
                      {assistant.system_prompt || t("assistants.noPrompt")}
                    </CardDescription>
                  </CardHeader>
                  <CardContent className="mt-auto grid gap-3">
                    <div className="flex flex-wrap gap-1.5">
                      <Badge variant="secondary">
                        {t("assistants.collectionCount", { count: assistant.collection_ids.length })}
                      </Badge>
                      <Badge variant="outline">{assistant.model ?? t("assistants.modelDefault")}</Badge>
                      <Badge variant="outline">
                        {t("assistants.tuningSummary", {
                          temperature: formatNumber(assistant.temperature, i18n.language),
                          count: assistant.top_k,
                        })}
                      </Badge>
                    </div>
                    <div className="flex flex-wrap gap-2">
                      <Button asChild size="sm">
                        <Link to={`/playground?assistant=${assistant.id}`}>
                          <MessagesSquareIcon aria-hidden />
                          {t("assistants.chat")}
                        </Link>
                      </Button>
                      <Button asChild size="sm" variant="outline">
                        <Link
                          to={`/assistants/${assistant.id}/embed`}
                          aria-label={t("embed.openNamed", { name: assistant.name })}
                        >
                          <CodeIcon aria-hidden />
                          {t("embed.open")}
                        </Link>
                      </Button>
                      <Button
                        size="sm"
                        variant="outline"
                        aria-label={t("assistants.editNamed", { name: assistant.name })}
                        onClick={() => setEditing(assistant)}
                      >
                        <PencilIcon aria-hidden />
                        {t("assistants.edit")}
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive"
                        aria-label={t("assistants.deleteNamed", { name: assistant.name })}
                        onClick={() => setDeleting(assistant)}
                      >
                        <Trash2Icon aria-hidden />
                      </Button>
                    </div>
                  </CardContent>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent className="max-h-[90dvh] max-w-xl overflow-y-auto">
          {editing !== null && (
            <AssistantForm
              key={editing === "new" ? "new" : editing.id}
              assistant={editing === "new" ? undefined : editing}
              onDone={() => setEditing(null)}
            />
          )}
        </DialogContent>
      </Dialog>
      <DeleteAssistantDialog assistant={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function DeleteAssistantDialog({ assistant, onClose }: { assistant: Assistant | null; onClose: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteAssistant({ onDeleted: onClose });
  return (
    <ConfirmDialog
      open={assistant !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          onClose();
        }
      }}
      title={t("assistants.deleteTitle", { name: assistant?.name ?? "" })}
      description={t("assistants.deleteDescription")}
      confirmLabel={t("common.delete")}
      pending={remove.isPending}
      onConfirm={() => assistant && remove.mutate(assistant.id)}
    >
      {remove.isError && <ProblemAlert error={remove.error} />}
    </ConfirmDialog>
  );
}
