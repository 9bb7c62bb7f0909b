import { FolderOpenIcon, FolderPlusIcon, MoreHorizontalIcon, PencilIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import {
  type Collection,
  useCollections,
  useCreateCollection,
  useDeleteCollection,
  useRenameCollection,
} from "./api";

export function CollectionsPage() {
  const { t } = useTranslation();
  const collections = useCollections();
  return (
    <>
      <PageHeader
        title={t("nav.collections")}
        description={t("collections.description")}
        actions={<NewCollectionButton />}
      />
      {collections.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
        </div>
      ) : collections.isError ? (
        <ProblemAlert error={collections.error} onRetry={() => collections.refetch()} />
      ) : collections.data.data.length === 0 ? (
        <EmptyState
          icon={<FolderOpenIcon />}
          title={t("collections.emptyTitle")}
          description={t("collections.emptyDescription")}
          action={<NewCollectionButton />}
        />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {collections.data.data.map((collection) => (
            <li key={collection.id}>
              <CollectionCard collection={collection} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function CollectionCard({ collection }: { collection: Collection }) {
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

/** The "New collection" button and its form; opens the new collection once created. */
export function NewCollectionButton() {
  const { t } = useTranslation();
  const [open, setOpen] = React.useState(false);
  const [name, setName] = React.useState("");
  const [description, setDescription] = React.useState("");
  const create = useCreateCollection();
  const navigate = useNavigate();
  const notify = useToast();

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <FolderPlusIcon aria-hidden />
          {t("collections.newCollection")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              { name: name.trim(), description: description.trim() || null },
              {
                onSuccess: (collection) => {
                  setOpen(false);
                  setName("");
                  setDescription("");
                  notify({ tone: "success", title: t("collections.created", { name: collection.name }) });
                  navigate(`/collections/${collection.id}`);
                },
              },
            );
          }}
        >
          <DialogHeader>
            <DialogTitle>{t("collections.newCollection")}</DialogTitle>
            <DialogDescription>{t("collections.description")}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="collection-name">{t("collections.name")}</Label>
            <Input
              id="collection-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder={t("collections.namePlaceholder")}
              maxLength={200}
              required
              autoFocus
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="collection-description">{t("collections.descriptionLabel")}</Label>
            <Textarea
              id="collection-description"
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              maxLength={2000}
              rows={3}
            />
          </div>
          {create.isError && <ProblemAlert error={create.error} />}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={create.isPending || !name.trim()}>
              {t("common.create")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
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
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (next) setName(collection.name);
        else rename.reset();
      }}
    >
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate(
              { collectionId: collection.id, name: name.trim() },
              {
                onSuccess: () => {
                  onOpenChange(false);
                  notify({ tone: "success", title: t("collections.renamed") });
                },
              },
            );
          }}
        >
          <DialogHeader>
            <DialogTitle>{t("collections.renameTitle")}</DialogTitle>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor={`rename-${collection.id}`}>{t("collections.name")}</Label>
            <Input
              id={`rename-${collection.id}`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={200}
              required
              autoFocus
            />
          </div>
          {rename.isError && <ProblemAlert error={rename.error} />}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={rename.isPending || !name.trim()}>
              {t("common.save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
