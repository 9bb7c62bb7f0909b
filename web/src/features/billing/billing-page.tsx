import { useQuery } from "@tanstack/react-query";
import { CircleAlertIcon, CreditCardIcon, ExternalLinkIcon, SparklesIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { formatBytes } from "@/api/problems";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { formatDate, formatNumber } from "@/lib/format";
import { billingQuery, tenantDetailsQuery, useStripeRedirects } from "./api";

// Stripe's subscription statuses, in the console's words; one it adds later shows as Stripe says it.
const subscriptionStatuses = [
  "active",
  "trialing",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "paused",
] as const;
type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export function BillingPage() {
  const { t, i18n } = useTranslation();
  const { tenant } = useTenant();
  const [params] = useSearchParams();
  const status = useQuery(billingQuery());
  const details = useQuery(tenantDetailsQuery(tenant.id));
  const { checkout, portal } = useStripeRedirects(`${window.location.origin}/billing`);
  const canPay = tenant.role !== "member";

  if (status.isPending) {
    return (
      <>
        <PageHeader title={t("nav.billing")} />
        <Skeleton className="h-48" />
      </>
    );
  }
  if (status.isError) {
    return (
      <>
        <PageHeader title={t("nav.billing")} />
        <ProblemAlert error={status.error} onRetry={() => status.refetch()} />
      </>
    );
  }
  const billing = status.data;
  const limits = details.data?.limits;
  return (
    <>
      <PageHeader title={t("nav.billing")} description={t("billing.description")} />
      <div className="grid gap-6">
        {params.get("checkout") === "done" && (
          <p role="status" className="rounded-lg border border-success/30 bg-success/10 p-4 text-sm">
            {t("billing.checkoutDone")}
          </p>
        )}
        {!billing.configured ? (
          <EmptyState
            icon={<CreditCardIcon />}
            title={t("billing.notConfiguredTitle")}
            description={
              canPay
                ? `${t("billing.notConfiguredDescription")} ${t("billing.notConfiguredAdmin")}`
                : t("billing.notConfiguredDescription")
            }
          />
        ) : null}
        <Card>
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <CardTitle>{t("billing.currentPlan")}</CardTitle>
              <Badge variant={billing.plan === "pro" ? "default" : "secondary"}>
                {t(`billing.plans.${billing.plan}`)}
              </Badge>
              {billing.subscription_status && (
                <Badge variant={billing.subscription_status === "active" ? "success" : "warning"}>
                  {subscriptionStatuses.includes(billing.subscription_status as SubscriptionStatus)
                    ? t(`billing.subscription.${billing.subscription_status as SubscriptionStatus}`)
                    : billing.subscription_status}
                </Badge>
              )}
            </div>
            <CardDescription>
              {billing.current_period_end
                ? t("billing.renews", { date: formatDate(billing.current_period_end, i18n.language) })
                : billing.configured
                  ? t(`billing.planSummary.${billing.plan}`)
                  : // Without billing there is no upgrade to suggest.
                    t("billing.limitsApply", { plan: t(`billing.plans.${billing.plan}`) })}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {billing.payment_failed_at && (
              <p role="alert" className="flex items-start gap-2 text-sm text-destructive">
                <CircleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
                {t("billing.paymentFailed", { date: formatDate(billing.payment_failed_at, i18n.language) })}
              </p>
            )}
            {limits && (
              <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
                {(
                  [
                    ["assistants", limits.assistants],
                    ["collections", limits.collections],
                    ["documents", limits.documents],
                    ["storage_bytes", limits.storage_bytes],
                    ["chat_messages", limits.chat_messages],
                    ["ingested_pages", limits.ingested_pages],
                    ["llm_tokens", limits.llm_tokens],
                    ["requests_per_minute", limits.requests_per_minute],
                  ] as const
                ).map(([metric, limit]) => (
                  <div key={metric} className="grid">
                    <dt className="text-muted-foreground">{t(`usage.metrics.${metric}`)}</dt>
                    <dd className="font-medium tabular-nums">
                      {metric === "storage_bytes"
                        ? formatBytes(limit, i18n.language)
                        : formatNumber(limit, i18n.language)}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            {billing.configured && (
              <div className="flex flex-wrap gap-2">
                {billing.plan === "free" && (
                  <Button disabled={!canPay || checkout.isPending} onClick={() => checkout.mutate()}>
                    <SparklesIcon aria-hidden />
                    {t("billing.upgrade")}
                  </Button>
                )}
                {billing.has_customer && (
                  <Button
                    variant="outline"
                    disabled={!canPay || portal.isPending}
                    onClick={() => portal.mutate()}
                  >
                    <ExternalLinkIcon aria-hidden />
                    {t("billing.manage")}
                  </Button>
                )}
              </div>
            )}
            {billing.configured && !canPay && (
              <p className="text-sm text-muted-foreground">{t("billing.adminsOnly")}</p>
            )}
            {checkout.isError && <ProblemAlert error={checkout.error} />}
            {portal.isError && <ProblemAlert error={portal.error} />}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
