import { generateApiKey } from "../../auth/api-key-format";
import { type ApiKeyRole, roleAtMost } from "../../auth/roles";
import type { Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  type ApiKeyRow,
  findActiveKey,
  insertApiKey,
  insertKeyMintedByKey,
  insertKeyMintedByMember,
  isKeyMintedBy,
  listActiveKeys,
  revokeKeyAndMinted,
} from "../../storage/repositories/api-keys.repo";
import { recordAuditEvent } from "../audit/audit.service";

/**
 * Creates a key with `role` (member unless asked), never above the caller's own role, and returns
 * it in clear, the only time it is ever available. A key minted by a key goes when its creator goes;
 * a key minted by a person goes when they leave or lose the role (see services/members).
 */
export async function createApiKey({
  ctx,
  deps,
  input,
}: Verb<{ name: string; role?: ApiKeyRole }>): Promise<{ row: ApiKeyRow; key: string }> {
  if (ctx.actor.type === "visitor") throw new AppError("forbidden", "Widget visitors cannot create API keys");
  const role = input.role ?? "member";
  if (!roleAtMost(role, ctx.role)) {
    throw new AppError("forbidden", `A ${ctx.role} cannot create a key with the ${role} role`);
  }
  const { key, prefix } = generateApiKey();
  const row: ApiKeyRow = {
    id: newId("key"),
    tenantId: ctx.tenantId,
    name: input.name,
    prefix,
    keyHash: await sha256Hex(key),
    role,
    createdBy: ctx.actor.type === "api_key" ? ctx.actor.keyId : ctx.actor.userId,
    createdAt: nowIso(),
    lastUsedAt: null,
    revokedAt: null,
  };
  if (ctx.actor.type === "dev") {
    await insertApiKey(deps.db, row);
  } else if (ctx.actor.type === "user") {
    if (!(await insertKeyMintedByMember(deps.db, row, ctx.actor.userId))) {
      throw new AppError("forbidden", `Your role in this tenant no longer allows a ${role} key`);
    }
  } else if (!(await insertKeyMintedByKey(deps.db, row, ctx.actor.keyId))) {
    throw new AppError("unauthenticated", "The API key is not valid or was revoked");
  }
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "api_key.created",
      targetType: "api_key",
      targetId: row.id,
      details: { name: row.name, role: row.role },
    },
  });
  return { row, key };
}

export function listApiKeys({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listActiveKeys(deps.db, ctx.tenantId, input.page);
}

/**
 * Revokes a key and every key minted from it. A signed-in admin or owner revokes any key of the
 * tenant; an API key revokes only itself and the keys it minted.
 */
export async function revokeApiKey({ ctx, deps, input }: Verb<{ keyId: string }>): Promise<void> {
  if (!(await findActiveKey(deps.db, ctx.tenantId, input.keyId))) throw notFound("API key", input.keyId);
  if (
    ctx.actor.type === "api_key" &&
    !(await isKeyMintedBy(deps.db, ctx.tenantId, input.keyId, ctx.actor.keyId))
  ) {
    throw new AppError("forbidden", "An API key can revoke only itself and the keys it created");
  }
  const revoked = await revokeKeyAndMinted(deps.db, ctx.tenantId, input.keyId, nowIso());
  // Revoked meanwhile by another request: the key is gone either way.
  if (revoked.length === 0) throw notFound("API key", input.keyId);
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: input.keyId,
      details: { keys_revoked: revoked.length },
    },
  });
}
