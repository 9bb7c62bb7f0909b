import { ProviderError } from "../errors";
import type { VectorRecord } from "./types";

/** Refuses a batch that holds another tenant's records: a store call never crosses tenants. */
export function assertRecordsOfTenant(store: string, tenantId: string, records: VectorRecord[]): void {
  const stranger = records.find((record) => record.tenantId !== tenantId);
  if (stranger) {
    throw new ProviderError(store, false, `record ${stranger.id} belongs to another tenant than ${tenantId}`);
  }
}
