import { DownloadIcon, FileTextIcon, MoreHorizontalIcon, RotateCwIcon, Trash2Icon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "@/api/problems";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useProblemToast } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { type DocumentItem, downloadDocument, useDeleteDocument, useReindexDocument } from "../api";
import { DocumentStatus } from "./document-status";

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
