import { DurableObject } from "cloudflare:workers";
import type { Deps } from "../context";
import { depsFor } from "../deps";
import { logged } from "../lib/log";
import { SSE_PING } from "../lib/sse";
import { turnEventFrame } from "../routes/chat/chat.presenters";
import type {
  ConversationRpc,
  StartTurnResult,
  SubscribeOptions,
  TurnEvent,
  TurnOutcome,
  TurnSpec,
} from "../services/chat/conversation.interface";
import { endInterruptedTurn, recordTurnStart, runTurn, turnContext } from "../services/chat/turn";
import { TurnFigures } from "../services/chat/turn-figures";
import { openDatabaseSession } from "../storage/db";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  lastWrite: number;
  ping?: ReturnType<typeof setInterval>;
}

const encoder = new TextEncoder();
/** A turn still marked generating after this long has lost its run (answers time out far sooner). */
const ABANDONED_AFTER_MS = 15 * 60_000;
/** A turn still starting after this long died with its object (its D1 insert takes milliseconds). */
const START_TIMEOUT_MS = 60_000;
const FINAL_EVENTS = new Set<string>(["done", "error"] satisfies TurnOutcome["type"][]);

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
  private readonly sql: SqlStorage;
  private readonly subscribers = new Set<Subscriber>();
  private readonly waiters = new Map<string, ((outcome: TurnOutcome) => void)[]>();
  private running = false;
  /** The turn this instance is starting (writing its messages), if any. */
  private starting: string | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS turn (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        id TEXT NOT NULL, spec TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS d1_bookmark (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1), value TEXT NOT NULL
      );`);
  }

  /**
   * Runs `work` with Deps over a D1 session that starts at the conversation's bookmark (the last
   * write this object made or saw), so its reads may come from a read replica and still see the
   * messages it wrote; the session's bookmark is kept for the next turn.
   */
  private async inSession<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
    const deps = depsFor(this.env);
    const stored = this.sql.exec<{ value: string }>("SELECT value FROM d1_bookmark").toArray()[0]?.value;
    const session = openDatabaseSession(deps.db, stored);
    try {
      return await work({ ...deps, db: session.db });
    } finally {
      const bookmark = session.bookmark();
      if (bookmark) {
        this.sql.exec("INSERT OR REPLACE INTO d1_bookmark (singleton, value) VALUES (1, ?)", bookmark);
      }
    }
  }

  private currentTurn(): Turn | undefined {
    const row = this.sql
      .exec<{ id: string; spec: string; status: string; started_at: number }>(
        "SELECT id, spec, status, started_at FROM turn",
      )
      .toArray()[0];
    return row
      ? { id: row.id, spec: JSON.parse(row.spec) as TurnSpec, status: row.status, startedAt: row.started_at }
      : undefined;
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
      input: { spec: turn.spec, emit: (event) => this.emit(turn, event) },
    });
  }

  /**
   * Starts a turn unless one is under way. The turn is marked before any await, so two concurrent
   * calls cannot both start one; it is marked `starting` in storage while its messages are written
   * to D1, so that a start the object did not live to finish is ended by the next one rather than
   * taken for a turn generating. Returns the id of the turn's first event.
   */
  async startTurn(spec: TurnSpec): Promise<StartTurnResult> {
    const current = this.currentTurn();
    // A turn still "generating" long after any answer could take was lost: it is ended below.
    const generating =
      current?.status === "generating" &&
      (this.running || Date.now() - current.startedAt < ABANDONED_AFTER_MS);
    if (this.starting || generating) return { accepted: false };
    this.starting = spec.turnId;
    try {
      if (current?.status === "generating" || current?.status === "starting") await this.abandon(current);
      this.sql.exec(
        "INSERT OR REPLACE INTO turn (singleton, id, spec, status, started_at) VALUES (1, ?, ?, 'starting', ?)",
        spec.turnId,
        JSON.stringify(spec),
        Date.now(),
      );
      // Ends this start should the object die before it finishes; a turn that starts resets it.
      await this.ctx.storage.setAlarm(Date.now() + START_TIMEOUT_MS);
      try {
        await this.inSession((deps) => recordTurnStart({ ctx: turnContext(spec), deps, input: spec }));
      } catch (error) {
        this.sql.exec("DELETE FROM turn WHERE id = ?", spec.turnId);
        throw error;
      }
    } finally {
      this.starting = undefined;
    }
    // From here to the alarm, no await: the turn turns generating with its alarm set, or not at all.
    this.sql.exec(
      "UPDATE turn SET status = 'generating', started_at = ? WHERE id = ?",
      Date.now(),
      spec.turnId,
    );
    // Only the latest turn's events are kept: they are what a reconnecting client can miss.
    this.sql.exec("DELETE FROM events");
    const firstEventId = this.emit(
      { id: spec.turnId, spec },
      { type: "meta", conversationId: spec.conversationId, messageId: spec.assistantMessageId },
    );
    await this.ctx.storage.setAlarm(Date.now());
    return { accepted: true, firstEventId };
  }

  /**
   * Runs the pending turn, or ends one whose start died with the object. An alarm survives the
   * client going away; it retries if the object dies.
   */
  override async alarm(): Promise<void> {
    const turn = this.currentTurn();
    if (turn?.status === "starting" && this.starting !== turn.id) return await this.abandonLogged(turn);
    if (turn?.status !== "generating" || this.running) return;
    this.running = true;
    try {
      const started = this.sql.exec("SELECT count(*) AS n FROM events WHERE name != 'meta'").one()
        .n as number;
      // A previous run died mid-answer.
      if (started > 0) return await this.abandonLogged(turn);
      const figures = new TurnFigures(turn.spec);
      // The turn's one log line and data point: its figures, never its text.
      await logged("chat_turn", {}, async (add) => {
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
            },
          });
          deps.metrics.record(figures.metric());
        });
        add(figures.fields());
      });
    } finally {
      this.running = false;
    }
  }

  /** Ends a turn whose run or start was lost, in a log line of its own. */
  private abandonLogged(turn: Turn): Promise<void> {
    const fields = new TurnFigures(turn.spec).fields();
    return logged("chat_turn_abandoned", fields, () => this.abandon(turn));
  }

  /** Stores an event, sends it to every subscriber, and closes the turn on its final event. */
  private emit(turn: Pick<Turn, "id" | "spec">, event: TurnEvent): number {
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO events (turn_id, name, data) VALUES (?, ?, ?) RETURNING id",
        turn.id,
        event.type,
        JSON.stringify(event),
      )
      .one().id;
    const frame = encoder.encode(turnEventFrame(id, event, turn.spec));
    for (const subscriber of this.subscribers) this.write(subscriber, frame);
    if (event.type === "done" || event.type === "error") {
      this.sql.exec(
        "UPDATE turn SET status = ? WHERE id = ?",
        event.type === "done" ? "done" : "failed",
        turn.id,
      );
      for (const subscriber of this.subscribers) this.close(subscriber);
      for (const resolve of this.waiters.get(turn.id) ?? []) resolve(event);
      this.waiters.delete(turn.id);
    }
    return id;
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

  /** The turn's final event, once it has one. */
  private outcomeOf(turnId: string): TurnOutcome | undefined {
    const last = this.sql
      .exec<{ name: string; data: string }>(
        "SELECT name, data FROM events WHERE turn_id = ? ORDER BY id DESC LIMIT 1",
        turnId,
      )
      .toArray()[0];
    return last && FINAL_EVENTS.has(last.name) ? (JSON.parse(last.data) as TurnOutcome) : undefined;
  }

  /** Resolves when the turn has ended, with its answer or its error. */
  async awaitTurn(turnId: string): Promise<TurnOutcome> {
    const ended = this.outcomeOf(turnId);
    if (ended) return ended;
    return new Promise((resolve) => this.waiters.set(turnId, [...(this.waiters.get(turnId) ?? []), resolve]));
  }

  /** Whether a turn is generating now. */
  async isGenerating(): Promise<boolean> {
    return this.currentTurn()?.status === "generating" || this.starting !== undefined;
  }

  /** Forgets everything, when the conversation is deleted. */
  async forget(): Promise<void> {
    for (const subscriber of this.subscribers) this.close(subscriber);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}
