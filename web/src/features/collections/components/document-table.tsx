import { DownloadIcon, FileTextIcon, MoreHorizontalIcon, RotateCwIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "@/api/problems";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useProblemToast } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Progress } from "@/components/ui/progress";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { type DocumentItem, downloadDocument, useDeleteDocument, useReindexDocument } from "../api";

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

export function DocumentTable({
  collectionId,
  documents,
}: {
  collectionId: string;
  documents: DocumentItem[];
}) {
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
