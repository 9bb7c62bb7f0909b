import { generateApiKey } from "../../auth/api-key-format";
import type { Verb } from "../../context";
import { notFound } from "../../errors";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  type ApiKeyRow,
  insertApiKey,
  listActiveKeys,
  revokeKey,
} from "../../storage/repositories/api-keys.repo";

/** Creates a key and returns it in clear, the only time it is ever available. */
export async function createApiKey({
  ctx,
  deps,
  input,
}: Verb<{ name: string }>): Promise<{ row: ApiKeyRow; key: string }> {
  const { key, prefix } = generateApiKey();
  const row: ApiKeyRow = {
    id: newId("key"),
    tenantId: ctx.tenantId,
    name: input.name,
    prefix,
    keyHash: await sha256Hex(key),
    createdBy: "userId" in ctx.actor ? ctx.actor.userId : ctx.actor.keyId,
    createdAt: nowIso(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await insertApiKey(deps.db, row);
  return { row, key };
}

export function listApiKeys({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listActiveKeys(deps.db, ctx.tenantId, input.page);
}

export async function revokeApiKey({ ctx, deps, input }: Verb<{ keyId: string }>): Promise<void> {
  if (!(await revokeKey(deps.db, ctx.tenantId, input.keyId, nowIso()))) {
    throw notFound("API key", input.keyId);
  }
}
