import { useQuery } from "@tanstack/react-query";
import { DownloadIcon, ExternalLinkIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "@/api/client";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { downloadDocument, openDocumentAt } from "@/lib/open-document";
import { passageQuery } from "./api";
import { highlightRange, type SourceUnit, unitOfFilename } from "./units";

/** What a source view needs of a citation (the chat's and the search's citations both have it). */
export interface CitedSource {
  index: number;
  document_id: string;
  chunk_id: string;
  filename: string;
  page: number | null;
  section: string | null;
  excerpt: string;
}

/** "slide 3", "page 7", "section “Setup”": where a citation's passage lies, in the console's language. */
export function useWhere() {
  const { t } = useTranslation();
  return (unit: SourceUnit, number: number | null, section: string | null): string | null => {
    if (unit !== "section" && number) return t(`sources.${unit}`, { number });
    if (section) return t("sources.section", { name: section.split(" > ").at(-1) });
    return null;
  };
}

/**
 * A citation read in place: the text of its page, slide or section with the cited passage
 * highlighted, the document's name, its original to download under its own name and, for a PDF,
 * to open at the page.
 */
export function SourceDialog({
  citation,
  open,
  onOpenChange,
}: {
  citation: CitedSource;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const where = useWhere();
  const showProblem = useProblemToast();
  const passage = useQuery({ ...passageQuery(citation), enabled: open });
  const unit = passage.data?.unit ?? unitOfFilename(citation.filename);
  const number = passage.data?.number ?? citation.page;
  const place = where(unit, number, passage.data?.section ?? citation.section);
  const gone = passage.error instanceof ApiError && passage.error.status === 404;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="flex max-h-[calc(100dvh-2rem)] max-w-2xl flex-col">
        <DialogHeader>
          <DialogTitle className="break-words">{citation.filename}</DialogTitle>
          <DialogDescription>
            {t("sources.viewTitle", { index: citation.index })}
            {place && ` · ${place}`}
          </DialogDescription>
        </DialogHeader>
        {/* Focusable, so that a keyboard scrolls a passage longer than the dialog. */}
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to scroll by keyboard
          tabIndex={0}
          aria-label={t("sources.passageRegion")}
          className="min-h-0 flex-1 overflow-y-auto rounded-lg border bg-muted/30 p-4 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        >
          {passage.isPending ? (
            <Skeleton className="h-48" />
          ) : gone ? (
            <p className="text-sm text-muted-foreground">{t("sources.gone")}</p>
          ) : passage.isError ? (
            <ProblemAlert error={passage.error} onRetry={() => passage.refetch()} />
          ) : (
            <PassageText text={passage.data.text} range={highlightRange(passage.data, citation.excerpt)} />
          )}
        </section>
        {passage.isSuccess && <p className="text-xs text-muted-foreground">{t("sources.asIndexed")}</p>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button
            variant="outline"
            className="max-w-full"
            onClick={() => downloadDocument(citation.document_id, citation.filename).catch(showProblem)}
          >
            <DownloadIcon aria-hidden />
            <span className="truncate">{t("sources.download", { filename: citation.filename })}</span>
          </Button>
          {unit === "page" && (
            <Button
              onClick={() =>
                openDocumentAt(citation.document_id, number, citation.filename).catch(showProblem)
              }
            >
              <ExternalLinkIcon aria-hidden />
              {number ? t("sources.openPdf", { number }) : t("sources.openOriginal")}
            </Button>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}

/** The passage's text with the cited part marked, scrolled into view when shown. */
function PassageText({ text, range }: { text: string; range: { start: number; end: number } }) {
  const mark = React.useRef<HTMLElement>(null);
  React.useEffect(() => {
    mark.current?.scrollIntoView?.({ block: "center" });
  }, []);
  return (
    <p className="whitespace-pre-wrap break-words text-sm leading-relaxed" data-testid="source-text">
      {text.slice(0, range.start)}
      <mark
        ref={mark}
        data-testid="cited-passage"
        className="rounded-sm bg-yellow-200 px-0.5 text-foreground dark:bg-yellow-500/40"
      >
        {text.slice(range.start, range.end)}
      </mark>
      {text.slice(range.end)}
    </p>
  );
}
