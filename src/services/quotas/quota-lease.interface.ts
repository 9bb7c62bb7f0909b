/**
 * The contract of budget leases: what a lease holder (one Durable Object per tenant and region,
 * named `<tenant>:<region>`) and the tenant's ledger (the tenant quota object) say to each other,
 * and what the quota service asks of a holder. Plain data; the objects implement it.
 */

import type {
  AdmitInput,
  AdmitResult,
  Meter,
  PlanPolicy,
  RateDecision,
  ReserveItem,
  StoredPlan,
  WindowItem,
} from "./quota-object.interface";

/**
 * What a holder can hold a grant of: a metered counter of the period (messages, tokens),
 * requests of a key's rate bucket (`perMinute` is the bucket's capacity), or events of a window
 * shared by every region (a widget assistant's messages per hour or day).
 */
export type LeasedBudget =
  | { kind: "meter"; metric: string; periodStart: string }
  | { kind: "rate"; key: string; perMinute: number }
  | ({ kind: "window" } & Omit<WindowItem, "perRegion">);

/**
 * The metrics a holder leases (a turn's messages and tokens, an upload's document and bytes);
 * every other one is reserved at the ledger.
 */
export const LEASED_METRICS: readonly string[] = [
  "chat_messages",
  "llm_tokens",
  "documents",
  "storage_bytes",
];

/** A budget's stable id (a rate budget's capacity is not part of it). */
export const budgetId = (budget: LeasedBudget): string => {
  if (budget.kind === "meter") return `m\u0000${budget.metric}\u0000${budget.periodStart}`;
  if (budget.kind === "window") return `w\u0000${budget.key}\u0000${budget.windowStart}`;
  return `r\u0000${budget.key}`;
};

/** The leased budget of a window shared by every region. */
export const windowBudget = ({ key, windowStart, windowEnd, limit }: WindowItem): LeasedBudget => ({
  kind: "window",
  key,
  windowStart,
  windowEnd,
  limit,
});

/**
 * What a holder settles with the ledger, numbered in the order it made them: per budget, what was
 * consumed (usage, or requests drawn) and what unused grant goes back. The ledger applies each
 * number once, in order, so re-sending a batch whose answer was lost changes nothing.
 */
export interface LeaseBatch {
  seq: number;
  items: { budget: LeasedBudget; consumed: number; returned: number }[];
}

/** A grant a holder asks for: at least `need` (what a waiting request needs), `want` if it can. */
export interface LeaseWant {
  budget: LeasedBudget;
  need: number;
  want: number;
}

/** One call of a holder to its ledger: settle the batches, then grant what is wanted. */
export interface LeaseRequest {
  holder: string;
  /** Needed only with wants (the ledger resolves the plan it keeps with it). */
  policy?: PlanPolicy;
  batches: LeaseBatch[];
  wants: LeaseWant[];
}

export type LeaseRefusal =
  | { type: "rate"; budget: LeasedBudget; rate: RateDecision }
  | { type: "quota"; budget: LeasedBudget; item: ReserveItem & Meter }
  | { type: "window"; budget: LeasedBudget; window: WindowItem & { used: number } };

export type LeaseReply =
  | {
      ok: true;
      /** The plan the ledger keeps: the holder decides with a copy of it. */
      plan: StoredPlan;
      /** Every batch up to this number is applied. */
      appliedSeq: number;
      /** What the ledger records as granted to this holder, per budget it holds any of (none: 0). */
      grants: { budget: LeasedBudget; granted: number }[];
      /** A rate bucket's tokens at the ledger, for the headers the holder answers with. */
      levels: Record<string, number>;
      /** A want the ledger could not meet even after recalling other holders' idle grants. */
      refused?: LeaseRefusal;
    }
  | { ok: false; refused: { type: "no_tenant" } };

/** What a holder hands back when the ledger recalls or collects. */
export interface Surrendered {
  batches: LeaseBatch[];
  /** Held reservations per metered budget (collect only: they count as reserved). */
  held: { budget: LeasedBudget; amount: number }[];
}

/** How a holder settled a reservation: or `unknown` when it never held it (the ledger did). */
export type HolderSettlement = "counted" | "settled" | "unknown";

/** What the tenant's ledger answers its lease holders (the tenant quota object implements it too). */
export interface LeaseLedger {
  /** A lease holder's call: settles its batches, then grants what it wants (see LeaseRequest). */
  lease(input: LeaseRequest): Promise<LeaseReply>;
}

/** The RPC methods of a lease holder (one per tenant and region, named `<tenant>:<region>`). */
export interface QuotaLeaseObject extends Rpc.DurableObjectBranded {
  /**
   * A request's one call, decided against the holder's grants; a window counted per region is
   * counted here alone.
   */
  admit(input: AdmitInput): Promise<AdmitResult>;
  /** Counts a reservation the holder made (see TenantQuotaObject.commit); `unknown` if it made none. */
  commit(input: {
    reservationId: string;
    actual?: Record<string, number>;
    evenIfReleased?: boolean;
  }): Promise<HolderSettlement>;
  /** Gives a held reservation back; `unknown` if the holder never made it. */
  release(input: { reservationId: string }): Promise<HolderSettlement>;
  /**
   * The ledger recalls: every unused grant goes back with the usage not yet settled; a plan given
   * is kept (a plan change reaches holders this way). `collect` only settles usage and says what
   * is held, keeping the grants (the ledger's reads).
   */
  surrender(input: { plan?: StoredPlan; collect?: boolean }): Surrendered;
  /** The tenant is being deleted: forgets everything. */
  destroy(): Promise<void>;
}
