import * as React from "react";
import type { Schemas } from "@/api/client";

export type Tenant = Schemas["Tenant"];

interface TenantContextValue {
  tenant: Tenant;
  tenants: Tenant[];
  switchTenant: (tenantId: string | null) => void;
  /** Present when signed in through Clerk. */
  signOut?: () => void;
}

export const TenantContext = React.createContext<TenantContextValue | null>(null);

/** The workspace the console acts in, and how to leave it. Only inside the signed-in layout. */
export function useTenant() {
  const value = React.useContext(TenantContext);
  if (!value) throw new Error("useTenant is used outside TenantGate");
  return value;
}

const STORAGE_KEY = "ancre.tenant";

export const rememberedTenant = {
  get: () => globalThis.localStorage?.getItem(STORAGE_KEY) ?? null,
  set: (tenantId: string | null) => {
    if (tenantId) localStorage.setItem(STORAGE_KEY, tenantId);
    else localStorage.removeItem(STORAGE_KEY);
  },
};
