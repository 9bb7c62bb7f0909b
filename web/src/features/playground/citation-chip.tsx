import { FileTextIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { SourceDialog, useWhere } from "@/features/sources/source-dialog";
import { unitOfFilename } from "@/features/sources/units";
import { cn } from "@/lib/utils";
import type { Citation } from "./answer-stream";

/**
 * A numbered source: its file and page (or slide), the cited excerpt on hover or focus, and a click
 * (or Enter) that opens the source view at the cited passage. `compact` is the inline marker in the text.
 */
export function CitationChip({ citation, compact = false }: { citation: Citation; compact?: boolean }) {
  const { t } = useTranslation();
  const tooltipId = React.useId();
  const [viewing, setViewing] = React.useState(false);
  const where = useWhere()(unitOfFilename(citation.filename), citation.page, null);
  const label = t("sources.openSource", {
    index: citation.index,
    filename: citation.filename,
    // The name holds the chip's visible text ("1 file.pdf · p. 3") as written, for voice control.
    where: where ? `· ${where}` : "",
  });
  return (
    <span className="group relative inline-flex align-baseline">
      <button
        type="button"
        aria-label={label}
        aria-describedby={tooltipId}
        onClick={() => setViewing(true)}
        className={cn(
          "inline-flex max-w-64 items-center gap-1 rounded-full border bg-primary/8 font-medium text-primary transition-colors hover:bg-primary/15 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
          compact
            ? "mx-0.5 h-5 min-w-5 justify-center px-1 text-[0.7rem] leading-none"
            : "h-7 px-2.5 text-xs",
        )}
      >
        {compact ? (
          citation.index
        ) : (
          <>
            {/* The spaces between the parts keep the text as read ("1 file.pdf · page 3") whole in the name. */}
            <span className="tabular-nums">{citation.index}</span>{" "}
            <FileTextIcon className="size-3 shrink-0" aria-hidden />
            <span className="truncate">{citation.filename}</span>{" "}
            {where && <span className="shrink-0 text-muted-foreground">· {where}</span>}
          </>
        )}
      </button>
      <span
        id={tooltipId}
        role="tooltip"
        // Out of the layout until shown: a hidden tooltip near the edge widened the page.
        className="pointer-events-none absolute bottom-full left-1/2 z-30 mb-2 hidden w-72 max-w-[80vw] -translate-x-1/2 rounded-lg border bg-card p-3 text-left text-xs font-normal text-card-foreground shadow-lg group-focus-within:block group-hover:block"
      >
        <span className="mb-1 block font-medium">
          {citation.filename}
          {where && ` · ${where}`}
          {citation.section && ` · ${citation.section}`}
        </span>
        <span className="line-clamp-6 block text-muted-foreground">“{citation.excerpt}”</span>
      </span>
      <SourceDialog citation={citation} open={viewing} onOpenChange={setViewing} />
    </span>
  );
}
