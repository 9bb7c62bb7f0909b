import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRoundIcon, PlusIcon, TriangleAlertIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/format";
import { CopyButton } from "./copy-button";

type ApiKey = Schemas["ApiKey"];
const apiKeyKeys = { all: ["api-keys"] as const };

export function ApiKeysPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = React.useState(false);
  const keys = useQuery({
    queryKey: apiKeyKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/api-keys", { params: { query: { limit: 100 } } })),
  });
  return (
    <>
      <PageHeader
        title={t("nav.apiKeys")}
        description={t("apiKeys.description")}
        actions={
          <Button onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden />
            {t("apiKeys.new")}
          </Button>
        }
      />
      {keys.isPending ? (
        <Skeleton className="h-40" />
      ) : keys.isError ? (
        <ProblemAlert error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.data.length === 0 ? (
        <EmptyState
          icon={<KeyRoundIcon />}
          title={t("apiKeys.emptyTitle")}
          description={t("apiKeys.emptyDescription")}
          action={<Button onClick={() => setCreating(true)}>{t("apiKeys.new")}</Button>}
        />
      ) : (
        <KeyTable keys={keys.data.data} />
      )}
      <CreateKeyDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function KeyTable({ keys }: { keys: ApiKey[] }) {
  const { t, i18n } = useTranslation();
  const [revoking, setRevoking] = React.useState<ApiKey | null>(null);
  return (
    <Card className="p-0">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("apiKeys.name")}</TableHead>
            <TableHead>{t("apiKeys.prefix")}</TableHead>
            <TableHead className="hidden sm:table-cell">{t("apiKeys.role")}</TableHead>
            <TableHead className="hidden md:table-cell">{t("apiKeys.created")}</TableHead>
            <TableHead>{t("apiKeys.lastUsed")}</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">{t("common.actions")}</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((key) => (
            <TableRow key={key.id}>
              <TableCell className="font-medium">{key.name}</TableCell>
              <TableCell>
                <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{key.prefix}…</code>
              </TableCell>
              <TableCell className="hidden sm:table-cell">
                <Badge variant="secondary">{t(`roles.${key.role}`)}</Badge>
              </TableCell>
              <TableCell className="hidden md:table-cell">
                {formatDate(key.created_at, i18n.language)}
              </TableCell>
              <TableCell className="text-muted-foreground">
                {key.last_used_at ? formatDateTime(key.last_used_at, i18n.language) : t("apiKeys.never")}
              </TableCell>
              <TableCell className="text-right">
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-destructive"
                  aria-label={t("apiKeys.revokeNamed", { name: key.name })}
                  onClick={() => setRevoking(key)}
                >
                  {t("apiKeys.revoke")}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </Card>
  );
}

function CreateKeyDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = React.useState("");
  const [role, setRole] = React.useState<"member" | "admin">("member");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/api-keys", { body: { name, role } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      create.reset();
      setName("");
      setRole("member");
    }
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        {create.data ? (
          <>
            <DialogHeader>
              <DialogTitle>{t("apiKeys.createdTitle")}</DialogTitle>
              <DialogDescription>{t("apiKeys.createdDescription")}</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="new-api-key">{t("apiKeys.yourKey")}</Label>
              <div className="flex gap-2">
                <Input
                  id="new-api-key"
                  readOnly
                  value={create.data.key}
                  className="font-mono text-xs"
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton value={create.data.key} />
              </div>
              <p className="flex items-center gap-1.5 text-xs text-warning">
                <TriangleAlertIcon className="size-3.5" aria-hidden />
                {t("apiKeys.shownOnce")}
              </p>
            </div>
            <DialogFooter>
              <Button onClick={() => close(false)}>{t("apiKeys.done")}</Button>
            </DialogFooter>
          </>
        ) : (
          <form
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              create.mutate();
            }}
          >
            <DialogHeader>
              <DialogTitle>{t("apiKeys.new")}</DialogTitle>
              <DialogDescription>{t("apiKeys.newDescription")}</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="api-key-name">{t("apiKeys.name")}</Label>
              <Input
                id="api-key-name"
                required
                maxLength={100}
                value={name}
                placeholder={t("apiKeys.namePlaceholder")}
                onChange={(event) => setName(event.target.value)}
              />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="api-key-role">{t("apiKeys.role")}</Label>
              <select
                id="api-key-role"
                className="h-9 rounded-md border border-input bg-card px-3 text-sm"
                value={role}
                onChange={(event) => setRole(event.target.value as "member" | "admin")}
              >
                <option value="member">{t("roles.member")}</option>
                <option value="admin">{t("roles.admin")}</option>
              </select>
              <p className="text-xs text-muted-foreground">{t(`apiKeys.roleHelp.${role}`)}</p>
            </div>
            {create.isError && <ProblemAlert error={create.error} />}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => close(false)}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" disabled={create.isPending || !name.trim()}>
                {t("apiKeys.create")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showProblem = useProblemToast();
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
      onClose();
    },
    onError: showProblem,
  });
  return (
    <Dialog open={apiKey !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("apiKeys.revokeTitle", { name: apiKey?.name ?? "" })}</DialogTitle>
          <DialogDescription>{t("apiKeys.revokeDescription")}</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            variant="destructive"
            disabled={revoke.isPending}
            onClick={() => apiKey && revoke.mutate(apiKey.id)}
          >
            {t("apiKeys.revoke")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
