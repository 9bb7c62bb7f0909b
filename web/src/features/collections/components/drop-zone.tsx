import { UploadCloudIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "@/api/problems";
import { useConsoleConfig } from "@/features/auth/config";
import { cn } from "@/lib/utils";

export function DropZone({ onFiles, onChoose }: { onFiles: (files: File[]) => void; onChoose: () => void }) {
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
