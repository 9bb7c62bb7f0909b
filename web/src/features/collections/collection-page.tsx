import {
  ArrowLeftIcon,
  CheckCircle2Icon,
  CopyIcon,
  DownloadIcon,
  FileTextIcon,
  MoreHorizontalIcon,
  RotateCwIcon,
  Trash2Icon,
  UploadCloudIcon,
  XIcon,
} from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { describeProblem, formatBytes } from "@/api/problems";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EmptyState } from "@/components/ui/empty-state";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useConsoleConfig } from "@/features/auth/config";
import { cn } from "@/lib/utils";
import {
  type DocumentItem,
  downloadDocument,
  useCollection,
  useDeleteDocument,
  useDocuments,
  useReindexDocument,
} from "./api";
import { percentSent, type UploadItem } from "./upload-queue";
import { useUploadQueue } from "./use-upload-queue";

export function CollectionPage() {
  const { collectionId = "" } = useParams();
  const { t } = useTranslation();
  const collection = useCollection(collectionId);
  const documents = useDocuments(collectionId);
  const uploads = useUploadQueue(collectionId);

  return (
    <>
      <Link
        to="/collections"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden />
        {t("collections.back")}
      </Link>
      {collection.isError ? (
        <ProblemAlert error={collection.error} onRetry={() => collection.refetch()} />
      ) : (
        <PageHeader
          title={collection.data?.name ?? "…"}
          description={collection.data?.description ?? undefined}
          actions={
            <Button onClick={uploads.choose}>
              <UploadCloudIcon aria-hidden />
              {t("documents.uploadFiles")}
            </Button>
          }
        />
      )}
      <div className="grid gap-6">
        <DropZone onFiles={uploads.add} onChoose={uploads.choose} />
        {uploads.inputElement}
        {uploads.items.length > 0 && (
          <UploadList items={uploads.items} onDismiss={uploads.dismiss} onClear={uploads.clearFinished} />
        )}
        {documents.isPending ? (
          <Skeleton className="h-48" />
        ) : documents.isError ? (
          <ProblemAlert error={documents.error} onRetry={() => documents.refetch()} />
        ) : documents.data.data.length === 0 ? (
          <EmptyState
            icon={<FileTextIcon />}
            title={t("documents.emptyTitle")}
            description={t("documents.emptyDescription")}
          />
        ) : (
          <DocumentTable collectionId={collectionId} documents={documents.data.data} />
        )}
      </div>
    </>
  );
}

function DropZone({ onFiles, onChoose }: { onFiles: (files: File[]) => void; onChoose: () => void }) {
  const { t, i18n } = useTranslation();
  const config = useConsoleConfig();
  const [dragging, setDragging] = React.useState(false);
  return (
    <button
      type="button"
      onClick={onChoose}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles([...event.dataTransfer.files]);
      }}
      className={cn(
        "flex w-full flex-col items-center justify-center gap-2 rounded-xl border-2 border-dashed bg-card/60 px-6 py-8 text-center transition-colors hover:border-primary/60 hover:bg-accent/40 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
        dragging && "border-primary bg-primary/5",
      )}
    >
      <span className="flex size-10 items-center justify-center rounded-full bg-primary/10 text-primary">
        <UploadCloudIcon className="size-5" aria-hidden />
      </span>
      <span className="font-medium">{dragging ? t("documents.dropActive") : t("documents.dropTitle")}</span>
      <span className="text-sm text-muted-foreground">
        {t("documents.dropHint", { max: formatBytes(config.limits.max_upload_bytes, i18n.language) })}
      </span>
    </button>
  );
}

function UploadList({
  items,
  onDismiss,
  onClear,
}: {
  items: UploadItem[];
  onDismiss: (id: string) => void;
  onClear: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-label={t("documents.uploadsTitle")} className="rounded-xl border bg-card shadow-xs">
      <div className="flex items-center justify-between border-b px-4 py-2.5">
        <h2 className="text-sm font-semibold">{t("documents.uploadsTitle")}</h2>
        <Button variant="ghost" size="sm" onClick={onClear}>
          {t("documents.clearFinished")}
        </Button>
      </div>
      <ul className="divide-y">
        {items.map((item) => {
          const percent = percentSent(item);
          const problem = item.state === "failed" ? describeProblem(item.error, t, i18n.language) : null;
          return (
            <li key={item.id} className="grid gap-1.5 px-4 py-3">
              <div className="flex items-center gap-3">
                <FileTextIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                <span className="min-w-0 flex-1 truncate text-sm font-medium">{item.file.name}</span>
                <span className="shrink-0 text-xs text-muted-foreground">
                  {formatBytes(item.file.size, i18n.language)}
                </span>
                {item.state === "done" && item.document?.duplicate ? (
                  <Badge variant="secondary">
                    <CopyIcon aria-hidden />
                    {t("documents.duplicate")}
                  </Badge>
                ) : item.state === "done" ? (
                  <Badge variant="success">
                    <CheckCircle2Icon aria-hidden />
                    {t("documents.uploaded")}
                  </Badge>
                ) : item.state === "failed" ? (
                  <Badge variant="destructive">{t("documents.statusFailed")}</Badge>
                ) : (
                  <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                    {item.state === "waiting"
                      ? t("documents.waiting")
                      : t("documents.uploading", { percent })}
                  </span>
                )}
                {(item.state === "done" || item.state === "failed") && (
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-7"
                    aria-label={t("common.close")}
                    onClick={() => onDismiss(item.id)}
                  >
                    <XIcon />
                  </Button>
                )}
              </div>
              {item.state === "uploading" && (
                <Progress value={percent} aria-label={t("documents.uploading", { percent })} />
              )}
              {problem && <p className="text-sm text-destructive">{problem.sentence}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const statusBadge = {
  uploading: { variant: "secondary", key: "documents.statusUploading" },
  queued: { variant: "secondary", key: "documents.statusQueued" },
  processing: { variant: "warning", key: "documents.statusProcessing" },
  ready: { variant: "success", key: "documents.statusReady" },
  failed: { variant: "destructive", key: "documents.statusFailed" },
} as const;

function DocumentStatus({ document }: { document: DocumentItem }) {
  const { t } = useTranslation();
  const badge = statusBadge[document.status];
  const { pages_done: done, pages_total: total } = document.progress;
  const working = document.status === "processing" || document.status === "queued";
  return (
    <div className="grid gap-1">
      <Badge variant={badge.variant} className="w-fit">
        {working && <RotateCwIcon className="animate-spin" aria-hidden />}
        {t(badge.key)}
      </Badge>
      {working && total ? (
        <>
          <Progress value={Math.round((done / total) * 100)} className="w-28" aria-hidden />
          <span className="text-xs text-muted-foreground tabular-nums">
            {t("documents.pagesProgress", { done, total })}
          </span>
        </>
      ) : null}
      {document.status === "failed" && document.error && (
        <span className="max-w-xs text-xs text-destructive">{document.error}</span>
      )}
    </div>
  );
}

function DocumentTable({ collectionId, documents }: { collectionId: string; documents: DocumentItem[] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <div className="rounded-xl border bg-card shadow-xs">
      <Table>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>{t("documents.file")}</TableHead>
            <TableHead>{t("documents.status")}</TableHead>
            <TableHead className="hidden text-right sm:table-cell">{t("documents.pages")}</TableHead>
            <TableHead className="hidden text-right md:table-cell">{t("documents.chunks")}</TableHead>
            <TableHead className="hidden text-right md:table-cell">{t("documents.size")}</TableHead>
            <TableHead className="w-10">
              <span className="sr-only">{t("common.actions")}</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {documents.map((document) => (
            <TableRow key={document.id}>
              <TableCell className="max-w-[14rem] sm:max-w-sm">
                <div className="flex items-center gap-2.5">
                  <FileTextIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                  <span className="truncate font-medium" title={document.filename}>
                    {document.filename}
                  </span>
                </div>
              </TableCell>
              <TableCell>
                <DocumentStatus document={document} />
              </TableCell>
              <TableCell className="hidden text-right tabular-nums sm:table-cell">
                {document.page_count ?? "—"}
              </TableCell>
              <TableCell className="hidden text-right tabular-nums md:table-cell">
                {number.format(document.chunk_count)}
              </TableCell>
              <TableCell className="hidden text-right text-muted-foreground tabular-nums md:table-cell">
                {formatBytes(document.size_bytes, i18n.language)}
              </TableCell>
              <TableCell>
                <DocumentActions collectionId={collectionId} document={document} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function DocumentActions({ collectionId, document }: { collectionId: string; document: DocumentItem }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = React.useState(false);
  const reindex = useReindexDocument(collectionId);
  const remove = useDeleteDocument(collectionId);
  const notify = useToast();
  const showProblem = useProblemToast();
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            aria-label={t("documents.actionsFor", { name: document.filename })}
          >
            <MoreHorizontalIcon />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => downloadDocument(document).catch(showProblem)}>
            <DownloadIcon aria-hidden />
            {t("documents.download")}
          </DropdownMenuItem>
          <DropdownMenuItem
            onSelect={() =>
              reindex.mutate(document.id, {
                onSuccess: () =>
                  notify({ tone: "success", title: t("documents.reindexed", { name: document.filename }) }),
                onError: showProblem,
              })
            }
          >
            <RotateCwIcon aria-hidden />
            {t("documents.reindex")}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => setConfirming(true)}>
            <Trash2Icon aria-hidden />
            {t("common.delete")}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("documents.deleteTitle", { name: document.filename })}
        description={t("documents.deleteDescription")}
        confirmLabel={t("common.delete")}
        pending={remove.isPending}
        onConfirm={() =>
          remove.mutate(document.id, {
            onSuccess: () => {
              setConfirming(false);
              notify({ tone: "success", title: t("documents.deleted", { name: document.filename }) });
            },
            onError: showProblem,
          })
        }
      />
    </>
  );
}
