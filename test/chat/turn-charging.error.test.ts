import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationDurableObject } from "../../src/durable-objects/conversation.do";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import type { TurnSpec } from "../../src/services/chat/conversation.interface";
import { releaseQuota, reserveQuota } from "../../src/services/quotas/quotas.service";
import { ask, conversationHistory } from "../helpers/chat";
import { depsWith, quotaCtx } from "../helpers/quotas";
import { createAssistant, createTenant, type TestTenant } from "../helpers/tenants";

const conversationObject = (conversationId: string) =>
  env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));

const chatMessages = async (tenant: TestTenant) =>
  (await tenant.client.expectJson(200, "GET", "usage", UsageSchema)).metrics.chat_messages;

/** Makes D1 refuse, for this tenant only, to mark an answer complete (a failed write). */
async function refuseStoringAnswers(tenant: TestTenant): Promise<() => Promise<void>> {
  const trigger = `refuse_answers_${tenant.id.replace(/\W/g, "_")}`;
  await env.DB.exec(
    `CREATE TRIGGER ${trigger} BEFORE UPDATE OF status ON messages WHEN NEW.tenant_id = '${tenant.id}' AND NEW.status = 'complete' BEGIN SELECT RAISE(ABORT, 'D1 is unavailable'); END`,
  );
  return async () => {
    await env.DB.exec(`DROP TRIGGER ${trigger}`);
  };
}

/**
 * Puts a conversation's last turn back to where a run that died just before its `done` leaves it:
 * generating, its answer's events stored but not its `done`, and its alarm due again (the retry).
 * `stored` says whether its answer had been kept (in the object, where a turn keeps it first),
 * `committed` whether its quota had been counted.
 */
async function dieBeforeDone(
  tenant: TestTenant,
  conversationId: string,
  messageId: string,
  { stored, committed }: { stored: boolean; committed: boolean },
): Promise<TurnSpec> {
  const spec = await runInDurableObject(conversationObject(conversationId), async (_instance, state) => {
    state.storage.sql.exec("UPDATE turn SET status = 'generating'");
    state.storage.sql.exec("DELETE FROM events WHERE name = 'done'");
    if (!stored) {
      state.storage.sql.exec(
        `UPDATE messages SET record = json_set(record, '$.status', 'generating', '$.content', '')
         WHERE id = ?`,
        messageId,
      );
    }
    await state.storage.setAlarm(Date.now() + 60_000);
    return JSON.parse(
      state.storage.sql.exec<{ spec: string }>("SELECT spec FROM turn").one().spec,
    ) as TurnSpec;
  });
  if (!stored) {
    await env.DB.prepare("UPDATE messages SET status = 'generating', content = '' WHERE id = ?")
      .bind(messageId)
      .run();
  }
  if (!committed) {
    // Undoes the commit: the reservation held again at the lease holder that made it (the
    // region of wrangler.toml's QUOTA_LEASE_REGION), the message, settled at the ledger, not counted.
    await chatMessages(tenant);
    await runInDurableObject(env.QUOTA_LEASE.getByName(`${tenant.id}:wnam`), (_instance, state) => {
      state.storage.sql.exec(
        "UPDATE reservations SET state = 'held', settled_at = NULL, expires_at = ? WHERE id = ?",
        Date.now() + 60_000,
        spec.turnId,
      );
    });
    await runInDurableObject(env.TENANT_QUOTA.getByName(tenant.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE counters SET used = used - 1 WHERE metric = 'chat_messages'");
    });
  }
  return spec;
}

describe("charging a chat turn", () => {
  it("answers before D1 has the answer, then writes it once D1 takes it again, charged once", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const restore = await refuseStoringAnswers(tenant);
    let answered: Awaited<ReturnType<typeof ask>>;
    try {
      // D1 refuses the answer's write: the turn is answered all the same, from the object's storage.
      answered = await ask(tenant.client, assistant.id, { message: "hello" });
      expect(answered.answer).not.toBe("");
      const inD1 = await env.DB.prepare("SELECT status FROM messages WHERE id = ?")
        .bind(answered.message_id)
        .first<{ status: string }>();
      expect(inD1?.status).toBe("generating");
      // A reader sees the answer anyway: what D1 lacks, the object holds.
      const read = await conversationHistory(tenant.client, assistant.id, answered.conversation_id);
      expect(read.messages.map((m) => [m.status, m.content])).toEqual([
        ["complete", "hello"],
        ["complete", answered.answer],
      ]);
      expect(await chatMessages(tenant)).toMatchObject({ used: 1, reserved: 0 });
    } finally {
      await restore();
    }
    // The object's alarm (set by the failure) writes it again; a second run changes nothing.
    const stub = conversationObject(answered.conversation_id);
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (instance: ConversationDurableObject) => instance.alarm());
    const rows = await env.DB.prepare(
      "SELECT id, status, content FROM messages WHERE conversation_id = ? ORDER BY id",
    )
      .bind(answered.conversation_id)
      .all<{ id: string; status: string; content: string }>();
    expect(rows.results.map((row) => [row.status, row.content])).toEqual([
      ["complete", "hello"],
      ["complete", answered.answer],
    ]);
    expect(await chatMessages(tenant)).toMatchObject({ used: 1, reserved: 0 });
  });

  it("retries a quota commit that failed after `done` until it is counted, once", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const stub = conversationObject(first.conversation_id);
    // The object's quota calls fail, as when the tenant's object cannot be reached.
    await runInDurableObject(stub, (instance: ConversationDurableObject) => {
      const unreachable = {
        get: () => ({
          commit: () => Promise.reject(new Error("the tenant's quota object cannot be reached")),
          release: () => Promise.reject(new Error("the tenant's quota object cannot be reached")),
        }),
        idFromName: (name: string) => env.TENANT_QUOTA.idFromName(name),
        getByName: () => unreachable.get(),
      };
      (instance as unknown as { env: Env }).env = {
        ...env,
        TENANT_QUOTA: unreachable as unknown as Env["TENANT_QUOTA"],
        QUOTA_LEASE: unreachable as unknown as Env["QUOTA_LEASE"],
      };
    });
    const second = await ask(tenant.client, assistant.id, {
      message: "again",
      conversation_id: first.conversation_id,
    });
    expect(second.answer).not.toBe("");
    // Answered, not yet counted: the reservation holds the message meanwhile, so the plan stays exact.
    expect(await chatMessages(tenant)).toMatchObject({ used: 1, reserved: 1 });

    await runInDurableObject(stub, (instance: ConversationDurableObject) => {
      (instance as unknown as { env: Env }).env = env;
    });
    await runDurableObjectAlarm(stub);
    expect(await chatMessages(tenant)).toMatchObject({ used: 2, reserved: 0 });
    await runInDurableObject(stub, (instance: ConversationDurableObject) => instance.alarm());
    expect(await chatMessages(tenant)).toMatchObject({ used: 2, reserved: 0 });
  });

  for (const committed of [false, true]) {
    it(`completes and charges once a turn whose run died after storing its answer (${committed ? "after" : "before"} its commit)`, async () => {
      const tenant = await createTenant();
      const assistant = await createAssistant(tenant, []);
      const first = await ask(tenant.client, assistant.id, { message: "hello" });
      const spec = await dieBeforeDone(tenant, first.conversation_id, first.message_id, {
        stored: true,
        committed,
      });
      expect((await chatMessages(tenant)).used).toBe(committed ? 1 : 0);

      const stub = conversationObject(first.conversation_id);
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const outcome = await stub.awaitTurn(spec.turnId);
      expect(outcome).toMatchObject({ type: "done", answer: first.answer });
      const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
      expect(history.messages.map((m) => m.status)).toEqual(["complete", "complete"]);
      expect(await chatMessages(tenant)).toMatchObject({ used: 1, reserved: 0 });
    });
  }

  it("fails and releases a turn whose run died before its answer was stored", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const spec = await dieBeforeDone(tenant, first.conversation_id, first.message_id, {
      stored: false,
      committed: false,
    });
    expect(await chatMessages(tenant)).toMatchObject({ used: 0, reserved: 1 });

    const stub = conversationObject(first.conversation_id);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.awaitTurn(spec.turnId)).toMatchObject({
      type: "error",
      error: { code: "service_unavailable" },
    });
    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    expect(history.messages.map((m) => m.status)).toEqual(["complete", "failed"]);
    expect(await chatMessages(tenant)).toMatchObject({ used: 0, reserved: 0 });
  });

  it("counts an answered turn whose start the caller gave up for lost (its reservation released)", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const stub = conversationObject(first.conversation_id);
    const spec: TurnSpec = {
      ...(await lastSpec(stub)),
      turnId: "msg_second",
      userMessageId: "msg_second_question",
      assistantMessageId: "msg_second_answer",
      message: "again",
    };
    // What sendMessage does when startTurn errors on its way back: the reservation released,
    // while the object has the turn all the same.
    const ctx = quotaCtx(tenant.id);
    await reserveQuota({
      ctx,
      deps: depsWith(),
      input: { amounts: { chat_messages: 1 }, reservationId: spec.turnId },
    });
    await releaseQuota({ ctx, deps: depsWith(), input: { reservationId: spec.turnId } });
    expect(await stub.startTurn(spec)).toMatchObject({ accepted: true });
    await runDurableObjectAlarm(stub);

    expect(await stub.awaitTurn(spec.turnId)).toMatchObject({ type: "done" });
    expect(await chatMessages(tenant)).toMatchObject({ used: 2, reserved: 0 });
  });

  it("answers a turn whose D1 writes hung when its object was reset, and writes them once", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const stub = conversationObject(first.conversation_id);

    // A turn whose D1 writes never answer, then the object reset while they wait.
    const lostTurn: TurnSpec = {
      ...(await lastSpec(stub)),
      turnId: "msg_lost",
      userMessageId: "msg_lost_question",
      assistantMessageId: "msg_lost_answer",
      message: "lost",
    };
    await runInDurableObject(stub, async (instance: ConversationDurableObject) => {
      let reached!: () => void;
      const waiting = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const hungDb = {
        prepare: (query: string) => env.DB.prepare(query),
        batch: () => {
          reached();
          return new Promise(() => {});
        },
        // The object writes through a D1 session: the same hung database.
        withSession: () => hungDb,
        getBookmark: () => null,
      };
      (instance as unknown as { env: Env }).env = { ...env, DB: hungDb as unknown as D1Database };
      // The turn runs at once in the instance; this one is reset before its run answers anything.
      (instance as unknown as { runLogged: () => Promise<void> }).runLogged = () => new Promise(() => {});
      // Accepted without waiting for D1: the turn is kept in the object first.
      expect(await instance.startTurn(lostTurn)).toMatchObject({ accepted: true });
      await waiting;
    });
    await evictDurableObject(stub);
    // The turn's alarm runs it in a fresh instance, which writes what the lost one could not.
    await runDurableObjectAlarm(stub);
    const outcome = await stub.awaitTurn(lostTurn.turnId);
    expect(outcome).toMatchObject({ type: "done" });
    const rows = await env.DB.prepare("SELECT id, status FROM messages WHERE conversation_id = ? ORDER BY id")
      .bind(first.conversation_id)
      .all<{ id: string; status: string }>();
    expect(rows.results.filter((row) => row.id.startsWith("msg_lost"))).toEqual([
      { id: "msg_lost_answer", status: "complete" },
      { id: "msg_lost_question", status: "complete" },
    ]);
    expect(rows.results).toHaveLength(4);

    const next = await ask(tenant.client, assistant.id, {
      message: "again",
      conversation_id: first.conversation_id,
    });
    expect(next.conversation_id).toBe(first.conversation_id);
    expect(next.answer).not.toBe("");
    expect((await chatMessages(tenant)).reserved).toBe(0);
  });
});

async function lastSpec(stub: DurableObjectStub<ConversationDurableObject>): Promise<TurnSpec> {
  return runInDurableObject(
    stub,
    (_instance, state) =>
      JSON.parse(state.storage.sql.exec<{ spec: string }>("SELECT spec FROM turn").one().spec) as TurnSpec,
  );
}
