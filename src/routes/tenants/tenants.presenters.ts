import type { TenantDeletionProgress } from "../../services/tenants/delete-tenant";
import type { TenantWithRole } from "../../services/tenants/tenants.service";

export const presentDeletion = (progress: TenantDeletionProgress) => ({
  tenant_id: progress.tenantId,
  status: "deleting" as const,
  requested_at: progress.requestedAt,
  remaining: progress.remaining,
});

export const presentTenant = (tenant: TenantWithRole) => ({
  id: tenant.id,
  name: tenant.name,
  plan: tenant.plan,
  role: tenant.role,
  created_at: tenant.createdAt,
  updated_at: tenant.updatedAt,
});
