import { CopyIcon, FileTextIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { describeProblem, formatBytes } from "@/api/problems";
import { useProblemAudience } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import type { DocumentItem } from "../api";
import { percentSent, type UploadItem } from "../upload-queue";
import { DocumentStatus } from "./document-status";

/**
 * The files being sent. Once the API has a file, its line follows the document's own state (queued,
 * processing, ready, failed and why) from the collection's list, so that it never says one thing
 * while the table says another.
 */
export function UploadList({
  items,
  documents,
  onDismiss,
  onClear,
}: {
  items: UploadItem[];
  /** The collection's documents as last listed: the source of truth for a sent file's state. */
  documents: DocumentItem[];
  onDismiss: (id: string) => void;
  onClear: () => void;
}) {
  const { t, i18n } = useTranslation();
  const audience = useProblemAudience();
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
          const problem =
            item.state === "failed" ? describeProblem(item.error, t, i18n.language, audience) : null;
          const document =
            item.state === "done" && item.document
              ? (documents.find((listed) => listed.id === item.document?.id) ?? item.document)
              : undefined;
          return (
            <li key={item.id} className="grid gap-1.5 px-4 py-3">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
                <FileTextIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                <span className="min-w-0 flex-1 truncate text-sm font-medium">{item.file.name}</span>
                <span className="shrink-0 text-xs text-muted-foreground">
                  {formatBytes(item.file.size, i18n.language)}
                </span>
                {item.state === "done" && item.document?.duplicate && (
                  <Badge variant="secondary">
                    <CopyIcon aria-hidden />
                    {t("documents.duplicate")}
                  </Badge>
                )}
                {item.state === "failed" ? (
                  <Badge variant="destructive">{t("documents.refused")}</Badge>
                ) : item.state === "waiting" || item.state === "uploading" ? (
                  <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                    {item.state === "waiting"
                      ? t("documents.waiting")
                      : t("documents.uploading", { percent })}
                  </span>
                ) : null}
                {(item.state === "done" || item.state === "failed") && (
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-7"
                    aria-label={t("documents.dismiss", { name: item.file.name })}
                    onClick={() => onDismiss(item.id)}
                  >
                    <XIcon />
                  </Button>
                )}
              </div>
              {document && <DocumentStatus document={document} />}
              {item.state === "uploading" && (
                <Progress value={percent} aria-label={t("documents.uploading", { percent })} />
              )}
              {problem && (
                <p className="text-sm text-destructive">
                  {problem.sentence}
                  {problem.hint && <span className="block text-muted-foreground">{problem.hint}</span>}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
