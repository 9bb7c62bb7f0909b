import { ScrollTextIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { type AuditEvent, useAuditEvents } from "../api";

/** Who did what to the workspace, and when (owners and admins; the API refuses others). */
export function AuditPage() {
  const { t } = useTranslation();
  const events = useAuditEvents();
  const rows = events.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <PageHeader title={t("nav.audit")} description={t("audit.description")} />
      {events.isPending ? (
        <Skeleton className="h-40" />
      ) : events.isError ? (
        <ProblemAlert error={events.error} onRetry={() => events.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<ScrollTextIcon />}
          title={t("audit.emptyTitle")}
          description={t("audit.emptyDescription")}
        />
      ) : (
        <>
          <AuditTable events={rows} />
          {events.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button
                variant="outline"
                onClick={() => events.fetchNextPage()}
                disabled={events.isFetchingNextPage}
              >
                {t("audit.more")}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card className="p-0">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("audit.when")}</TableHead>
            <TableHead>{t("audit.action")}</TableHead>
            <TableHead>{t("audit.actor")}</TableHead>
            <TableHead className="hidden md:table-cell">{t("audit.target")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => (
            <TableRow key={event.id}>
              <TableCell className="md:whitespace-nowrap">
                {formatDateTime(event.created_at, i18n.language)}
              </TableCell>
              <TableCell>
                {t(`audit.actions.${event.action.replace(".", "_")}`, { defaultValue: event.action })}
              </TableCell>
              <TableCell>
                {t(`audit.actors.${event.actor.type}`, { defaultValue: event.actor.type })}
                {event.actor.id && (
                  <span className="ml-1 font-mono text-muted-foreground text-xs">{event.actor.id}</span>
                )}
              </TableCell>
              <TableCell className="hidden font-mono text-xs md:table-cell">
                {event.target.id ?? "—"}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}
