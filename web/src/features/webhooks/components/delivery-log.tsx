import { useTranslation } from "react-i18next";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { useWebhookDeliveries, type WebhookDelivery } from "../api";

const statusVariant = {
  pending: "secondary",
  retrying: "warning",
  delivered: "success",
  failed: "destructive",
} as const satisfies Record<WebhookDelivery["status"], string>;

/** An endpoint's latest deliveries: the event, how it went, how many attempts, the last answer. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const { t, i18n } = useTranslation();
  const deliveries = useWebhookDeliveries(endpointId);
  return (
    <QueryState
      query={deliveries}
      skeleton="h-20"
      isEmpty={(page) => page.data.length === 0}
      empty={<p className="px-4 py-3 text-sm text-muted-foreground">{t("webhooks.noDeliveries")}</p>}
    >
      {(page) => (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("webhooks.event")}</TableHead>
              <TableHead>{t("webhooks.status")}</TableHead>
              <TableHead className="hidden sm:table-cell">{t("webhooks.attempts")}</TableHead>
              <TableHead>{t("webhooks.response")}</TableHead>
              <TableHead className="hidden md:table-cell">{t("webhooks.when")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.data.map((delivery) => (
              <TableRow key={delivery.id}>
                <TableCell>
                  <code className="text-xs">{delivery.event_type}</code>
                </TableCell>
                <TableCell>
                  <Badge variant={statusVariant[delivery.status]}>
                    {t(`webhooks.deliveryStatus.${delivery.status}`)}
                  </Badge>
                </TableCell>
                <TableCell className="hidden sm:table-cell">{delivery.attempts}</TableCell>
                <TableCell className="text-muted-foreground">
                  <span className="block">
                    {delivery.last_status_code !== null
                      ? `HTTP ${delivery.last_status_code}`
                      : delivery.attempts > 0
                        ? t("webhooks.noAnswer")
                        : "—"}
                  </span>
                  {delivery.last_error && delivery.status !== "delivered" && (
                    <span className="block text-xs">{delivery.last_error}</span>
                  )}
                  {delivery.next_attempt_at && (
                    <span className="block text-xs">
                      {t("webhooks.nextAttempt", {
                        when: formatDateTime(delivery.next_attempt_at, i18n.language),
                      })}
                    </span>
                  )}
                </TableCell>
                <TableCell className="hidden text-muted-foreground md:table-cell">
                  {formatDateTime(delivery.updated_at, i18n.language)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </QueryState>
  );
}
