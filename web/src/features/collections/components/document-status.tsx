import type { TFunction } from "i18next";
import { RotateCwIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useProblemAudience } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Progress } from "@/components/ui/progress";
import type { DocumentItem } from "../api";

const statusBadge = {
  uploading: { variant: "secondary", key: "documents.statusUploading" },
  queued: { variant: "secondary", key: "documents.statusQueued" },
  processing: { variant: "warning", key: "documents.statusProcessing" },
  ready: { variant: "success", key: "documents.statusReady" },
  failed: { variant: "destructive", key: "documents.statusFailed" },
} as const;

type FailureCode = NonNullable<DocumentItem["error_code"]>;

/**
 * Why a document failed, in the console's language and with what the user can do. The server's
 * settings (VISION_MODEL) are named to owners and admins only, who can set them.
 */
export function failureSentence(document: DocumentItem, t: TFunction, admin: boolean): string {
  const code: FailureCode | "unknown" = document.error_code ?? "unknown";
  if (code === "no_text_layer" && admin) return t("documentFailures.no_text_layerAdmin");
  return t(`documentFailures.${code}`);
}

/** A document's state, one badge and (working) its pages or (failed) why, as in the table and the uploads. */
export function DocumentStatus({ document }: { document: DocumentItem }) {
  const { t } = useTranslation();
  const { admin = false } = useProblemAudience();
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
      {document.status === "failed" && (
        <span className="max-w-xs text-xs text-destructive">{failureSentence(document, t, admin)}</span>
      )}
    </div>
  );
}
