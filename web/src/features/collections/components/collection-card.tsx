import { FolderOpenIcon, MoreHorizontalIcon, PencilIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormDialog, FormField } from "@/components/form-dialog";
import { useProblemToast } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { type Collection, useDeleteCollection, useRenameCollection } from "../api";

export function CollectionCard({ collection }: { collection: Collection }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = React.useState(false);
  const [renaming, setRenaming] = React.useState(false);
  const remove = useDeleteCollection();
  const notify = useToast();
  const showProblem = useProblemToast();
  return (
    <div className="group relative flex h-full flex-col gap-3 rounded-xl border bg-card p-5 shadow-xs transition-shadow focus-within:ring-2 focus-within:ring-ring hover:shadow-md">
      <div className="flex items-start justify-between gap-2">
        <span className="flex size-9 items-center justify-center rounded-lg bg-primary/10 text-primary">
          <FolderOpenIcon className="size-4" aria-hidden />
        </span>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button
              variant="ghost"
              size="icon"
              className="relative z-10 -mt-1 -mr-2 size-8"
              aria-label={t("documents.actionsFor", { name: collection.name })}
            >
              <MoreHorizontalIcon />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={() => setRenaming(true)}>
              <PencilIcon aria-hidden />
              {t("common.rename")}
            </DropdownMenuItem>
            <DropdownMenuItem variant="destructive" onSelect={() => setConfirming(true)}>
              <Trash2Icon aria-hidden />
              {t("common.delete")}
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      <div className="grid gap-1">
        <Link
          to={`/collections/${collection.id}`}
          className="font-semibold after:absolute after:inset-0 after:rounded-xl focus-visible:outline-none"
        >
          {collection.name}
        </Link>
        <p className="line-clamp-2 text-sm text-muted-foreground">
          {collection.description ||
            t("collections.createdOn", {
              date: new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(
                new Date(collection.created_at),
              ),
            })}
        </p>
      </div>
      <RenameDialog collection={collection} open={renaming} onOpenChange={setRenaming} />
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("collections.deleteTitle", { name: collection.name })}
        description={t("collections.deleteDescription")}
        confirmLabel={t("common.delete")}
        pending={remove.isPending}
        onConfirm={() =>
          remove.mutate(collection.id, {
            onSuccess: () => {
              setConfirming(false);
              notify({ tone: "success", title: t("collections.deleted", { name: collection.name }) });
            },
            onError: showProblem,
          })
        }
      />
    </div>
  );
}

function RenameDialog({
  collection,
  open,
  onOpenChange,
}: {
  collection: Collection;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = React.useState(collection.name);
  const rename = useRenameCollection();
  const notify = useToast();
  // Each opening starts from the collection's current name.
  React.useEffect(() => {
    if (open) setName(collection.name);
  }, [open, collection.name]);
  return (
    <FormDialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) rename.reset();
      }}
      title={t("collections.renameTitle")}
      submitLabel={t("common.save")}
      pending={rename.isPending}
      canSubmit={name.trim() !== ""}
      error={rename.isError ? rename.error : undefined}
      onSubmit={() =>
        rename.mutate(
          { collectionId: collection.id, name: name.trim() },
          {
            onSuccess: () => {
              onOpenChange(false);
              notify({ tone: "success", title: t("collections.renamed") });
            },
          },
        )
      }
    >
      <FormField id={`rename-${collection.id}`} label={t("collections.name")}>
        <Input
          id={`rename-${collection.id}`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={200}
          required
          autoFocus
        />
      </FormField>
    </FormDialog>
  );
}
