import { useQuery, useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Progress } from "@/components/ui/progress";
import { syncQuery } from "./api";
import { isSyncFinished, type NangoSync, SYNC_COUNTERS, syncPercent } from "./sync-progress";

const statusTone = {
  completed: "success",
  stopped: "warning",
  failed: "destructive",
} as const;

/**
 * A sync's progress, polled until it finishes. Once it has, the documents and collections the console
 * holds are stale (it added, updated or removed documents): they are fetched again, so the
 * collection shows what the sync imported without waiting for the cache to age.
 */
export function SyncProgressCard({ syncId }: { syncId: string }) {
  const sync = useQuery(syncQuery(syncId));
  const queryClient = useQueryClient();
  const finished = sync.data !== undefined && isSyncFinished(sync.data);
  React.useEffect(() => {
    if (!finished) return;
    queryClient.invalidateQueries({ queryKey: ["documents"] });
    queryClient.invalidateQueries({ queryKey: ["collections"] });
  }, [finished, queryClient]);
  return <QueryState query={sync}>{(data) => <SyncProgressView sync={data} />}</QueryState>;
}

export function SyncProgressView({ sync }: { sync: NangoSync }) {
  const { t, i18n } = useTranslation();
  const percent = syncPercent(sync);
  const number = new Intl.NumberFormat(i18n.language);
  const tone = isSyncFinished(sync) ? statusTone[sync.status as keyof typeof statusTone] : "default";
  return (
    <section aria-label={t("integrations.syncProgress")} className="grid gap-3 rounded-lg border p-4">
      <div className="flex items-center justify-between gap-2 text-sm">
        <span className="font-medium">{t("integrations.syncProgress")}</span>
        <Badge variant={tone}>{t(`integrations.status.${sync.status}`)}</Badge>
      </div>
      <Progress
        value={percent ?? 0}
        aria-label={
          percent === null
            ? t("integrations.listing")
            : t("integrations.filesHandled", {
                handled: number.format(sync.progress.files_found - sync.progress.pending),
                found: number.format(sync.progress.files_found),
              })
        }
      />
      <dl className="grid grid-cols-3 gap-3 sm:grid-cols-6">
        {SYNC_COUNTERS.map((counter) => (
          <div key={counter} className="grid gap-0.5">
            <dt className="text-xs text-muted-foreground">{t(`integrations.counters.${counter}`)}</dt>
            <dd className="font-semibold tabular-nums">{number.format(sync.progress[counter])}</dd>
          </div>
        ))}
      </dl>
      {sync.error && (
        <p role="status" className="text-sm font-medium text-warning">
          {sync.error}
        </p>
      )}
      {sync.failures.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted-foreground">
            {t("integrations.failures", { count: sync.failures.length })}
          </summary>
          <ul className="mt-2 grid gap-1">
            {sync.failures.map((file) => (
              <li key={file.external_id} className="flex gap-2">
                <span className="truncate font-medium">{file.name}</span>
                <span className="text-muted-foreground">
                  {file.error ?? t(`integrations.fileStatus.${file.status}`)}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
