import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AnchorIcon, ArrowRightIcon, Building2Icon, PlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { api, setCredentials, unwrap } from "@/api/client";
import { planName } from "@/api/problems";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { ReceivedInvitations } from "@/features/members/components/received-invitations";
import { rememberedTenant, type Tenant, TenantContext } from "./tenant-context";

export const tenantKeys = { all: ["tenants"] as const };

/**
 * Renders its children inside the chosen workspace (sent as X-Tenant-ID), or the picker when none
 * is chosen yet. Switching workspace drops every cached query: nothing of one tenant shows in another.
 */
export function TenantGate({
  devBypass,
  signOut,
  children,
}: {
  devBypass: boolean;
  signOut?: () => void;
  children: React.ReactNode;
}) {
  const queryClient = useQueryClient();
  const [tenantId, setTenantId] = React.useState(rememberedTenant.get);
  const tenants = useQuery({
    queryKey: tenantKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/tenants", { params: { query: { limit: 100 } } })),
  });
  const tenant = tenants.data?.data.find((candidate) => candidate.id === tenantId);

  const switchTenant = React.useCallback(
    (next: string | null) => {
      rememberedTenant.set(next);
      setCredentials({ tenantId: next });
      queryClient.removeQueries({
        predicate: (query) => !["tenants", "console-config"].includes(String(query.queryKey[0])),
      });
      setTenantId(next);
    },
    [queryClient],
  );

  // Credentials are set during render, before the children's first queries are sent.
  setCredentials({ tenantId: tenant?.id ?? null });

  if (tenants.isPending) return <FullPageSkeleton />;
  if (tenants.isError) {
    return (
      <CenteredCard>
        <ProblemAlert error={tenants.error} onRetry={() => tenants.refetch()} />
      </CenteredCard>
    );
  }
  if (!tenant) {
    return (
      <TenantPicker
        tenants={tenants.data.data}
        devBypass={devBypass}
        onPick={(picked) => switchTenant(picked.id)}
      />
    );
  }
  return (
    <TenantContext.Provider value={{ tenant, tenants: tenants.data.data, switchTenant, signOut }}>
      {children}
    </TenantContext.Provider>
  );
}

function CenteredCard({ children }: { children: React.ReactNode }) {
  return <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-4">{children}</main>;
}

function FullPageSkeleton() {
  const { t } = useTranslation();
  return (
    <CenteredCard>
      <div
        className="grid w-full max-w-md gap-3"
        role="status"
        aria-busy="true"
        aria-label={t("common.loading")}
      >
        <Skeleton className="h-8 w-1/2" />
        <Skeleton className="h-28 w-full" />
      </div>
    </CenteredCard>
  );
}

/** Pick an existing workspace or create one: the console's first screen with nothing configured. */
export function TenantPicker({
  tenants,
  devBypass,
  onPick,
}: {
  tenants: Tenant[];
  devBypass: boolean;
  onPick: (tenant: Tenant) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = React.useState("");
  const create = useMutation({
    mutationFn: (tenantName: string) => unwrap(api.POST("/api/v1/tenants", { body: { name: tenantName } })),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: tenantKeys.all });
      onPick(created);
    },
  });

  return (
    <CenteredCard>
      <div className="grid w-full max-w-md gap-6">
        <div className="flex items-center gap-2 text-lg font-semibold">
          <span className="flex size-8 items-center justify-center rounded-lg bg-primary text-primary-foreground">
            <AnchorIcon className="size-4" aria-hidden />
          </span>
          {t("common.appName")}
        </div>
        {/* Someone invited before having a workspace of their own sees it first, accepts, and enters it. */}
        <ReceivedInvitations onJoined={onPick} />
        <Card>
          <CardHeader>
            <CardTitle className="text-base">
              <h1>{t("tenant.pickTitle")}</h1>
            </CardTitle>
            <CardDescription>{t("tenant.pickDescription")}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-5">
            {tenants.length > 0 ? (
              <ul className="grid gap-2" aria-label={t("tenant.switcher")}>
                {tenants.map((candidate) => (
                  <li key={candidate.id}>
                    <button
                      type="button"
                      onClick={() => onPick(candidate)}
                      className="group flex w-full items-center gap-3 rounded-lg border bg-card px-3 py-2.5 text-left transition-colors hover:border-primary/50 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      <Building2Icon className="size-4 text-muted-foreground" aria-hidden />
                      <span className="flex-1 truncate font-medium">{candidate.name}</span>
                      <span className="text-xs text-muted-foreground">
                        {t("tenant.plan", { plan: planName(candidate.plan, t) })}
                      </span>
                      <ArrowRightIcon
                        className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5"
                        aria-hidden
                      />
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-muted-foreground">{t("tenant.none")}</p>
            )}
            <form
              className="grid gap-2 border-t pt-5"
              onSubmit={(event) => {
                event.preventDefault();
                if (name.trim()) create.mutate(name.trim());
              }}
            >
              <Label htmlFor="new-tenant-name">{t("tenant.newName")}</Label>
              <div className="flex gap-2">
                <Input
                  id="new-tenant-name"
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  placeholder={t("tenant.newPlaceholder")}
                  maxLength={200}
                  required
                />
                <Button type="submit" disabled={create.isPending || !name.trim()}>
                  <PlusIcon aria-hidden />
                  {t("tenant.createAction")}
                </Button>
              </div>
              {create.isError && <ProblemAlert error={create.error} />}
            </form>
          </CardContent>
        </Card>
        {devBypass && (
          <p className="text-center text-xs text-muted-foreground">{t("tenant.devBypassNote")}</p>
        )}
      </div>
    </CenteredCard>
  );
}
