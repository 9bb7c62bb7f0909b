import { AppError } from "../../errors";

// What the tenant's deletion shares with the queue's message schema and the authentication
// middleware; it imports nothing of theirs, so they can all import it.

/** The steps of a tenant's deletion, in order (see delete-tenant.ts). */
export const tenantDeletionSteps = [
  "billing",
  "connectors",
  "conversations",
  "documents",
  "files",
  "vectors",
  "quota",
  "rows",
] as const;
export type TenantDeletionStep = (typeof tenantDeletionSteps)[number];

/** The answer to any request for a tenant whose deletion was requested. */
export const tenantBeingDeleted = (tenantId: string, since: string) =>
  new AppError("gone", `Tenant ${tenantId} is being deleted (requested at ${since})`);
