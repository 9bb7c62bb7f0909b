import type { SyncProgress } from "../../services/integrations/integrations.service";
import type { NangoConnectionRow } from "../../storage/repositories/nango.repo";

export const presentConnection = (row: NangoConnectionRow) => ({
  provider: row.integrationId,
  nango_provider: row.provider,
  connection_id: row.connectionId,
  status: row.status,
  error: row.error,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

export const presentSync = ({ sync, counts, failures }: SyncProgress) => ({
  id: sync.id,
  provider: sync.integrationId,
  collection_id: sync.collectionId,
  status: sync.status,
  error: sync.error,
  progress: {
    files_found: Object.values(counts).reduce((total, n) => total + n, 0),
    ...counts,
    removed: sync.removed,
  },
  failures: failures.map((failure) => ({
    external_id: failure.externalId,
    name: failure.name,
    status: failure.status,
    error: failure.error,
  })),
  created_at: sync.createdAt,
  updated_at: sync.updatedAt,
  finished_at: sync.finishedAt,
});
