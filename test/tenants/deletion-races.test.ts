import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { TenantQuotaDurableObject } from "../../src/durable-objects/tenant-quota.do";
import { nowIso } from "../../src/lib/time";
import type { IngestMessage, NangoSyncMessage, TenantDeletionMessage } from "../../src/queues/messages";
import { uploadDocument } from "../../src/services/documents";
import { ingestDocumentBatch } from "../../src/services/ingestion";
import { startSync } from "../../src/services/integrations";
import { runSyncStep } from "../../src/services/integrations/sync";
import { runTenantDeletionStep } from "../../src/services/tenants/delete-tenant";
import { markTenantDeleting } from "../../src/storage/repositories/tenant-deletion.repo";
import { apiWithEnv } from "../helpers/api";
import { sendWebhook, stripeEnv, stripeEvent, subscriptionObject, upgradeToPro } from "../helpers/billing";
import { depsDroppingMessages, gate, requestCtx } from "../helpers/ingestion";
import {
  authWebhook,
  connectTenant,
  createNangoConnection,
  nangoRequestsOf,
  sendNangoWebhook,
  setSourceFiles,
} from "../helpers/nango";
import { shardRows } from "../helpers/shards";
import { d1RowsMentioning, everythingOf, nothing, r2KeysOf } from "../helpers/tenant-stores";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

// Long enough for several chunks, so that a late batch would leave rows in every shard table.
const TEXT = Array.from(
  { length: 40 },
  (_, i) => `Paragraph ${i} of the deleted tenant's handbook: the ferry leaves Harwich at dawn.`,
).join("\n\n");

/**
 * A tenant's deletion driven step by step by the test: the steps' messages go to a list, and
 * `run` delivers them in order (both passes) until `stopBefore` names the next one.
 */
function deletionOf(tenantId: string, base: Deps = depsFor(env)) {
  const queued: TenantDeletionMessage[] = [];
  const deps: Deps = {
    ...base,
    ingestQueue: {
      send: async (message: TenantDeletionMessage) => {
        queued.push(message);
      },
    } as unknown as Deps["ingestQueue"],
  };
  return {
    async start() {
      await markTenantDeleting(deps.db, tenantId, nowIso());
      queued.push({ kind: "tenant_deletion", tenant_id: tenantId, step: "billing" });
    },
    async run(stopBefore: (message: TenantDeletionMessage) => boolean = () => false) {
      while (queued.length > 0 && !stopBefore(queued[0]!)) {
        const { step, final } = queued.shift()!;
        await runTenantDeletionStep({ ctx: { tenantId }, deps, input: { step, final } });
      }
    },
    pending: () => [...queued],
  };
}

/** A text document as upload leaves it, with its ingestion message captured instead of sent. */
async function queuedTextDocument(tenant: TestTenant): Promise<IngestMessage> {
  const collection = await createCollection(tenant);
  const { deps, sent } = depsDroppingMessages();
  await uploadDocument({
    ctx: requestCtx(tenant.id),
    deps,
    input: { collectionId: collection.id, filename: "handbook.txt", file: new Blob([TEXT]) },
  });
  return sent()[0]!;
}

const runBatch = (tenantId: string, deps: Deps, message: IngestMessage) =>
  ingestDocumentBatch({
    ctx: { tenantId },
    deps,
    input: { documentId: message.document_id, generation: message.generation, batch: 0 },
  });

describe("deleting a tenant while its work is in flight", () => {
  it("leaves no shard behind when a batch held before writing its chunks resumes after the whole deletion", async () => {
    const tenant = await createTenant();
    const message = await queuedTextDocument(tenant);
    const base = depsFor(env);
    const held = gate();
    const holding: Deps = {
      ...base,
      searchShards: Object.assign(Object.create(base.searchShards), {
        insertChunks: async (...args: Parameters<Deps["searchShards"]["insertChunks"]>) => {
          await held.pass();
          return base.searchShards.insertChunks(...args);
        },
      }),
    };
    const batch = runBatch(tenant.id, holding, message).then(
      () => undefined,
      (error: unknown) => error,
    );
    await held.reached;

    const deletion = deletionOf(tenant.id);
    await deletion.start();
    await deletion.run();
    expect(deletion.pending()).toEqual([]);
    held.open();
    // The batch fails on the tenant's tombstoned objects, writing nothing.
    expect(await batch).toBeInstanceOf(Error);

    expect(await everythingOf(tenant.id, [])).toEqual(nothing(0));
  });

  it("writes nothing for a batch that starts once the tenant is marked for deletion", async () => {
    const tenant = await createTenant();
    const message = await queuedTextDocument(tenant);
    await markTenantDeleting(databaseOf(), tenant.id, nowIso());

    await runBatch(tenant.id, depsFor(env), message);

    expect(await shardRows(tenant.id, "SELECT id FROM chunks")).toEqual([]);
    expect(await shardRows(tenant.id, "SELECT id FROM vectors")).toEqual([]);
  });

  it("deletes in Nango a connection whose auth webhook arrives during the deletion", async () => {
    const tenant = await createTenant();
    const deletion = deletionOf(tenant.id);
    await deletion.start();
    // Past the connectors step: the tenant's connections were removed before this one was made.
    await deletion.run((next) => next.step === "conversations");
    const connectionId = await createNangoConnection(tenant.id, "google-drive");

    const response = await sendNangoWebhook(
      apiWithEnv({}),
      authWebhook({ tenantId: tenant.id, provider: "google-drive", connectionId }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, handled: false });
    const deleted = (await nangoRequestsOf(connectionId)).filter((request) => request.method === "DELETE");
    expect(deleted).toHaveLength(1);
    expect(await d1RowsMentioning(tenant.id)).not.toHaveProperty("nango_connections");

    await deletion.run();
    expect(await everythingOf(tenant.id, [])).toEqual(nothing(0));
  });

  it("records a Stripe event arriving during the deletion without the tenant", async () => {
    const tenant = await createTenant();
    const billing = apiWithEnv(stripeEnv());
    const pro = await upgradeToPro(billing, tenant.id);
    const deletion = deletionOf(tenant.id, depsFor({ ...env, ...stripeEnv() } as Env));
    await deletion.start();
    // The first pass is over; the final one waits out the longest work in flight.
    await deletion.run((next) => next.final === true);
    expect(deletion.pending()).toHaveLength(1);

    // Cancelling the subscription (the billing step) makes Stripe send this event, possibly late.
    const cancelled = subscriptionObject({
      id: pro.subscriptionId,
      customer: pro.customer,
      status: "canceled",
      tenantId: tenant.id,
      period: pro.period,
    });
    const event = stripeEvent("customer.subscription.deleted", cancelled);
    expect((await sendWebhook(billing, event)).status).toBe(200);
    const recorded = await env.DB.prepare("SELECT tenant_id FROM stripe_events WHERE id = ?")
      .bind(event.id)
      .first();
    expect(recorded).toEqual({ tenant_id: null });
    expect(Object.keys(await d1RowsMentioning(tenant.id)).sort()).toEqual(["memberships", "tenants"]);

    await deletion.run();
    expect(await everythingOf(tenant.id, [])).toEqual(nothing(0));
  });

  it("imports nothing more once the tenant is marked, so a sync running at the time writes nothing", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const connectionId = await connectTenant(tenant, "google-drive");
    await setSourceFiles(connectionId, []);
    const { deps, sent } = depsDroppingMessages();
    const ctx = requestCtx(tenant.id);
    const sync = await startSync({
      ctx,
      deps,
      input: { integrationId: "google-drive", collectionId: collection.id },
    });
    const [first] = sent() as unknown as NangoSyncMessage[];
    await markTenantDeleting(deps.db, tenant.id, nowIso());

    await runSyncStep({ ctx: { tenantId: tenant.id }, deps, input: { syncId: sync.id, step: first!.step } });

    expect(sent()).toHaveLength(1);
    const row = await env.DB.prepare("SELECT status, step FROM nango_syncs WHERE id = ?")
      .bind(sync.id)
      .first();
    expect(row).toEqual({ status: sync.status, step: first!.step });
  });

  it("counts no usage for a late call to the quota object, even once the runtime restarts it", async () => {
    const tenant = await createTenant();
    const deletion = deletionOf(tenant.id);
    await deletion.start();
    await deletion.run();

    const stub = env.TENANT_QUOTA.getByName(tenant.id);
    const late = await runInDurableObject(stub, async (_instance, state: DurableObjectState) => {
      // A new instance over the same storage is what the runtime makes when it restarts the object.
      const restarted = new TenantQuotaDurableObject(state, env);
      const periodStart = new Date().toISOString().slice(0, 7);
      try {
        await restarted.reserve({
          items: [{ metric: "chat_messages", periodStart, amount: 1, limit: 10 }],
          ttlMs: 60_000,
          reservationId: "late",
        });
        await restarted.commit({ reservationId: "late" });
        await restarted.flush();
        return "counted";
      } catch (error) {
        return String(error);
      }
    });
    expect(late).not.toBe("counted");
    expect(await everythingOf(tenant.id, [])).toEqual(nothing(0));
  });

  for (const [when, stopBefore] of [
    ["after the document and file steps", (next: TenantDeletionMessage) => next.step === "vectors"],
    ["after the whole deletion", () => false],
  ] as const) {
    it(`leaves no file in R2 when an upload held before storing its file resumes ${when}`, async () => {
      const tenant = await createTenant();
      const collection = await createCollection(tenant);
      const base = depsDroppingMessages().deps;
      const held = gate();
      const holding: Deps = {
        ...base,
        blobs: Object.assign(Object.create(base.blobs), {
          put: async (...args: Parameters<Deps["blobs"]["put"]>) => {
            await held.pass();
            return base.blobs.put(...args);
          },
        }),
      };
      const upload = uploadDocument({
        ctx: requestCtx(tenant.id),
        deps: holding,
        input: { collectionId: collection.id, filename: "late.txt", file: new Blob([TEXT]) },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      await held.reached;

      const deletion = deletionOf(tenant.id);
      await deletion.start();
      await deletion.run(stopBefore);
      held.open();
      // The upload finds its document gone (or the tenant's quota object): it removes its file.
      expect(await upload).toBeInstanceOf(Error);
      expect(await r2KeysOf(tenant.id)).toEqual([]);

      await deletion.run();
      expect(await everythingOf(tenant.id, [])).toEqual(nothing(0));
    });
  }
});

const databaseOf = () => depsFor(env).db;
