import { useQuery } from "@tanstack/react-query";
import { SparklesIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiErrorFrom, authHeaders } from "@/api/client";
import { kpisQuery } from "@/api/kpis";
import { ProblemAlert, useProblemAudience } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { KpiCards, KpiChart } from "./kpi-cards";

/** CopilotKit (with shiki, mermaid, katex) is fetched only once a model is known to answer. */
const CopilotChat = React.lazy(() => import("./copilot-chat"));

export const COPILOT_RUNTIME_URL = "/api/copilotkit";

/** Whether the copilot has a model: its runtime's info route answers, or says `not_configured`. */
async function copilotAvailable(): Promise<true> {
  let response: Response;
  try {
    response = await fetch(`${COPILOT_RUNTIME_URL}/info`, { headers: await authHeaders() });
  } catch {
    throw ApiError.network();
  }
  if (!response.ok) throw await apiErrorFrom(response);
  return true;
}

/**
 * The copilot's side panel: the tenant's KPIs as cards and a chart, fetched straight from `GET /kpis`
 * (useful without a model), and the chat below them when a model is configured.
 */
export default function CopilotPanel({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const kpis = useQuery({ ...kpisQuery(), enabled: open });
  const copilot = useQuery({
    queryKey: ["copilot", "info"],
    queryFn: copilotAvailable,
    enabled: open,
    retry: false,
    staleTime: 60_000,
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="top-0 right-0 left-auto h-dvh w-full max-w-lg translate-x-0 translate-y-0 content-start overflow-y-auto rounded-none border-y-0 border-r-0 sm:w-[32rem]">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <SparklesIcon className="size-4 text-primary" aria-hidden />
            {t("copilot.title")}
          </DialogTitle>
          <DialogDescription>{t("copilot.description")}</DialogDescription>
        </DialogHeader>
        {kpis.isPending ? (
          <Skeleton className="h-64" />
        ) : kpis.isError ? (
          <ProblemAlert error={kpis.error} onRetry={() => kpis.refetch()} />
        ) : (
          <>
            <KpiCards kpis={kpis.data} />
            <KpiChart kpis={kpis.data} />
          </>
        )}
        <section className="border-t pt-4">
          {copilot.isPending ? (
            <Skeleton className="h-24" />
          ) : copilot.isError ? (
            <ChatUnavailable error={copilot.error} onRetry={() => copilot.refetch()} />
          ) : (
            <React.Suspense
              fallback={<p className="text-sm text-muted-foreground">{t("copilot.chatLoading")}</p>}
            >
              <CopilotChat runtimeUrl={COPILOT_RUNTIME_URL} />
            </React.Suspense>
          )}
        </section>
      </DialogContent>
    </Dialog>
  );
}

/**
 * Why there is no chat, with how to give the copilot a model: `not_configured` is the copilot
 * saying it has none; any other failure is the copilot Worker not answering (not running).
 */
function ChatUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  // The server's settings are for those who can change them.
  const { admin } = useProblemAudience();
  const modelMissing = error instanceof ApiError && error.problem?.code === "not_configured";
  const title = modelMissing ? t("copilot.modelNeededTitle") : t("copilot.unreachableTitle");
  return (
    <div role="note" aria-label={title} className="grid gap-2 rounded-lg border border-dashed p-4 text-sm">
      <p className="font-medium">{title}</p>
      {!modelMissing && admin && (
        <p className="text-muted-foreground">
          {t("copilot.unreachable", { status: error instanceof ApiError ? error.status : 0 })}{" "}
          <Button variant="link" size="sm" className="h-auto p-0" onClick={onRetry}>
            {t("common.retry")}
          </Button>
        </p>
      )}
      <p className="text-muted-foreground">
        {admin ? t("copilot.modelNeeded") : t("copilot.modelNeededMember")}
      </p>
    </div>
  );
}
