import { KeyRoundIcon, PlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyField } from "@/components/copy-field";
import { DialogForm, FormField } from "@/components/form-dialog";
import { PageHeader } from "@/components/page-header";
import { useProblemToast } from "@/components/problem-alert";
import { QueryState } from "@/components/query-state";
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
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/format";
import { type ApiKey, useApiKeys, useCreateApiKey, useRevokeApiKey } from "./api";

export function ApiKeysPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = React.useState(false);
  const keys = useApiKeys();
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
      <QueryState
        query={keys}
        skeleton="h-40"
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState
            icon={<KeyRoundIcon />}
            title={t("apiKeys.emptyTitle")}
            description={t("apiKeys.emptyDescription")}
            action={<Button onClick={() => setCreating(true)}>{t("apiKeys.new")}</Button>}
          />
        }
      >
        {(page) => <KeyTable keys={page.data} />}
      </QueryState>
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
  const [name, setName] = React.useState("");
  const [role, setRole] = React.useState<"member" | "admin">("member");
  const create = useCreateApiKey();
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
            <CopyField
              id="new-api-key"
              label={t("apiKeys.yourKey")}
              value={create.data.key}
              warning={t("apiKeys.shownOnce")}
            />
            <DialogFooter>
              <Button onClick={() => close(false)}>{t("apiKeys.done")}</Button>
            </DialogFooter>
          </>
        ) : (
          <DialogForm
            title={t("apiKeys.new")}
            description={t("apiKeys.newDescription")}
            submitLabel={t("apiKeys.create")}
            pending={create.isPending}
            canSubmit={name.trim() !== ""}
            error={create.isError ? create.error : undefined}
            onSubmit={() => create.mutate({ name, role })}
            onCancel={() => close(false)}
          >
            <FormField id="api-key-name" label={t("apiKeys.name")}>
              <Input
                id="api-key-name"
                required
                maxLength={100}
                value={name}
                placeholder={t("apiKeys.namePlaceholder")}
                onChange={(event) => setName(event.target.value)}
              />
            </FormField>
            <FormField id="api-key-role" label={t("apiKeys.role")} hint={t(`apiKeys.roleHelp.${role}`)}>
              <select
                id="api-key-role"
                className="h-9 rounded-md border border-input bg-card px-3 text-sm"
                value={role}
                onChange={(event) => setRole(event.target.value as "member" | "admin")}
              >
                <option value="member">{t("roles.member")}</option>
                <option value="admin">{t("roles.admin")}</option>
              </select>
            </FormField>
          </DialogForm>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const showProblem = useProblemToast();
  const revoke = useRevokeApiKey({ onRevoked: onClose });
  return (
    <ConfirmDialog
      open={apiKey !== null}
      onOpenChange={(open) => !open && onClose()}
      title={t("apiKeys.revokeTitle", { name: apiKey?.name ?? "" })}
      description={t("apiKeys.revokeDescription")}
      confirmLabel={t("apiKeys.revoke")}
      pending={revoke.isPending}
      onConfirm={() => apiKey && revoke.mutate(apiKey.id, { onError: showProblem })}
    />
  );
}
