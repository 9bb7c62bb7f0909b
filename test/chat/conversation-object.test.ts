import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ask, conversationHistory } from "../helpers/chat";
import { countStatements } from "../helpers/conversation-object";
import { createAssistant, createTenant } from "../helpers/tenants";

/** Makes the conversation's object set no alarm from now on: its alarms never fire. */
async function withoutAlarms(conversationId: string) {
  const stub = env.CONVERSATION.getByName(conversationId);
  await runInDurableObject(stub, (instance, state) => {
    const storage = new Proxy(state.storage, {
      get: (target, name) => {
        if (name === "setAlarm") return async () => {};
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const ctx = new Proxy(state, {
      get: (target, name) => {
        if (name === "storage") return storage;
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    (instance as unknown as { ctx: DurableObjectState }).ctx = ctx;
  });
}

/** Puts the conversation's object back into "generating", as a run that died would leave it. */
async function loseTheRun(conversationId: string, startedAt: number) {
  const stub = env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE turn SET status = 'generating', started_at = ?", startedAt);
  });
}

describe("the conversation object", () => {
  it("refuses a new message while a turn is generating, and ends a turn whose run was lost", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const next = { message: "again", conversation_id: first.conversation_id };

    await loseTheRun(first.conversation_id, Date.now());
    const busy = await tenant.client.expectProblem(409, "POST", `chat/${assistant.id}`, { json: next });
    expect(busy.code).toBe("conflict");

    // Sixteen minutes on, no answer can still be running: the turn is ended and the message taken.
    await loseTheRun(first.conversation_id, Date.now() - 16 * 60_000);
    // Its answer never kept: generating in the object (where a turn keeps it first) as in D1.
    await runInDurableObject(env.CONVERSATION.getByName(first.conversation_id), (_instance, state) => {
      state.storage.sql.exec(
        "UPDATE messages SET record = json_set(record, '$.status', 'generating') WHERE id = ?",
        first.message_id,
      );
    });
    await env.DB.prepare("UPDATE messages SET status = 'generating' WHERE id = ?")
      .bind(first.message_id)
      .run();
    const taken = await ask(tenant.client, assistant.id, next);
    expect(taken.conversation_id).toBe(first.conversation_id);
    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    expect(history.messages.map((m) => m.status)).toEqual(["complete", "failed", "complete", "complete"]);
    expect(history.messages[1]!.error).toMatch(/interrupted/);
  });

  it("reads its turn and D1's bookmark once a call, not again at each step of the turn", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    const reads = await countStatements(first.conversation_id, {
      turn: /^\s*SELECT [^;]* FROM turn\b/,
      bookmark: /^\s*SELECT value FROM d1_bookmark/,
      keptAnswer: /^\s*SELECT record FROM messages WHERE id = /,
    });
    // A follow-up answered in full: its start, run, D1 writes and quota settlement, awaited.
    const next = await ask(tenant.client, assistant.id, {
      message: "again",
      conversation_id: first.conversation_id,
    });
    expect(next.answer).toBeTruthy();
    // Read by its start and at most again by the call that awaits the answer (each call reads
    // afresh); the run and the bookkeeping use what those read. The answer's placeholder is not
    // read back to keep the answer.
    expect(reads.turn).toBeLessThanOrEqual(2);
    expect(reads.bookmark).toBeLessThanOrEqual(2);
    expect(reads.keptAnswer).toBe(0);
    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    expect(history.messages.map((m) => m.status)).toEqual(["complete", "complete", "complete", "complete"]);
  });

  it("answers a turn as soon as it starts, without waiting for its alarm", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const first = await ask(tenant.client, assistant.id, { message: "hello" });
    // The alarm stays, to run the turn again if the object dies; the answer does not wait for it.
    await withoutAlarms(first.conversation_id);
    const next = await ask(tenant.client, assistant.id, {
      message: "again",
      conversation_id: first.conversation_id,
    });
    expect(next.conversation_id).toBe(first.conversation_id);
    const history = await conversationHistory(tenant.client, assistant.id, first.conversation_id);
    expect(history.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
  });
});
