import { env } from "cloudflare:workers";
import { describe, expect, inject, it, vi } from "vitest";
import { handleQueue } from "../../src/queues";
import type { QueueMessage, TenantDeletionMessage } from "../../src/queues/messages";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import {
  TenantDeletionSchema,
  TenantPageSchema,
  TenantSchema,
} from "../../src/routes/tenants/tenants.schemas";
import { INGESTION_LEASE_SECONDS } from "../../src/services/ingestion/lease";
import { tenantDeletionSteps } from "../../src/services/tenants/deletion";
import { type ApiClient, api, apiWithEnv } from "../helpers/api";
import { stripeEnv, stripeRequests, upgradeToPro } from "../helpers/billing";
import { clerkClient, clerkEnv, signToken } from "../helpers/clerk";
import { nangoRequestsOf } from "../helpers/nango";
import { shardRows } from "../helpers/shards";
import { everythingOf, nothing } from "../helpers/tenant-stores";
import { addMember, createTenant, type TestTenant } from "../helpers/tenants";
import { sleep } from "../helpers/text";
import { seedResources } from "../security/tenant-scoped-endpoints";

/** The queue as a list: what the app and the job send, delivered by the test itself. */
function capturingQueue() {
  const sent: QueueMessage[] = [];
  const delays = new Map<QueueMessage, number | undefined>();
  const queue = {
    send: async (body: QueueMessage, options?: QueueSendOptions) => {
      sent.push(body);
      delays.set(body, options?.delaySeconds);
    },
    sendBatch: async (messages: Iterable<{ body: QueueMessage }>) => {
      for (const message of messages) sent.push(message.body);
    },
  } as unknown as Queue<QueueMessage>;
  return { sent, delays, queue };
}

/** Billing on against the Stripe fake, and the queue captured so the test runs the job's steps. */
function billingWithCapturedQueue() {
  const { sent, delays, queue } = capturingQueue();
  // The final pass waits out an ingestion lease, as deployed (the test Worker's own waits nothing).
  const finalPassDelay = { TENANT_DELETION_FINAL_PASS_DELAY_SECONDS: String(INGESTION_LEASE_SECONDS) };
  const overrides = { ...stripeEnv(), ...finalPassDelay, INGEST_QUEUE: queue };
  return {
    sent,
    delays,
    /** Acts without X-Tenant-ID, as the tenant routes are called; the dev user owns the test tenants. */
    client: apiWithEnv(overrides),
    jobEnv: { ...env, ...overrides } as Env,
  };
}

/** Hands one message to the Worker's queue handler, as the runtime would, and expects it acked. */
async function deliver(body: QueueMessage, jobEnv: Env): Promise<void> {
  const message = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    body,
    attempts: 1,
    ack: vi.fn(),
    retry: vi.fn(),
  };
  const batch = {
    queue: "ancre-ingest",
    metadata: {},
    messages: [message],
    ackAll: vi.fn(),
    retryAll: vi.fn(),
  };
  await handleQueue(batch as unknown as MessageBatch, jobEnv);
  expect(message.retry).not.toHaveBeenCalled();
  expect(message.ack).toHaveBeenCalledOnce();
}

/** A tenant with one of everything (an ingested document, a conversation, a key, usage) on Pro. */
async function seededProTenant(name: string) {
  const tenant = await createTenant(name);
  const ids = await seedResources(tenant, `The secret of ${name} is ${crypto.randomUUID()}.`);
  const pro = await upgradeToPro(apiWithEnv(stripeEnv()), tenant.id);
  return { tenant, ids, subscriptionId: pro.subscriptionId };
}

async function stripeSubscriptionStatus(id: string): Promise<string> {
  const { apiBase, secretKey } = inject("stripe");
  const response = await fetch(`${apiBase}/v1/subscriptions/${id}`, {
    headers: { authorization: `Bearer ${secretKey}` },
  });
  return ((await response.json()) as { status: string }).status;
}

const cancellationsOf = async (subscriptionId: string) =>
  (await stripeRequests()).filter(
    (request) => request.method === "DELETE" && request.path === `/v1/subscriptions/${subscriptionId}`,
  ).length;

/** Checks that a tenant still has everything: rows, its file, vectors, counters, its conversation. */
async function expectUntouched(tenant: TestTenant, conversationId: string, subscriptionId: string) {
  const stores = await everythingOf(tenant.id, [conversationId]);
  // Its audit log too (the API key made while seeding): deleted with the tenant.
  expect(Object.keys(stores.d1)).toEqual(
    expect.arrayContaining(["tenants", "documents", "messages", "audit_events"]),
  );
  expect(stores.r2).toHaveLength(1);
  // The search shard: chunks, their full-text index and vectors.
  expect(await shardRows(tenant.id, "SELECT id FROM chunks")).not.toEqual([]);
  expect(stores.vectorIndex.rows).toBeGreaterThan(0);
  expect(stores.quota.rows).toBeGreaterThan(0);
  expect(stores.conversations[0]!.rows).toBeGreaterThan(0);
  expect(await stripeSubscriptionStatus(subscriptionId)).toBe("active");
  const found = await tenant.client.expectJson(200, "POST", "search", SearchResponseSchema, {
    json: { query: "secret" },
  });
  expect(found.results.length).toBeGreaterThan(0);
}

const confirmation = (name: string) => ({ json: { confirm: name } });

describe("deleting a tenant", () => {
  it("leaves nothing of it in any store, cancels its subscription, and spares another tenant", async () => {
    const leaving = await seededProTenant("Leaving Ltd");
    const staying = await seededProTenant("Staying Ltd");
    await expectUntouched(leaving.tenant, leaving.ids.conversation_id, leaving.subscriptionId);
    const { sent, delays, client, jobEnv } = billingWithCapturedQueue();

    const started = await client.expectJson(
      202,
      "DELETE",
      `tenants/${leaving.tenant.id}`,
      TenantDeletionSchema,
      confirmation("Leaving Ltd"),
    );
    expect(started).toMatchObject({ tenant_id: leaving.tenant.id, status: "deleting" });
    expect(started.remaining).toMatchObject({ documents: 1, conversations: 1, memberships: 1 });
    expect(sent).toEqual([{ kind: "tenant_deletion", tenant_id: leaving.tenant.id, step: "billing" }]);

    // At once, before any step ran: the tenant serves nothing, by its header or by its keys.
    const gone = await leaving.tenant.client.expectProblem(410, "GET", "collections");
    expect(gone.code).toBe("gone");
    await api().expectProblem(410, "GET", `tenants/${leaving.tenant.id}`);
    const listed = await api().expectJson(200, "GET", "tenants?limit=100", TenantPageSchema);
    expect(listed.data.map((tenant) => tenant.id)).not.toContain(leaving.tenant.id);

    const steps: string[] = [];
    while (sent.length > 0) {
      expect(steps.length).toBeLessThan(100);
      const message = sent.shift() as TenantDeletionMessage;
      steps.push(message.final ? `final ${message.step}` : message.step);
      // Only the final pass waits, and for the longest lease of work that may be in flight.
      expect(delays.get(message)).toBe(message.final && message.step === "connectors" ? 900 : undefined);
      await deliver(message, jobEnv);
      const progress = await client.request("GET", `tenants/${leaving.tenant.id}/deletion`);
      // Progress is reported until the last step removes the tenant, then the resource is gone.
      expect(progress.status).toBe(sent.length > 0 ? 200 : 404);
    }
    expect(steps).toEqual([
      "billing",
      "connectors",
      "conversations",
      "documents",
      "files",
      "vectors",
      "quota",
      "rows",
      "final connectors",
      "final conversations",
      "final documents",
      "final files",
      "final vectors",
      "final quota",
      "final rows",
    ]);

    expect(await everythingOf(leaving.tenant.id, [leaving.ids.conversation_id])).toEqual(nothing(1));
    expect(await stripeSubscriptionStatus(leaving.subscriptionId)).toBe("canceled");
    const inNango = (await nangoRequestsOf(leaving.ids.connection_id)).filter((r) => r.method === "DELETE");
    expect(inNango).toHaveLength(1);
    await api().expectProblem(404, "GET", `tenants/${leaving.tenant.id}`);
    await expectUntouched(staying.tenant, staying.ids.conversation_id, staying.subscriptionId);
  });

  it("changes nothing when a step is delivered again, and cancels the subscription once", async () => {
    const leaving = await seededProTenant("Twice Ltd");
    const { sent, client, jobEnv } = billingWithCapturedQueue();
    await client.expectJson(
      202,
      "DELETE",
      `tenants/${leaving.tenant.id}`,
      TenantDeletionSchema,
      confirmation("Twice Ltd"),
    );

    const stores = () => everythingOf(leaving.tenant.id, [leaving.ids.conversation_id]);
    while (sent.length > 0) {
      const message = sent.shift()!;
      await deliver(message, jobEnv);
      const next = [...sent];
      const after = await stores();
      await deliver(message, jobEnv);
      expect(await stores()).toEqual(after);
      // The second delivery asks for the same next step (or, after the last one, for nothing).
      expect(sent.splice(next.length)).toEqual(next);
    }
    expect(await stores()).toEqual(nothing(1));
    expect(await cancellationsOf(leaving.subscriptionId)).toBe(1);
  });

  it("runs on the Worker's own queue, reporting progress until the tenant is gone", async () => {
    const tenant = await createTenant("Queued Ltd");
    const ids = await seedResources(tenant, "Queued Ltd keeps nothing here for long.");
    const owner = api();
    await owner.expectJson(
      202,
      "DELETE",
      `tenants/${tenant.id}`,
      TenantDeletionSchema,
      confirmation("Queued Ltd"),
    );

    const deadline = Date.now() + 60_000;
    for (;;) {
      const progress = await owner.request("GET", `tenants/${tenant.id}/deletion`);
      if (progress.status === 404) break;
      expect(progress.status).toBe(200);
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(200);
    }
    expect(await everythingOf(tenant.id, [ids.conversation_id])).toEqual(nothing(1));
  });

  it("refuses a confirmation that is not the tenant's name, and deletes nothing", async () => {
    const tenant = await createTenant("Careful Ltd");
    const { sent, client } = billingWithCapturedQueue();
    for (const confirm of ["careful ltd", "Careful", ""]) {
      const refused = await client.expectProblem(400, "DELETE", `tenants/${tenant.id}`, {
        json: { confirm },
      });
      expect(refused.code).toBe("validation_failed");
      expect(refused.errors).toEqual([{ field: "body.confirm", message: expect.any(String) }]);
    }
    await client.expectProblem(400, "DELETE", `tenants/${tenant.id}`, { json: {} });
    expect(sent).toEqual([]);
    await tenant.client.expectJson(200, "GET", "collections", CollectionPageSchema);
    await client.expectProblem(404, "GET", `tenants/${tenant.id}/deletion`);
  });

  it("is the owner's alone: an admin, a member or an API key is refused", async () => {
    const tenant = await createTenant("Guarded Ltd");
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "admin key", role: "admin" },
    });
    const callers: Record<string, ApiClient> = {
      "an admin": await signedIn(tenant, "admin"),
      "a member": await signedIn(tenant, "member"),
      "an admin API key": api({ authorization: `Bearer ${key}` }),
    };
    for (const [who, caller] of Object.entries(callers)) {
      const response = await caller.request("DELETE", `tenants/${tenant.id}`, confirmation("Guarded Ltd"));
      expect(response.status, who).toBe(403);
      await caller.expectProblem(403, "GET", `tenants/${tenant.id}/deletion`);
    }
    await tenant.client.expectJson(200, "GET", "collections", CollectionPageSchema);
  });

  it("frees its place among its owner's Free tenants at once, though its final pass is still to come", async () => {
    const { queue } = capturingQueue();
    const token = await signToken({ sub: `user_full_${crypto.randomUUID().slice(0, 8)}` });
    const owner = apiWithEnv({ ...clerkEnv(), INGEST_QUEUE: queue }, { authorization: `Bearer ${token}` });
    const ids: string[] = [];
    for (const name of ["F1", "F2", "F3"]) {
      ids.push((await owner.expectJson(201, "POST", "tenants", TenantSchema, { json: { name } })).id);
    }
    await owner.expectProblem(403, "POST", "tenants", { json: { name: "F4" } });
    await owner.expectJson(202, "DELETE", `tenants/${ids[0]}`, TenantDeletionSchema, confirmation("F1"));
    // The deletion's steps are captured, not run: the tenant row is still there, marked.
    await owner.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "F4" } });
  });

  it("ignores a deletion step for a tenant that was not asked to be deleted", async () => {
    const { tenant, ids, subscriptionId } = await seededProTenant("Forged Ltd");
    const { jobEnv } = billingWithCapturedQueue();
    for (const step of tenantDeletionSteps) {
      await deliver({ kind: "tenant_deletion", tenant_id: tenant.id, step }, jobEnv);
    }
    await expectUntouched(tenant, ids.conversation_id, subscriptionId);
  });
});

/** A signed-in user with `role` in the tenant. */
async function signedIn(tenant: TestTenant, role: "admin" | "member"): Promise<ApiClient> {
  const userId = `user_${role}_${crypto.randomUUID().slice(0, 8)}`;
  await addMember(tenant, userId, role);
  return clerkClient(await signToken({ sub: userId }));
}
