import { LockIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "@/components/ui/empty-state";
import { useConsoleConfig } from "./config";
import { TenantGate } from "./tenant-gate";

const ClerkGate = React.lazy(() => import("./clerk-gate"));

/** Clerk when the server has a publishable key; otherwise the dev bypass's workspace picker. */
export function AuthGate({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const config = useConsoleConfig();
  if (config.clerk_publishable_key) {
    return <ClerkGate publishableKey={config.clerk_publishable_key}>{children}</ClerkGate>;
  }
  if (config.dev_auth_bypass) return <TenantGate devBypass>{children}</TenantGate>;
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <EmptyState
        icon={<LockIcon />}
        title={t("tenant.noAuthTitle")}
        description={t("tenant.noAuthDescription")}
      />
    </main>
  );
}
