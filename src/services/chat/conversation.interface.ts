/**
 * The contract of the conversation Durable Object: what its callers (the chat services) and the
 * object share. Plain data only: every type here crosses an RPC boundary or is stored by the
 * object. It imports nothing that imports the context, so `Deps` can name it without a cycle.
 */
import type { Actor } from "../../auth/actor";
import type { Role } from "../../auth/roles";
import type { ErrorCode } from "../../errors";
import type { Usage } from "../../providers/llm/types";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import type { ConversationRow, MessageRow } from "../../storage/repositories/conversations.repo";
import type { StoredCitation as Citation } from "../../storage/schema";

/** Everything a conversation object needs to run one turn. */
export interface TurnSpec {
  /** Also the id of the turn's quota reservation. */
  turnId: string;
  /** The caller of the request that started the turn: the turn runs on its behalf. */
  tenantId: string;
  actor: Actor;
  role: Role;
  requestId: string;
  /** The caller's lease region: the turn's reservation is settled with that region's holder. */
  region?: string;
  assistantId: string;
  /**
   * The assistant with its collections as the request read them: the turn answers with them and
   * does not read them again. Absent from turns stored before it travelled with the turn.
   */
  assistant?: AssistantWithCollections;
  conversationId: string;
  /**
   * The conversation's row when this turn starts it: the object writes it to D1 with the turn's
   * messages, after the stream's first byte, rather than the request before it.
   */
  newConversation?: ConversationRow;
  userMessageId: string;
  assistantMessageId: string;
  message: string;
  createdAt: string;
}

/** A JSON value, as far as RPC's types can check it (a recursive type is too deep for them). */
export type Json = string | number | boolean | null | object;

/** Why a turn failed: its AppError as plain data. */
export interface TurnFailure {
  code: ErrorCode;
  detail: string;
  /** Members of the problem, hence JSON. */
  extensions: Record<string, Json>;
}

/** What answering goes through, in order: its sources, its text in pieces, then its end. */
export type AnswerEvent =
  | { type: "citations"; citations: Citation[] }
  | { type: "delta"; text: string }
  | {
      type: "done";
      answer: string;
      citations: Citation[];
      usage: Usage;
      model: string;
      finishReason: string;
      /**
       * The documents retrieved to answer from, most relevant first (distinct ids). Absent from
       * answers read back from storage and from events stored before it was sent.
       */
      retrievedDocumentIds?: string[];
    };

/**
 * The end of a turn's answer, with the D1 bookmark a client sends (`X-D1-Bookmark`) to read the
 * conversation as the turn left it. Absent when the turn's writes had not reached D1 by then.
 */
export type TurnDone = Extract<AnswerEvent, { type: "done" }> & { bookmark?: string };

/** The events of a turn, as the object stores and streams them: the answer's, framed by the turn's. */
export type TurnEvent =
  | { type: "meta"; conversationId: string; messageId: string }
  | Exclude<AnswerEvent, { type: "done" }>
  | TurnDone
  | { type: "error"; error: TurnFailure };

/** How a turn ended: its last event. */
export type TurnOutcome = Extract<TurnEvent, { type: "done" | "error" }>;

export type StartTurnResult =
  | {
      accepted: true;
      firstEventId: number;
      /** The turn's SSE stream from its first event, when the start asked for one. */
      stream?: ReadableStream<Uint8Array>;
    }
  | { accepted: false };

export interface SubscribeOptions {
  /** Replays the stored events after this id (all of them when null). */
  afterEventId: number | null;
  /** Pins the stream to one turn. */
  turnId?: string;
  pingIntervalMs: number;
}

/** The RPC methods of the conversation object (one object per conversation, named by its id). */
export interface ConversationRpc extends Rpc.DurableObjectBranded {
  /**
   * Does nothing but make the object ready (create it), writing nothing: called beside a new
   * conversation's first admission, so that startTurn finds it made.
   */
  prepare(): Promise<void>;
  /**
   * Starts a turn unless one is generating. Returns the id of the turn's first event and, with
   * `stream`, the turn's SSE stream from that event (as subscribe would, in the same call).
   */
  startTurn(spec: TurnSpec, stream?: { pingIntervalMs: number }): Promise<StartTurnResult>;
  /** An SSE stream of the current turn: the stored events after `afterEventId`, then the live ones. */
  subscribe(options: SubscribeOptions): Promise<ReadableStream<Uint8Array>>;
  /**
   * Resolves when the turn has ended and its D1 writes and quota settlement were tried once, with
   * its answer (its bookmark covering those writes when they landed) or its failure.
   */
  awaitTurn(turnId: string): Promise<TurnOutcome>;
  /**
   * The messages the object holds that D1 may not show yet (written after the fact), for a reader
   * that found one still `generating` in D1.
   */
  pendingMessages(): Promise<MessageRow[]>;
  /** Whether a turn is generating now. */
  isGenerating(): Promise<boolean>;
  /** Forgets everything, when the conversation is deleted. */
  forget(): Promise<void>;
}
