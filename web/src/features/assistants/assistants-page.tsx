import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BotIcon, MessagesSquareIcon, PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, type Schemas, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
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
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { AssistantForm } from "./assistant-form";
import { assistantKeys } from "./keys";

type Assistant = Schemas["Assistant"];

export function AssistantsPage() {
  const { t } = useTranslation();
  const { tenant } = useTenant();
  const [editing, setEditing] = React.useState<Assistant | "new" | null>(null);
  const [deleting, setDeleting] = React.useState<Assistant | null>(null);
  const assistants = useQuery({
    queryKey: assistantKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/assistants", { params: { query: { limit: 100 } } })),
  });
  const details = useQuery({
    queryKey: [...assistantKeys.all, "limit", tenant.id],
    queryFn: () =>
      unwrap(api.GET("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenant.id } } })),
  });
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
            {tenant.plan === "free" ? (
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
      {assistants.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Skeleton className="h-36" />
          <Skeleton className="h-36" />
        </div>
      ) : assistants.isError ? (
        <ProblemAlert error={assistants.error} onRetry={() => assistants.refetch()} />
      ) : assistants.data.data.length === 0 ? (
        <EmptyState
          icon={<BotIcon />}
          title={t("assistants.emptyTitle")}
          description={t("assistants.emptyDescription")}
          action={<Button onClick={() => setEditing("new")}>{t("assistants.new")}</Button>}
        />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {assistants.data.data.map((assistant) => (
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
                    <Badge variant="outline">T {assistant.temperature}</Badge>
                    <Badge variant="outline">top_k {assistant.top_k}</Badge>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <Button asChild size="sm">
                      <Link to={`/playground?assistant=${assistant.id}`}>
                        <MessagesSquareIcon aria-hidden />
                        {t("assistants.chat")}
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
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/assistants/{assistant_id}", { params: { path: { assistant_id: id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assistantKeys.all });
      onClose();
    },
  });
  return (
    <Dialog
      open={assistant !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          onClose();
        }
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("assistants.deleteTitle", { name: assistant?.name ?? "" })}</DialogTitle>
          <DialogDescription>{t("assistants.deleteDescription")}</DialogDescription>
        </DialogHeader>
        {remove.isError && <ProblemAlert error={remove.error} />}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            variant="destructive"
            disabled={remove.isPending}
            onClick={() => assistant && remove.mutate(assistant.id)}
          >
            {t("common.delete")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
