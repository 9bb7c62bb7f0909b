/**
 * The contract of the tenant quota Durable Object: what the quota service asks of it, and what the
 * object answers. The object implements it; its callers type the namespace with it, so nothing
 * outside the entry points imports the object's class.
 */

import type { PlanLimits } from "../../config";
import type { MeteredMetric, PlanName } from "../plans/plans.service";
import type { Period } from "./period";

/** What the deployment's configuration says of plans: whether billing is on, and each plan's limits. */
export interface PlanPolicy {
  billing: boolean;
  plans: Record<PlanName, PlanLimits>;
}

/** The plan in force for a tenant now, its limits, and its current billing period. */
export interface TenantPlan {
  plan: PlanName;
  limits: PlanLimits;
  period: Period;
}

export type QuotaAmounts = Partial<Record<MeteredMetric, number>>;

/** A counter: a metric within a billing period (`periodStart` is "" for resources that never reset). */
export interface MeterKey {
  metric: string;
  periodStart: string;
}

/** A counter's state: committed usage, and what reservations still hold. */
export interface Meter extends MeterKey {
  used: number;
  reserved: number;
}

/** An amount to reserve against a limit the caller decided. */
export interface ReserveItem extends MeterKey {
  amount: number;
  limit: number;
}

export type ReserveResult = { ok: true; reservationId: string } | { ok: false; refused: ReserveItem & Meter };

export interface RateDecision {
  allowed: boolean;
  /** The bucket's capacity: requests per minute. */
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** A counter of events within a fixed time window (`key` names what is counted: a visitor, an assistant). */
export interface WindowItem {
  key: string;
  /** Epoch milliseconds: the window holds [start, end). */
  windowStart: number;
  windowEnd: number;
  limit: number;
  /**
   * Counted by the caller's region's lease holder alone (a widget visitor's window: a visitor is
   * one browser, served in one region); without it the window is shared by every region and its
   * events are leased from the ledger like messages.
   */
  perRegion?: boolean;
}

export type WindowResult = { ok: true } | { ok: false; refused: WindowItem & { used: number } };

/**
 * The tenant's plan as its object keeps it: pushed by billing when it changes, read from D1 once
 * when the object has none. `ticket` is the billing sync that stored it (0 before any): a push or
 * a read older than what the object holds is ignored.
 */
export interface StoredPlan {
  plan: PlanName;
  periodStart: string | null;
  periodEnd: string | null;
  ticket: number;
}

/**
 * Everything one request asks of the tenant's object, in one call: a request from a rate bucket
 * (`perMinute` absent: the plan's requests per minute), an event in each window (a widget's
 * budgets), and a reservation of `amounts` against the plan the object keeps. They are taken in
 * that order and the first refusal stops the rest (a refused reservation leaves the request and
 * the window events counted, as separate calls did).
 */
export interface AdmitInput {
  policy: PlanPolicy;
  /** `perRegion`: a bucket the caller's region's lease holder keeps alone (see WindowItem). */
  rate?: { key: string; perMinute?: number; perRegion?: boolean };
  windows?: WindowItem[];
  reserve?: { amounts: QuotaAmounts; reservationId: string; ttlMs: number };
}

export type AdmitRefusal =
  | { type: "rate" }
  | { type: "window"; window: WindowItem & { used: number } }
  | { type: "quota"; item: ReserveItem & Meter };

export type AdmitResult =
  | { ok: true; tenant: TenantPlan; rate?: RateDecision }
  | { ok: false; tenant: TenantPlan; rate?: RateDecision; refused: AdmitRefusal }
  /** The tenant is unknown to D1 (and the object had no plan). */
  | { ok: false; refused: { type: "no_tenant" } };

/** What `commit` takes: a reservation to count, its `actual` amounts where given. */
export interface CommitInput {
  reservationId: string;
  actual?: Record<string, number>;
  evenIfReleased?: boolean;
}

/** The RPC methods of the per-tenant quota object (one per tenant, named by the tenant id); over RPC every call is awaited. */
export interface TenantQuotaObject extends Rpc.DurableObjectBranded {
  /** Reserves every item or none, against the limits given; idempotent per `reservationId`. */
  reserve(input: { items: ReserveItem[]; ttlMs: number; reservationId?: string }): Promise<ReserveResult>;
  /**
   * Counts a reservation (its `actual` amounts where given) once: committing it again is a no-op; a
   * released one counts only with `evenIfReleased`. Returns whether anything was counted.
   */
  commit(input: CommitInput): Promise<boolean>;
  /**
   * Several callers' commits in one call (a queue delivery's documents of the tenant), each
   * counted as `commit` alone counts it, in order; the answers in the same order.
   */
  commitEach(inputs: CommitInput[]): Promise<boolean[]>;
  /** Gives a held reservation back; returns whether it was held. */
  release(input: { reservationId: string }): boolean;
  /** Gives back resources that are gone (a deleted document's count and bytes). */
  giveBack(input: { items: (MeterKey & { amount: number })[] }): Promise<void>;
  read(input: { meters: MeterKey[] }): Promise<Meter[]>;
  /** Takes one request from `key`'s token bucket, which holds `perMinute` and refills continuously. */
  takeRequest(input: { key: string; perMinute: number }): RateDecision;
  /**
   * Counts one event in every window, or in none when one of them is full; windows whose end has
   * passed are forgotten. Not mirrored to D1: these are abuse bounds, not billed usage.
   */
  countInWindows(input: { windows: WindowItem[] }): WindowResult;
  /** A request's one call: rate bucket, windows and reservation against the kept plan (see AdmitInput). */
  admit(input: AdmitInput): Promise<AdmitResult>;
  /**
   * Several callers' admissions in one call (a queue delivery's documents of the tenant), each
   * decided as `admit` alone decides it, in order (a refusal refuses its own caller only); the
   * answers in the same order.
   */
  admitEach(inputs: AdmitInput[]): Promise<AdmitResult[]>;
  /**
   * Keeps the tenant's plan as billing stored it; an older `ticket` than the kept one changes
   * nothing. A new plan is handed to the lease holders, whose unused grants come back.
   */
  setPlan(input: StoredPlan): Promise<void>;
  /** Writes pending usage events to D1 now; returns how many were written. */
  flush(): Promise<number>;
  /**
   * The tenant is being deleted: deletes every counter, reservation and bucket, drops the pending
   * usage events (the tenant's usage_events go too) and cancels the alarm.
   */
  destroy(): Promise<void>;
}
