import { CheckCircle2Icon, CopyIcon, FileTextIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { describeProblem, formatBytes } from "@/api/problems";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { percentSent, type UploadItem } from "../upload-queue";

export function UploadList({
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
