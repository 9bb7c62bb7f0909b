import { DurableObject } from "cloudflare:workers";
import type { Deps } from "../context";
import { depsFor } from "../deps";
import { logged } from "../lib/log";
import { SSE_PING } from "../lib/sse";
import { turnEventFrame } from "../routes/chat/chat.presenters";
import { announceConversation } from "../services/chat/chat.service";
import type {
  ConversationRpc,
  StartTurnResult,
  SubscribeOptions,
  TurnEvent,
  TurnOutcome,
  TurnSpec,
} from "../services/chat/conversation.interface";
import {
  type AnswerRecord,
  endInterruptedTurn,
  runTurn,
  type TurnStore,
  turnContext,
  turnStartMessages,
  writeConversationRecords,
} from "../services/chat/turn";
import { TurnFigures } from "../services/chat/turn-figures";
import { settleTurnReservation, type TurnSettlement } from "../services/chat/usage";
import { openDatabaseSession } from "../storage/db";
import type { ConversationRow, MessageRow } from "../storage/repositories/conversations.repo";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  lastWrite: number;
  ping?: ReturnType<typeof setInterval>;
}

const encoder = new TextEncoder();
/** A turn still marked generating after this long has lost its run (answers time out far sooner). */
const ABANDONED_AFTER_MS = 15 * 60_000;
const FINAL_EVENTS = new Set<string>(["done", "error"] satisfies TurnOutcome["type"][]);
/** Events stored by one INSERT: four bound parameters each, within the 100 a statement takes. */
const EVENTS_PER_INSERT = 25;
/**
 * Events are stored (then sent) at most this often: the first after a pause goes at once, those
 * that follow it closer than this (a fast model's burst) wait for it and go together. A reader
 * sees no difference; the turn stores and sends a few times instead of once per delta.
 */
const STORE_EVENTS_EVERY_MS = 10;
/** How long `done` waits for the turn's start writes to reach D1, so that its bookmark covers them. */
const WRITES_WAIT_MS = 2_000;
/** Written messages kept beyond the pending ones: more than a turn's history reads. */
const KEPT_MESSAGES = 50;
/** The first retry of D1 writes or a quota settlement that failed; doubled each time, up to a minute. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/**
 * When a turn's alarm fires, the turn having started at once: a run lost with its instance before
 * then is ended by it (one still going is waited for). Most turns are over by then.
 */
const RUN_GUARD_MS = 10_000;

interface Turn {
  id: string;
  spec: TurnSpec;
  status: string;
  startedAt: number;
}

/**
 * One per conversation (addressed by the conversation id). It orders turns (one at a time: a
 * second message while one is generating is refused), runs each turn from an alarm so that it
 * completes even when every client has gone, numbers and stores the turn's events in SQLite, and
 * fans them out to every attached client; a client that reconnects with Last-Event-ID is replayed
 * what it missed. What a turn does (retrieval, generation, D1 writes) is the chat service's.
 *
 * An entry point, like a route: its RPC methods and its alarm call the chat services, in the
 * TenantContext of the request that started the turn (rebuilt from the turn's spec). Its contract
 * is `services/chat/conversation.interface.ts`.
 */
export class ConversationDurableObject extends DurableObject<Env> implements ConversationRpc {
  private readonly subscribers = new Set<Subscriber>();
  private readonly waiters = new Map<string, ((outcome: TurnOutcome) => void)[]>();
  /** The run of the current turn in this instance, while it runs (see runOnce). */
  private run: Promise<void> | undefined;
  /** The turn this instance is starting (while it ends the one before), if any. */
  private starting: string | undefined;
  /** The id of the last event stored or about to be (see nextEventId); unknown in a new instance. */
  private lastEventId: number | undefined;
  /** Events emitted and not stored yet, nor sent (see emit). */
  private unstored: { id: number; turnId: string; name: string; data: string; frame: string }[] = [];
  private storeSoon: ReturnType<typeof setTimeout> | undefined;
  /** When events were last stored and sent. */
  private storedAt = 0;
  /** The turn whose first delta has gone out: a turn's first token never waits for a burst. */
  private deltasStarted: string | undefined;

  private schemaMade = false;
  /**
   * The `turn` row and D1's bookmark as this instance last read or wrote them (undefined: not read
   * yet; null: none), so that the steps of a turn (its start, run and bookkeeping) do not read them
   * back, and parse the turn's spec, each time. Every write goes to storage first, then here; each
   * call into the object starts by reading them afresh (see freshRows), so storage stays the truth.
   */
  private turnRow: Turn | null | undefined;
  private bookmarkValue: string | null | undefined;

  private freshRows(): void {
    this.turnRow = undefined;
    this.bookmarkValue = undefined;
  }

  /**
   * The object's SQLite storage, its tables made on the instance's first use of it rather than in
   * its constructor: an instance only made ready (`prepare`) writes nothing, and a new
   * conversation's tables are committed with its first turn's start, in one commit.
   */
  private get sql(): SqlStorage {
    const sql = this.ctx.storage.sql;
    if (this.schemaMade) return sql;
    this.schemaMade = true;
    sql.exec(`
      CREATE TABLE IF NOT EXISTS turn (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        id TEXT NOT NULL, spec TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS d1_bookmark (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1), value TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS conversation (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1), new_row TEXT, whole INTEGER NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, written INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS messages (
        id TEXT PRIMARY KEY, record TEXT NOT NULL, version INTEGER NOT NULL, written INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS settlements (
        turn_id TEXT PRIMARY KEY, spec TEXT NOT NULL, outcome TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS retrievals (
        message_id TEXT PRIMARY KEY, document_ids TEXT NOT NULL
      );`);
    return sql;
  }

  /*
   * What a turn does is kept here first, and D1 is written after (the stream's first byte and its
   * `done` wait for no D1 write): `conversation` and `messages` hold the conversation's row and
   * the messages of its turns, each with the version D1 has (`written`) beside its own, and
   * `retrievals` the documents each answer was retrieved from, until D1 has them; a write sends
   * every record D1 lacks in one batch, idempotently, and marks what it sent. `settlements` holds the
   * quota commits and releases owed by ended turns. Whatever is pending when the object dies is
   * sent by its next alarm (set for every failure) or the next turn.
   */

  /** The writes and settlements under way, in order; each resolves to whether all of it landed. */
  private bookkeeping: Promise<boolean> = Promise.resolve(true);
  private retries = 0;
  /** Turns ended in this instance whose bookkeeping has not been tried yet. */
  private readonly unsettled = new Set<string>();

  private storedBookmark(): string | undefined {
    if (this.bookmarkValue === undefined) {
      this.bookmarkValue =
        this.sql.exec<{ value: string }>("SELECT value FROM d1_bookmark").toArray()[0]?.value ?? null;
    }
    return this.bookmarkValue ?? undefined;
  }

  /** Keeps a message (new or changed) as pending for D1. */
  private keepMessage(message: MessageRow): void {
    this.sql.exec(
      `INSERT INTO messages (id, record, version, written) VALUES (?, ?, 1, 0)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, version = version + 1`,
      message.id,
      JSON.stringify(message),
    );
  }

  private keptMessage(id: string): MessageRow | undefined {
    const row = this.sql
      .exec<{ record: string }>("SELECT record FROM messages WHERE id = ?", id)
      .toArray()[0];
    return row && (JSON.parse(row.record) as MessageRow);
  }

  /** The turn's view of the object's storage (see TurnStore). */
  private storeFor(spec: TurnSpec): TurnStore {
    return {
      recentMessages: (limit) =>
        this.sql
          .exec<{ record: string }>("SELECT record FROM messages ORDER BY id DESC LIMIT ?", limit)
          .toArray()
          .reverse()
          .map((row) => JSON.parse(row.record) as MessageRow),
      holdsWholeConversation: () =>
        this.sql.exec<{ whole: number }>("SELECT whole FROM conversation").toArray()[0]?.whole === 1,
      keepAnswer: (answer: AnswerRecord, settlement: TurnSettlement, retrievedDocumentIds?: string[]) => {
        // The answer's record is its placeholder with every field a turn changes replaced: the
        // kept one (the placeholder, or an earlier answer of the same turn) need not be read back.
        const message = turnStartMessages(spec)[1];
        this.ctx.storage.transactionSync(() => {
          this.keepMessage({ ...message, ...answer });
          if (retrievedDocumentIds) {
            this.sql.exec(
              "INSERT OR IGNORE INTO retrievals (message_id, document_ids) VALUES (?, ?)",
              spec.assistantMessageId,
              JSON.stringify(retrievedDocumentIds),
            );
          }
          this.sql.exec(
            "INSERT OR REPLACE INTO settlements (turn_id, spec, outcome) VALUES (?, ?, ?)",
            spec.turnId,
            JSON.stringify(spec),
            JSON.stringify(settlement),
          );
        });
      },
      keptAnswer: () => {
        const message = this.keptMessage(spec.assistantMessageId);
        return message?.status === "complete" ? message : undefined;
      },
      writesLanded: async () => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const landed = await Promise.race([
          this.bookkeeping,
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), WRITES_WAIT_MS);
          }),
        ]);
        clearTimeout(timer);
        return landed ? this.storedBookmark() : undefined;
      },
    };
  }

  /** Sends D1 what it lacks (one idempotent batch) and marks what it sent. */
  private async writeRecords(): Promise<void> {
    const conversation = this.sql
      .exec<{
        new_row: string | null;
        updated_at: string;
        version: number;
        written: number;
      }>("SELECT new_row, updated_at, version, written FROM conversation")
      .toArray()[0];
    const pending = this.sql
      .exec<{ id: string; record: string; version: number }>(
        "SELECT id, record, version FROM messages WHERE version > written ORDER BY id",
      )
      .toArray();
    const retrievals = this.sql
      .exec<{ message_id: string; document_ids: string }>("SELECT message_id, document_ids FROM retrievals")
      .toArray();
    const turn = this.currentTurn();
    if (conversation && turn && (pending.length > 0 || conversation.version > conversation.written)) {
      const spec = turn.spec;
      const newRow = conversation.new_row ? (JSON.parse(conversation.new_row) as ConversationRow) : undefined;
      let landed = true;
      try {
        await this.inSession((deps) =>
          writeConversationRecords({
            ctx: turnContext(spec),
            deps,
            input: {
              conversationId: spec.conversationId,
              conversation: newRow,
              updatedAt: conversation.updated_at,
              messages: pending.map((row) => JSON.parse(row.record) as MessageRow),
              retrievals: retrievals.map((row) => ({
                messageId: row.message_id,
                documentIds: JSON.parse(row.document_ids) as string[],
              })),
            },
          }),
        );
      } catch (error) {
        // The conversation (or its assistant) was deleted meanwhile: there is nothing left to write to.
        if (!String(error).includes("FOREIGN KEY constraint failed")) throw error;
        landed = false;
        console.warn(
          `[${spec.requestId}] conversation ${spec.conversationId} is gone from D1; its pending writes are dropped`,
        );
      }
      this.ctx.storage.transactionSync(() => {
        for (const row of pending) {
          this.sql.exec("UPDATE messages SET written = ? WHERE id = ?", row.version, row.id);
        }
        this.sql.exec("UPDATE conversation SET written = ?", conversation.version);
        for (const row of retrievals)
          this.sql.exec("DELETE FROM retrievals WHERE message_id = ?", row.message_id);
        this.sql.exec(
          `DELETE FROM messages WHERE version = written
             AND id NOT IN (SELECT id FROM messages ORDER BY id DESC LIMIT ?)`,
          KEPT_MESSAGES,
        );
      });
      // A new conversation is announced once its row is in D1 (at most once: after it is marked).
      if (landed && newRow && conversation.written === 0) {
        await this.inSession((deps) => announceConversation({ ctx: turnContext(spec), deps, input: newRow }));
      }
    }
  }

  /** Settles the quota owed by ended turns, each once it is done. */
  private async settle(): Promise<void> {
    const settlements = this.sql
      .exec<{ turn_id: string; spec: string; outcome: string }>(
        "SELECT turn_id, spec, outcome FROM settlements",
      )
      .toArray();
    for (const row of settlements) {
      const spec = JSON.parse(row.spec) as TurnSpec;
      await settleTurnReservation({
        ctx: turnContext(spec),
        deps: depsFor(this.env),
        input: { reservationId: row.turn_id, outcome: JSON.parse(row.outcome) as TurnSettlement },
      });
      this.sql.exec("DELETE FROM settlements WHERE turn_id = ?", row.turn_id);
    }
  }

  /** Writes D1 and settles the quota, neither waiting on the other's failure; throws the first. */
  private async writeAndSettle(): Promise<void> {
    const failures = (await Promise.allSettled([this.writeRecords(), this.settle()])).filter(
      (result) => result.status === "rejected",
    );
    if (failures[0]) throw failures[0].reason;
  }

  /**
   * Writes D1 and settles the quota (after the turns that need it), then resolves the callers
   * awaiting the turns that ended. A failure is logged and retried by the alarm, later and later.
   */
  private bookkeep(): Promise<boolean> {
    const ended = [...this.unsettled];
    const run = this.bookkeeping.then(async () => {
      try {
        await this.writeAndSettle();
        this.retries = 0;
        return true;
      } catch (error) {
        console.error("a conversation's D1 writes or quota settlement failed; retried by its alarm", error);
        const at = Date.now() + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.retries++);
        const alarm = await this.ctx.storage.getAlarm();
        if (alarm === null || alarm > at) await this.ctx.storage.setAlarm(at);
        return false;
      }
    });
    this.bookkeeping = run;
    void run.then((landed) => {
      for (const turnId of ended) {
        this.unsettled.delete(turnId);
        const outcome = this.outcomeOf(turnId, landed);
        for (const resolve of this.waiters.get(turnId) ?? []) if (outcome) resolve(outcome);
        this.waiters.delete(turnId);
      }
    });
    return run;
  }

  /**
   * Runs `work` with Deps over a D1 session that starts at the conversation's bookmark (the last
   * write this object made or saw), so its reads may come from a read replica and still see the
   * messages it wrote; the session's bookmark is kept for the next turn.
   */
  private async inSession<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
    const deps = depsFor(this.env);
    const session = openDatabaseSession(deps.db, this.storedBookmark());
    try {
      return await work({ ...deps, db: session.db });
    } finally {
      const bookmark = session.bookmark();
      if (bookmark && bookmark !== this.bookmarkValue) {
        this.sql.exec("INSERT OR REPLACE INTO d1_bookmark (singleton, value) VALUES (1, ?)", bookmark);
        this.bookmarkValue = bookmark;
      }
    }
  }

  private currentTurn(): Turn | undefined {
    if (this.turnRow === undefined) {
      const row = this.sql
        .exec<{ id: string; spec: string; status: string; started_at: number }>(
          "SELECT id, spec, status, started_at FROM turn",
        )
        .toArray()[0];
      this.turnRow = row
        ? {
            id: row.id,
            spec: JSON.parse(row.spec) as TurnSpec,
            status: row.status,
            startedAt: row.started_at,
          }
        : null;
    }
    return this.turnRow ?? undefined;
  }

  /**
   * Ends the current turn, whose run died (the object was reset mid-answer or mid-start, or its
   * alarm gave up): its partial events cannot be continued, only ended, as answered if its answer
   * was stored, as interrupted otherwise.
   */
  private async abandon(turn: Turn): Promise<void> {
    await endInterruptedTurn({
      ctx: turnContext(turn.spec),
      deps: depsFor(this.env),
      input: { spec: turn.spec, emit: (event) => this.emit(turn, event), store: this.storeFor(turn.spec) },
    });
  }

  /**
   * Nothing but the instance: a new conversation's first request calls it beside its quota
   * admission, so that the object is created while the request waits for that, not after.
   * Touches no storage: a request refused then leaves nothing behind.
   */
  async prepare(): Promise<void> {}

  /**
   * Starts a turn unless one is under way: the turn, its question and a placeholder answer (and,
   * for a new conversation, its row) are kept in the object's storage in one synchronous write, so
   * two concurrent calls cannot both start one, and nothing waits for D1: the start's writes to D1
   * go out before this call answers, and the turn itself starts as soon as it has answered. Returns the id of
   * the turn's first event, and with `stream` the turn's SSE stream from it (subscribe in the same
   * call).
   */
  async startTurn(spec: TurnSpec, stream?: { pingIntervalMs: number }): Promise<StartTurnResult> {
    this.freshRows();
    const current = this.currentTurn();
    // A turn still "generating" long after any answer could take was lost: it is ended below.
    const generating =
      current?.status === "generating" &&
      (this.run !== undefined || Date.now() - current.startedAt < ABANDONED_AFTER_MS);
    if (this.starting || generating) return { accepted: false };
    if (current?.status === "generating" || current?.status === "starting") {
      this.starting = spec.turnId;
      try {
        await this.abandon(current);
      } finally {
        this.starting = undefined;
      }
    }
    const startedAt = Date.now();
    const firstEventId = this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT OR REPLACE INTO turn (singleton, id, spec, status, started_at) VALUES (1, ?, ?, 'generating', ?)",
        spec.turnId,
        JSON.stringify(spec),
        startedAt,
      );
      this.sql.exec(
        `INSERT INTO conversation (singleton, new_row, whole, updated_at, version, written)
         VALUES (1, ?, ?, ?, 1, 0)
         ON CONFLICT (singleton) DO UPDATE SET updated_at = excluded.updated_at, version = version + 1`,
        spec.newConversation ? JSON.stringify(spec.newConversation) : null,
        spec.newConversation ? 1 : 0,
        spec.createdAt,
      );
      for (const message of turnStartMessages(spec)) this.keepMessage(message);
      // Only the latest turn's events are kept: they are what a reconnecting client can miss.
      this.sql.exec("DELETE FROM events");
      return this.emit(
        { id: spec.turnId, spec },
        { type: "meta", conversationId: spec.conversationId, messageId: spec.assistantMessageId },
      );
    });
    // Once its transaction has committed (a rolled-back start leaves the row as it was).
    this.turnRow = { id: spec.turnId, spec, status: "generating", startedAt };
    // A streamed start gets its stream in the same call: one round trip before the first byte.
    const readable = stream
      ? this.attach({ afterEventId: firstEventId - 1, turnId: spec.turnId, ...stream })
      : undefined;
    // The start's D1 write (the conversation's row, the question) goes out before this call
    // answers: a caller that reads the conversation back once it has the first byte finds it.
    void this.bookkeep();
    try {
      // Its alarm is the guard: if this instance dies, the alarm ends the turn in a fresh one (see
      // alarm); if the run is still going, it waits for it.
      await this.ctx.storage.setAlarm(Date.now() + RUN_GUARD_MS);
    } finally {
      // The turn's run begins once this call has returned (a timer fires after its reply is on its
      // way), and even if the alarm could not be set: the object's one thread does not spend the
      // run's first work (the history, the question's embedding or rewrite) before the caller's
      // first byte.
      setTimeout(() => {
        this.runOnce()
          .then(() => this.bookkeep())
          .catch(() => {});
      }, 0);
    }
    return readable ? { accepted: true, firstEventId, stream: readable } : { accepted: true, firstEventId };
  }

  /**
   * Runs the pending turn (or waits for its run under way in this instance, which startTurn began),
   * or ends one whose start died with the object (turns started before starts were synchronous),
   * then writes D1 and settles what is pending. An alarm survives the client going away; it is
   * retried if the object dies, and is set again for failed bookkeeping.
   */
  override async alarm(): Promise<void> {
    this.freshRows();
    const turn = this.currentTurn();
    if (turn?.status === "starting" && this.starting !== turn.id) {
      await this.abandonLogged(turn);
    } else if (turn?.status === "generating") {
      await this.runOnce();
    }
    await this.bookkeep();
  }

  /**
   * Runs the current turn once in this instance (a second call joins the run under way); one that
   * a previous run began and died in is ended instead.
   */
  private runOnce(): Promise<void> {
    this.run ??= (async () => {
      const turn = this.currentTurn();
      if (turn?.status !== "generating") return;
      const started = this.sql.exec("SELECT count(*) AS n FROM events WHERE name != 'meta'").one()
        .n as number;
      // A previous run died mid-answer.
      if (started > 0) await this.abandonLogged(turn);
      else await this.runLogged(turn);
    })().finally(() => {
      this.run = undefined;
    });
    return this.run;
  }

  /** Runs the turn; its one log line and data point carry its figures, never its text. */
  private runLogged(turn: Turn): Promise<void> {
    const figures = new TurnFigures(turn.spec);
    return logged("chat_turn", {}, async (add) => {
      await this.inSession(async (deps) => {
        await runTurn({
          ctx: turnContext(turn.spec),
          deps,
          input: {
            spec: turn.spec,
            emit: (event) => {
              figures.observe(event);
              this.emit(turn, event);
            },
            store: this.storeFor(turn.spec),
          },
        });
        deps.metrics.record(figures.metric());
      });
      add(figures.fields());
    });
  }

  /** Ends a turn whose run or start was lost, in a log line of its own. */
  private abandonLogged(turn: Turn): Promise<void> {
    const fields = new TurnFigures(turn.spec).fields();
    return logged("chat_turn_abandoned", fields, () => this.abandon(turn));
  }

  /**
   * Stores an event, sends it to every subscriber, and closes the turn on its final event. The
   * deltas of a burst are stored together, in one statement, and only then sent (see
   * STORE_EVENTS_EVERY_MS): no client sees an event that storage lacks, so a client that resumes
   * from any id it saw gets exactly the rest. A turn's first event, first delta and final event are stored at once.
   *
   * Ids only grow, across turns (a client's Last-Event-ID of an earlier turn must not hide a later
   * one), as AUTOINCREMENT keeps them: the first event an instance stores is inserted alone to
   * learn its id, later ones are numbered on from it.
   */
  private emit(turn: Pick<Turn, "id" | "spec">, event: TurnEvent): number {
    const data = JSON.stringify(event);
    const final = event.type === "done" || event.type === "error";
    let id: number;
    if (this.lastEventId === undefined) {
      id = this.sql
        .exec<{ id: number }>(
          "INSERT INTO events (turn_id, name, data) VALUES (?, ?, ?) RETURNING id",
          turn.id,
          event.type,
          data,
        )
        .one().id;
      this.lastEventId = id;
      this.send(turnEventFrame(id, event, turn.spec));
    } else {
      id = ++this.lastEventId;
      const frame = turnEventFrame(id, event, turn.spec);
      this.unstored.push({ id, turnId: turn.id, name: event.type, data, frame });
      const wait = this.storedAt + STORE_EVENTS_EVERY_MS - Date.now();
      const firstDelta = event.type === "delta" && this.deltasStarted !== turn.id;
      if (firstDelta) this.deltasStarted = turn.id;
      if (final || firstDelta || event.type === "meta" || wait <= 0) this.storeEvents();
      else this.storeSoon ??= setTimeout(() => this.storeEvents(), wait);
    }
    if (final) {
      const status = event.type === "done" ? "done" : "failed";
      this.sql.exec("UPDATE turn SET status = ? WHERE id = ?", status, turn.id);
      if (this.turnRow?.id === turn.id) this.turnRow = { ...this.turnRow, status };
      for (const subscriber of this.subscribers) this.close(subscriber);
      // Its callers hear of it once its bookkeeping was tried (see bookkeep).
      this.unsettled.add(turn.id);
    }
    return id;
  }

  /** Stores the events not stored yet, in as few statements as bound parameters allow, then sends them. */
  private storeEvents(): void {
    clearTimeout(this.storeSoon);
    this.storeSoon = undefined;
    this.storedAt = Date.now();
    const events = this.unstored;
    if (events.length === 0) return;
    this.unstored = [];
    for (let at = 0; at < events.length; at += EVENTS_PER_INSERT) {
      const rows = events.slice(at, at + EVENTS_PER_INSERT);
      this.sql.exec(
        `INSERT INTO events (id, turn_id, name, data) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}`,
        ...rows.flatMap((row) => [row.id, row.turnId, row.name, row.data]),
      );
    }
    this.send(events.map((event) => event.frame).join(""));
  }

  /** Sends frames to every subscriber, in one write each. */
  private send(frames: string): void {
    if (this.subscribers.size === 0) return;
    const bytes = encoder.encode(frames);
    for (const subscriber of this.subscribers) this.write(subscriber, bytes);
  }

  private write(subscriber: Subscriber, bytes: Uint8Array): void {
    subscriber.lastWrite = Date.now();
    // Not awaited: a slow or gone client must never hold up the turn or the other clients.
    subscriber.writer.write(bytes).catch(() => this.close(subscriber));
  }

  private close(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    clearInterval(subscriber.ping);
    subscriber.writer.close().catch(() => {});
  }

  /**
   * An SSE stream of the current turn: the stored events after `afterEventId` (all of them when
   * null), then the live ones, ending with the turn. `turnId` pins the stream to one turn.
   */
  async subscribe(options: SubscribeOptions): Promise<ReadableStream<Uint8Array>> {
    this.freshRows();
    return this.attach(options);
  }

  private attach(options: SubscribeOptions): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const subscriber: Subscriber = { writer: writable.getWriter(), lastWrite: Date.now() };
    const turn = this.currentTurn();
    const sameTurn = turn && (!options.turnId || options.turnId === turn.id);
    if (turn && sameTurn) {
      const missed = this.sql.exec<{ id: number; data: string }>(
        "SELECT id, data FROM events WHERE turn_id = ? AND id > ? ORDER BY id",
        turn.id,
        options.afterEventId ?? 0,
      );
      for (const row of missed) {
        const event = JSON.parse(row.data) as TurnEvent;
        this.write(subscriber, encoder.encode(turnEventFrame(row.id, event, turn.spec)));
      }
    }
    if (turn && sameTurn && turn.status === "generating") {
      this.subscribers.add(subscriber);
      subscriber.ping = setInterval(
        () => {
          if (Date.now() - subscriber.lastWrite >= options.pingIntervalMs)
            this.write(subscriber, encoder.encode(SSE_PING));
        },
        Math.max(10, Math.floor(options.pingIntervalMs / 2)),
      );
    } else {
      subscriber.writer.close().catch(() => {});
    }
    return readable;
  }

  /**
   * The turn's final event, once it has one; with the latest bookmark when `written` says the
   * turn's D1 writes have landed (the bookmark then covers its answer).
   */
  private outcomeOf(turnId: string, written: boolean): TurnOutcome | undefined {
    const last = this.sql
      .exec<{ name: string; data: string }>(
        "SELECT name, data FROM events WHERE turn_id = ? ORDER BY id DESC LIMIT 1",
        turnId,
      )
      .toArray()[0];
    if (!last || !FINAL_EVENTS.has(last.name)) return undefined;
    const outcome = JSON.parse(last.data) as TurnOutcome;
    const bookmark = written ? this.storedBookmark() : undefined;
    return outcome.type === "done" && bookmark ? { ...outcome, bookmark } : outcome;
  }

  /** Resolves when the turn has ended and its bookkeeping was tried, with its answer or its error. */
  async awaitTurn(turnId: string): Promise<TurnOutcome> {
    this.freshRows();
    const pending = this.sql.exec("SELECT count(*) AS n FROM messages WHERE version > written").one()
      .n as number;
    const ended = this.unsettled.has(turnId) ? undefined : this.outcomeOf(turnId, pending === 0);
    if (ended) return ended;
    return new Promise((resolve) => this.waiters.set(turnId, [...(this.waiters.get(turnId) ?? []), resolve]));
  }

  /** The messages D1 may not have yet (see ConversationRpc). */
  async pendingMessages(): Promise<MessageRow[]> {
    return this.sql
      .exec<{ record: string }>("SELECT record FROM messages WHERE version > written ORDER BY id")
      .toArray()
      .map((row) => JSON.parse(row.record) as MessageRow);
  }

  /** Whether a turn is generating now. */
  async isGenerating(): Promise<boolean> {
    this.freshRows();
    return this.currentTurn()?.status === "generating" || this.starting !== undefined;
  }

  /**
   * Forgets everything, when the conversation is deleted: what is pending is written and settled
   * first (tried once), so that no write lands after the conversation's deletion and every
   * answered turn is charged.
   */
  async forget(): Promise<void> {
    for (const subscriber of this.subscribers) this.close(subscriber);
    await this.bookkeep();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaMade = false;
    this.freshRows();
  }
}
