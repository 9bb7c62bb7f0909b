import type { Deps, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import { cachedLookup } from "../../storage/lookup-cache";
import {
  type AssistantRow,
  type AssistantWithCollections,
  deleteAssistantRow,
  findAssistant,
  insertAssistantWithinLimit,
  listAssistants as listAssistantRows,
  updateAssistant as updateAssistantRow,
} from "../../storage/repositories/assistants.repo";
import { existingCollectionIds } from "../../storage/repositories/collections.repo";
import { findTenant } from "../../storage/repositories/tenants.repo";
import type { AssistantLanguage } from "../../storage/schema";
import { recordAuditEvent } from "../audit/audit.service";
import { planLimits } from "../plans/plans.service";

export const ASSISTANT_DEFAULTS = { temperature: 0.2, topK: 5, language: "auto" } as const;

export interface AssistantInput {
  name: string;
  systemPrompt: string;
  collectionIds: string[];
  model?: string | null;
  temperature?: number;
  topK?: number;
  language?: AssistantLanguage;
}

async function assertCollectionsOwned(ctx: TenantContext, deps: Deps, collectionIds: string[]) {
  const owned = await existingCollectionIds(deps.db, ctx.tenantId, collectionIds);
  const missing = collectionIds.find((id) => !owned.has(id));
  if (missing) throw notFound("Collection", missing);
}

/** Creates an assistant, refused with `plan_limit_reached` once the plan's assistant count is reached. */
export async function createAssistant({
  ctx,
  deps,
  input,
}: Verb<AssistantInput>): Promise<AssistantWithCollections> {
  await assertCollectionsOwned(ctx, deps, input.collectionIds);
  const tenant = await findTenant(deps.db, ctx.tenantId);
  if (!tenant) throw notFound("Tenant", ctx.tenantId);
  const limit = planLimits(deps.config, tenant.plan).assistants;
  const now = nowIso();
  const row: AssistantRow = {
    id: newId("ast"),
    tenantId: ctx.tenantId,
    name: input.name,
    systemPrompt: input.systemPrompt,
    model: input.model ?? null,
    temperature: input.temperature ?? ASSISTANT_DEFAULTS.temperature,
    topK: input.topK ?? ASSISTANT_DEFAULTS.topK,
    language: input.language ?? ASSISTANT_DEFAULTS.language,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertAssistantWithinLimit(deps.db, row, input.collectionIds, limit))) {
    throw new AppError(
      "plan_limit_reached",
      `The ${tenant.plan} plan allows ${limit} assistants; delete one or upgrade the plan`,
      { metric: "assistants", limit, plan: tenant.plan },
    );
  }
  const created = await findAssistant(deps.db, ctx.tenantId, row.id);
  if (!created) throw notFound("Assistant", row.id);
  return created;
}

export async function getAssistant({ ctx, deps, input }: Verb<{ assistantId: string }>) {
  const row = await findAssistant(deps.db, ctx.tenantId, input.assistantId);
  if (!row) throw notFound("Assistant", input.assistantId);
  return row;
}

/**
 * The assistant as getAssistant has it, read at most once per request and reused by the isolate
 * for the lookup bound (storage/lookup-cache.ts): for the chat path, which reads it on every turn.
 */
export async function getAssistantCached({ ctx, deps, input }: Verb<{ assistantId: string }>) {
  const row = await cachedLookup(deps, `assistant:${ctx.tenantId}:${input.assistantId}`, () =>
    findAssistant(deps.db, ctx.tenantId, input.assistantId),
  );
  if (!row) throw notFound("Assistant", input.assistantId);
  return row;
}

export function listAssistants({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listAssistantRows(deps.db, ctx.tenantId, input.page);
}

export async function updateAssistant({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; changes: Partial<AssistantInput> }>) {
  const { collectionIds, ...fields } = input.changes;
  if (collectionIds) await assertCollectionsOwned(ctx, deps, collectionIds);
  const updated = await updateAssistantRow(
    deps.db,
    ctx.tenantId,
    input.assistantId,
    { ...fields, updatedAt: nowIso() },
    collectionIds,
  );
  if (!updated) throw notFound("Assistant", input.assistantId);
  return getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
}

export async function deleteAssistant({ ctx, deps, input }: Verb<{ assistantId: string }>) {
  if (!(await deleteAssistantRow(deps.db, ctx.tenantId, input.assistantId))) {
    throw notFound("Assistant", input.assistantId);
  }
  await recordAuditEvent({
    ctx,
    deps,
    input: { action: "assistant.deleted", targetType: "assistant", targetId: input.assistantId },
  });
}
