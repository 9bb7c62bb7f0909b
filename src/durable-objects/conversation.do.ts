import { DurableObject } from "cloudflare:workers";
import { depsFor } from "../deps";
import { AppError } from "../errors";
import { SSE_PING, sseFrame } from "../lib/sse";
import { failTurn, recordTurnStart, runTurn, type TurnEvent, type TurnSpec } from "../services/chat/turn";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  lastWrite: number;
  ping?: ReturnType<typeof setInterval>;
}

/** How a turn ended, for callers that wait for the whole answer instead of streaming it. */
export type TurnOutcome =
  | { event: "done"; data: Extract<TurnEvent, { event: "done" }>["data"]; answer: string }
  | {
      event: "error";
      data: Extract<TurnEvent, { event: "error" }>["data"];
    };

const encoder = new TextEncoder();
/** A turn still marked generating after this long has lost its run (answers time out far sooner). */
const ABANDONED_AFTER_MS = 15 * 60_000;
const FINAL_EVENTS = new Set(["done", "error"]);

/**
 * One per conversation (addressed by the conversation id). It orders turns (one at a time: a
 * second message while one is generating is refused), runs each turn from an alarm so that it
 * completes even when every client has gone, numbers and stores the turn's events in SQLite, and
 * fans them out to every attached client; a client that reconnects with Last-Event-ID is replayed
 * what it missed. What a turn does (retrieval, generation, D1 writes) is the chat service's.
 */
export class ConversationDurableObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly subscribers = new Set<Subscriber>();
  private readonly waiters = new Map<string, ((outcome: TurnOutcome) => void)[]>();
  private running = false;

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
      );`);
  }

  private currentTurn(): { id: string; spec: TurnSpec; status: string; startedAt: number } | undefined {
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
   * Closes the current turn as interrupted: its run died (the object was reset mid-answer, or its
   * alarm gave up) and its partial events cannot be continued, only ended.
   */
  private async abandon(turn: { id: string; spec: TurnSpec }): Promise<void> {
    const error = new AppError("service_unavailable", "The answer was interrupted; send the message again");
    await failTurn(depsFor(this.env), turn.spec, error, (event) => this.emit(turn.id, event));
  }

  /**
   * Starts a turn unless one is generating. The turn is marked before any await, so two
   * concurrent calls cannot both start one. Returns the id of the turn's first event.
   */
  async startTurn(spec: TurnSpec): Promise<{ accepted: true; firstEventId: number } | { accepted: false }> {
    const current = this.currentTurn();
    if (current?.status === "generating") {
      // A turn still "generating" long after any answer could take was lost: end it, then go on.
      if (this.running || Date.now() - current.startedAt < ABANDONED_AFTER_MS) return { accepted: false };
      await this.abandon(current);
    }
    this.sql.exec(
      "INSERT OR REPLACE INTO turn (singleton, id, spec, status, started_at) VALUES (1, ?, ?, 'generating', ?)",
      spec.turnId,
      JSON.stringify(spec),
      Date.now(),
    );
    try {
      await recordTurnStart(depsFor(this.env), spec);
    } catch (error) {
      this.sql.exec("DELETE FROM turn");
      throw error;
    }
    // Only the latest turn's events are kept: they are what a reconnecting client can miss.
    this.sql.exec("DELETE FROM events");
    const firstEventId = this.emit(spec.turnId, {
      event: "meta",
      data: { conversation_id: spec.conversationId, message_id: spec.assistantMessageId },
    });
    await this.ctx.storage.setAlarm(Date.now());
    return { accepted: true, firstEventId };
  }

  /** Runs the pending turn. An alarm survives the client going away; it retries if the object dies. */
  override async alarm(): Promise<void> {
    const turn = this.currentTurn();
    if (turn?.status !== "generating" || this.running) return;
    this.running = true;
    try {
      const started = this.sql.exec("SELECT count(*) AS n FROM events WHERE name != 'meta'").one()
        .n as number;
      // A previous run died mid-answer.
      if (started > 0) return await this.abandon(turn);
      await runTurn(depsFor(this.env), turn.spec, (event) => this.emit(turn.id, event));
    } finally {
      this.running = false;
    }
  }

  /** Stores an event, sends it to every subscriber, and closes the turn on its final event. */
  private emit(turnId: string, event: TurnEvent): number {
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO events (turn_id, name, data) VALUES (?, ?, ?) RETURNING id",
        turnId,
        event.event,
        JSON.stringify(event.data),
      )
      .one().id;
    const frame = encoder.encode(sseFrame(id, event.event, event.data));
    for (const subscriber of this.subscribers) this.write(subscriber, frame);
    if (FINAL_EVENTS.has(event.event)) {
      this.sql.exec(
        "UPDATE turn SET status = ? WHERE id = ?",
        event.event === "done" ? "done" : "failed",
        turnId,
      );
      for (const subscriber of this.subscribers) this.close(subscriber);
      const outcome = this.outcomeOf(turnId);
      for (const resolve of this.waiters.get(turnId) ?? []) if (outcome) resolve(outcome);
      this.waiters.delete(turnId);
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
  async subscribe(options: { afterEventId: number | null; turnId?: string; pingIntervalMs: number }) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const subscriber: Subscriber = { writer: writable.getWriter(), lastWrite: Date.now() };
    const turn = this.currentTurn();
    const sameTurn = turn && (!options.turnId || options.turnId === turn.id);
    if (turn && sameTurn) {
      const missed = this.sql.exec<{ id: number; name: string; data: string }>(
        "SELECT id, name, data FROM events WHERE turn_id = ? AND id > ? ORDER BY id",
        turn.id,
        options.afterEventId ?? 0,
      );
      for (const row of missed)
        this.write(subscriber, encoder.encode(sseFrame(row.id, row.name, JSON.parse(row.data))));
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

  private outcomeOf(turnId: string): TurnOutcome | undefined {
    const rows = this.sql
      .exec<{ name: string; data: string }>(
        "SELECT name, data FROM events WHERE turn_id = ? ORDER BY id",
        turnId,
      )
      .toArray();
    const last = rows.at(-1);
    if (!last || !FINAL_EVENTS.has(last.name)) return undefined;
    if (last.name === "error") return { event: "error", data: JSON.parse(last.data) };
    const answer = rows
      .filter((row) => row.name === "delta")
      .map((row) => (JSON.parse(row.data) as { text: string }).text)
      .join("");
    return { event: "done", data: JSON.parse(last.data), answer };
  }

  /** Resolves when the turn has ended, with its answer or its error. */
  async awaitTurn(turnId: string): Promise<TurnOutcome> {
    const ended = this.outcomeOf(turnId);
    if (ended) return ended;
    return new Promise((resolve) => this.waiters.set(turnId, [...(this.waiters.get(turnId) ?? []), resolve]));
  }

  /** Whether a turn is generating now. */
  async isGenerating(): Promise<boolean> {
    return this.currentTurn()?.status === "generating";
  }

  /** Forgets everything, when the conversation is deleted. */
  async forget(): Promise<void> {
    for (const subscriber of this.subscribers) this.close(subscriber);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}
