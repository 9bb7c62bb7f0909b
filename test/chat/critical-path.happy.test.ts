import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import type { TurnEvent, TurnSpec } from "../../src/services/chat/conversation.interface";
import { runTurn, type TurnStore, turnStartMessages } from "../../src/services/chat/turn";
import { databaseFor, openDatabaseSession } from "../../src/storage/db";
import { findAssistant } from "../../src/storage/repositories/assistants.repo";
import { insertConversation } from "../../src/storage/repositories/conversations.repo";
import { apiWithEnv } from "../helpers/api";
import { ask } from "../helpers/chat";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

interface D1Log {
  /** Every statement prepared, in order. */
  sql: string[];
  /** The constraint or bookmark of every session opened. */
  sessions: string[];
}

/** The D1 binding, recording what is prepared on it and the sessions opened over it. */
function recordingD1(d1: D1Database | D1DatabaseSession, log: D1Log): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") {
        return (sql: string) => {
          log.sql.push(sql);
          return target.prepare(sql);
        };
      }
      if (prop === "withSession") {
        return (constraint: string) => {
          log.sessions.push(constraint);
          return recordingD1((target as D1Database).withSession(constraint), log);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as D1Database;
}

/** The conversation objects' namespace, recording the RPC methods called on its stubs, in order. */
function recordingConversations(namespace: DurableObjectNamespace, calls: string[]): DurableObjectNamespace {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "get") {
        return (id: DurableObjectId) =>
          new Proxy(target.get(id), {
            get(stub, method) {
              const member = Reflect.get(stub, method, stub);
              if (typeof method !== "string" || typeof member !== "function") return member;
              return (...args: unknown[]) => {
                calls.push(method);
                return Reflect.apply(member, stub, args);
              };
            },
          });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as DurableObjectNamespace;
}

/**
 * An objects' namespace, recording `<label>.<method>` when a stub's RPC method is called and
 * `<label>.<method> settled` when its call settles, in the order they happen.
 */
function timelineOf(
  namespace: DurableObjectNamespace,
  label: string,
  events: string[],
): DurableObjectNamespace {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "get") {
        return (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) =>
          new Proxy(target.get(id, options), {
            get(stub, method) {
              const member = Reflect.get(stub, method, stub);
              if (typeof method !== "string" || typeof member !== "function") return member;
              return (...args: unknown[]) => {
                events.push(`${label}.${method}`);
                const result = Reflect.apply(member, stub, args) as Promise<unknown>;
                void Promise.resolve(result).then(
                  () => events.push(`${label}.${method} settled`),
                  () => events.push(`${label}.${method} settled`),
                );
                return result;
              };
            },
          });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as DurableObjectNamespace;
}

/** The tables a conversation object holds (workerd's own, `_cf_…`, aside). */
const tablesOf = (state: DurableObjectState) =>
  state.storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .toArray()
    .map((row) => row.name)
    .filter((name) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));

const reads = (log: D1Log, table: string) =>
  log.sql.filter((sql) => /^\s*select/i.test(sql) && sql.includes(`from "${table}"`));

async function tenantWithAssistant() {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const assistant = await createAssistant(tenant, [collection.id]);
  return { tenant, collection, assistant };
}

/** The assistant and its collections, as a turn carries them. */
type Carried = NonNullable<TurnSpec["assistant"]>;

const shortId = () => crypto.randomUUID().slice(0, 8);

/** A development-bypass owner's turn asking `assistant` about its documents in `conversationId`. */
function devTurn(assistant: Carried, conversationId: string, requestId: string, now: string): TurnSpec {
  return {
    turnId: `msg_turn_${shortId()}`,
    tenantId: assistant.tenantId,
    actor: { type: "dev", userId: "dev" },
    role: "owner",
    requestId,
    assistantId: assistant.id,
    assistant,
    conversationId,
    userMessageId: `msg_user_${shortId()}`,
    assistantMessageId: `msg_answer_${shortId()}`,
    message: "What is in the docs?",
    createdAt: now,
  };
}

/** The row of a conversation the development-bypass owner started with `assistant`. */
function conversationRow(assistant: Carried, id: string, title: string, now: string) {
  return {
    id,
    tenantId: assistant.tenantId,
    assistantId: assistant.id,
    title,
    ownerType: "user" as const,
    ownerId: "dev",
    createdAt: now,
    updatedAt: now,
  };
}

describe("the critical path of a chat", () => {
  it("reads the key and the assistant once, and the plan not at all, for a streamed chat with an API key", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const key = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "chat" },
    });
    const log: D1Log = { sql: [], sessions: [] };
    const client = apiWithEnv({ DB: recordingD1(env.DB, log) }, { authorization: `Bearer ${key.key}` });
    const response = await client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "What is in the docs?" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("event: done");

    expect(reads(log, "api_keys")).toHaveLength(1);
    // The plan is kept by the tenant's quota object, which the rate limit and the reservation of
    // the turn reach in one call: the request does not read it.
    expect(reads(log, "tenants").filter((sql) => sql.includes('"tenant_billing"'))).toHaveLength(0);
    expect(reads(log, "assistants")).toHaveLength(1);
    expect(reads(log, "assistant_collections")).toHaveLength(1);
  });

  it("starts a streamed turn and opens its stream in one call to the conversation's object", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const calls: string[] = [];
    const client = apiWithEnv(
      { CONVERSATION: recordingConversations(env.CONVERSATION, calls) },
      { "x-tenant-id": tenant.id },
    );
    const response = await client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "What is in the docs?" },
    });
    expect(response.status).toBe(200);
    const events = await response.text();
    expect(events).toContain("event: meta");
    expect(events).toContain("event: done");
    // `prepare` only makes the object ready, beside the admission (below): one call starts the turn.
    expect(calls).toEqual(["prepare", "startTurn"]);
  });

  it("starts a follow-up in one call to its conversation's object: nothing makes it ready again", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const first = await ask(tenant.client, assistant.id, { message: "What is in the docs?" });
    const calls: string[] = [];
    const client = apiWithEnv(
      { CONVERSATION: recordingConversations(env.CONVERSATION, calls) },
      { "x-tenant-id": tenant.id },
    );
    const response = await client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "And what else?", conversation_id: first.conversation_id },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("event: done");
    // The object answered the turn before: a `prepare` beside the admission would only add a call.
    expect(calls).toEqual(["startTurn"]);
  });

  it("gets the conversation's object ready while the turn's quota is admitted, not after", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const events: string[] = [];
    const client = apiWithEnv(
      {
        CONVERSATION: timelineOf(env.CONVERSATION, "conversation", events),
        QUOTA_LEASE: timelineOf(env.QUOTA_LEASE, "quota", events),
        TENANT_QUOTA: timelineOf(env.TENANT_QUOTA, "quota", events),
      },
      { "x-tenant-id": tenant.id },
    );
    const response = await client.request("POST", `chat/${assistant.id}/stream`, {
      json: { message: "What is in the docs?" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("event: done");
    expect(events).toContain("conversation.prepare");
    expect(events).toContain("quota.admit settled");
    // Called before the admission answered: a new object is created while the request waits.
    expect(events.indexOf("conversation.prepare")).toBeLessThan(events.indexOf("quota.admit settled"));
    expect(events.indexOf("conversation.startTurn")).toBeGreaterThan(events.indexOf("quota.admit settled"));
  });

  it("writes nothing in a conversation's object made ready for a turn, until the turn starts", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const stub = env.CONVERSATION.getByName(`cnv_${crypto.randomUUID().replaceAll("-", "")}`);
    const tables = () => runInDurableObject(stub, (_instance, state: DurableObjectState) => tablesOf(state));
    // An instance made (its constructor run) and made ready, as for a request refused after its
    // `prepare` (its quota, its assistant): nothing is stored.
    expect(await tables()).toEqual([]);
    await stub.prepare();
    expect(await tables()).toEqual([]);

    // The turn's start makes its tables, in the same commit as the turn.
    const turn = await ask(tenant.client, assistant.id, { message: "What is in the docs?" });
    const made = await runInDurableObject(
      env.CONVERSATION.getByName(turn.conversation_id),
      (_instance, state: DurableObjectState) => tablesOf(state),
    );
    expect(made).toEqual(expect.arrayContaining(["conversation", "events", "messages", "turn"]));
  });

  it("answers a turn's start before it begins the turn's run: the first byte waits for none of its work", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const withCollections = (await findAssistant(depsFor(env).db, tenant.id, assistant.id))!;
    const now = new Date().toISOString();
    const conversationId = `cnv_${crypto.randomUUID().replaceAll("-", "")}`;
    const spec: TurnSpec = {
      ...devTurn(withCollections, conversationId, "req_start_first", now),
      newConversation: conversationRow(withCollections, conversationId, "started first", now),
    };
    const stub = env.CONVERSATION.getByName(conversationId);
    const runningWhenAnswered = await runInDurableObject(stub, async (instance) => {
      const started = await instance.startTurn(spec);
      expect(started.accepted).toBe(true);
      // The run the instance holds while a turn runs (see runOnce): none yet when startTurn answers.
      return (instance as unknown as { run?: Promise<void> }).run !== undefined;
    });
    expect(runningWhenAnswered).toBe(false);
    // The turn runs all the same, right after.
    const outcome = await stub.awaitTurn(spec.turnId);
    expect(outcome.type).toBe("done");
  });

  it("runs a turn with the assistant it carries: neither it nor its collections are read again", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const deps = depsFor(env);
    const withCollections = (await findAssistant(deps.db, tenant.id, assistant.id))!;
    const now = new Date().toISOString();
    const conversationId = `cnv_${crypto.randomUUID().replaceAll("-", "")}`;
    await insertConversation(deps.db, conversationRow(withCollections, conversationId, "carried", now));
    const spec = devTurn(withCollections, conversationId, "req_carried", now);
    const ctx = { tenantId: tenant.id, actor: spec.actor, role: spec.role, requestId: spec.requestId };
    // The object's storage, in memory: it holds the turn's two messages, not the whole conversation.
    const kept = turnStartMessages(spec);
    const store: TurnStore = {
      recentMessages: () => kept,
      holdsWholeConversation: () => false,
      keepAnswer: (answer) => {
        kept[1] = { ...kept[1], ...answer };
      },
      keptAnswer: () => (kept[1].status === "complete" ? kept[1] : undefined),
      writesLanded: async () => undefined,
    };

    const log: D1Log = { sql: [], sessions: [] };
    const session = openDatabaseSession(databaseFor(recordingD1(env.DB, log)));
    const events: TurnEvent[] = [];
    await runTurn({
      ctx,
      deps: { ...deps, db: session.db },
      input: { spec, emit: (event) => events.push(event), store },
    });
    expect(events.at(-1)?.type).toBe("done");
    expect(kept[1].status).toBe("complete");
    expect(reads(log, "messages")).not.toHaveLength(0);
    expect(reads(log, "assistants")).toEqual([]);
    expect(reads(log, "assistant_collections")).toEqual([]);
    expect(reads(log, "collections")).toEqual([]);
  });

  it("returns a bookmark, and starts the session of a request that sends it there", async () => {
    const tenant = await createTenant();
    const log: D1Log = { sql: [], sessions: [] };
    const client = apiWithEnv({ DB: recordingD1(env.DB, log) }, { "x-tenant-id": tenant.id });

    const created = await client.request("POST", "collections", { json: { name: "Bookmarked" } });
    expect(created.status).toBe(201);
    const bookmark = created.headers.get("x-d1-bookmark");
    expect(bookmark).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/i);
    const { id } = CollectionSchema.parse(await created.json());
    expect(log.sessions).toEqual(["first-unconstrained"]);

    // Create, then read with the bookmark: the read starts no earlier than the write.
    await client.expectJson(200, "GET", `collections/${id}`, CollectionSchema, {
      headers: { "x-d1-bookmark": bookmark! },
    });
    expect(log.sessions.at(-1)).toBe(bookmark);

    // Anything that is not a bookmark is ignored rather than sent to D1.
    await client.expectJson(200, "GET", `collections/${id}`, CollectionSchema, {
      headers: { "x-d1-bookmark": "not a bookmark; drop table" },
    });
    expect(log.sessions.at(-1)).toBe("first-unconstrained");
  });

  it("writes what an answer was retrieved from with the answer, in the object's one D1 batch", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    const assistant = await createAssistant(tenant, [collection.id]);
    const deps = depsFor(env);
    const conversationId = `cnv_${crypto.randomUUID().replaceAll("-", "")}`;
    const now = new Date().toISOString();
    const spec: TurnSpec = {
      turnId: `msg_turn_${crypto.randomUUID().slice(0, 8)}`,
      tenantId: tenant.id,
      actor: { type: "dev", userId: "dev" },
      role: "owner",
      requestId: "req_retrieved",
      assistantId: assistant.id,
      assistant: (await findAssistant(deps.db, tenant.id, assistant.id))!,
      conversationId,
      userMessageId: `msg_user_${crypto.randomUUID().slice(0, 8)}`,
      assistantMessageId: `msg_answer_${crypto.randomUUID().slice(0, 8)}`,
      message: "Where do Norwich City play their home games?",
      createdAt: now,
    };
    const kept = turnStartMessages(spec);
    let retrieved: string[] | undefined;
    const store: TurnStore = {
      recentMessages: () => kept,
      holdsWholeConversation: () => true,
      keepAnswer: (answer, _settlement, documentIds) => {
        kept[1] = { ...kept[1], ...answer };
        retrieved = documentIds;
      },
      keptAnswer: () => (kept[1].status === "complete" ? kept[1] : undefined),
      // The turn's start writes have landed: nothing holds a write back.
      writesLanded: async () => "bookmark",
    };
    const log: D1Log = { sql: [], sessions: [] };
    const session = openDatabaseSession(databaseFor(recordingD1(env.DB, log)));
    const ctx = { tenantId: tenant.id, actor: spec.actor, role: spec.role, requestId: spec.requestId };
    const events: TurnEvent[] = [];
    await runTurn({
      ctx,
      deps: { ...deps, db: session.db },
      input: { spec, emit: (e) => events.push(e), store },
    });
    expect(events.at(-1)?.type).toBe("done");
    expect(retrieved).toEqual([document.id]);
    // The run itself writes nothing to D1: the object sends the answer and its retrieval together.
    expect(log.sql.filter((sql) => !/^\s*select/i.test(sql))).toEqual([]);

    // Through the API: read back once the non-streamed answer is out, the retrieval is there.
    const answer = await ask(tenant.client, assistant.id, { message: spec.message });
    const row = await env.DB.prepare("SELECT document_ids FROM answer_retrievals WHERE message_id = ?")
      .bind(answer.message_id)
      .first<{ document_ids: string }>();
    expect(JSON.parse(row!.document_ids)).toEqual([document.id]);
  });

  it("keeps the conversation's D1 bookmark in its object, moved on by each turn's writes", async () => {
    const { tenant, assistant } = await tenantWithAssistant();
    const first = await ask(tenant.client, assistant.id, { message: "What is in the docs?" });
    const stub = env.CONVERSATION.get(env.CONVERSATION.idFromName(first.conversation_id));
    const bookmarkAfterFirst = await runInDurableObject(
      stub,
      (_instance, state: DurableObjectState) =>
        state.storage.sql.exec<{ value: string }>("SELECT value FROM d1_bookmark").one().value,
    );
    expect(bookmarkAfterFirst).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/i);

    await ask(tenant.client, assistant.id, { message: "And else?", conversation_id: first.conversation_id });
    const bookmarkAfterSecond = await runInDurableObject(
      stub,
      (_instance, state: DurableObjectState) =>
        state.storage.sql.exec<{ value: string }>("SELECT value FROM d1_bookmark").one().value,
    );
    // Bookmarks order D1's writes: the object moved on with the second turn's.
    expect(bookmarkAfterSecond > bookmarkAfterFirst).toBe(true);
  });
});
