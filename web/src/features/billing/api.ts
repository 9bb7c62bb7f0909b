import { queryOptions, useMutation } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Query keys of this feature, built in one place. */
export const billingKeys = {
  status: ["billing"] as const,
  tenant: (id: string) => ["tenant-details", id] as const,
};

export const billingQuery = () =>
  queryOptions({ queryKey: billingKeys.status, queryFn: () => unwrap(api.GET("/api/v1/billing")) });

/** The workspace's details: its plan's limits. */
export const tenantDetailsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: billingKeys.tenant(tenantId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } })),
  });

/** Stripe Checkout (upgrade) and the customer portal: both leave the console for Stripe's page. */
export function useStripeRedirects(returnUrl: string) {
  const leaveFor = (session: { url: string }) => window.location.assign(session.url);
  const checkout = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/billing/checkout", {
          body: { success_url: `${returnUrl}?checkout=done`, cancel_url: `${returnUrl}?checkout=cancelled` },
        }),
      ),
    onSuccess: leaveFor,
  });
  const portal = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/billing/portal", { body: { return_url: returnUrl } })),
    onSuccess: leaveFor,
  });
  return { checkout, portal };
}
