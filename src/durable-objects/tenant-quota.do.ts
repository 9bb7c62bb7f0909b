import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import {
  budgetId,
  LEASED_METRICS,
  type LeaseBatch,
  type LeaseLedger,
  type LeaseRefusal,
  type LeaseReply,
  type LeaseRequest,
  type Surrendered,
  windowBudget,
} from "../services/quotas/quota-lease.interface";
import type {
  AdmitInput,
  AdmitResult,
  CommitInput,
  Meter,
  MeterKey,
  RateDecision,
  ReserveItem,
  ReserveResult,
  StoredPlan,
  TenantPlan,
  TenantQuotaObject,
  WindowItem,
  WindowResult,
} from "../services/quotas/quota-object.interface";
import { reserveItems, tenantPlanOf } from "../services/quotas/tenant-plan";
import { databaseFor } from "../storage/db";
import { KeptPlan } from "../storage/quota-ledger/kept-plan";
import { LeaseGrants } from "../storage/quota-ledger/leases";
import { RateBuckets } from "../storage/quota-ledger/rate-buckets";
import { Reservations } from "../storage/quota-ledger/reservations";
import { UsageMirror } from "../storage/quota-ledger/usage-mirror";
import { WindowCounters } from "../storage/quota-ledger/windows";
import { findPlanWithTicket } from "../storage/repositories/billing.repo";
import { insertUsageEvents, type UsageEventRow, usageBaseline } from "../storage/repositories/usage.repo";
import { isTombstoned, leaveTombstone } from "./tombstone";

// Settled reservations are kept a day so that a late or repeated commit stays a no-op.
const SETTLED_RETENTION_MS = 24 * 60 * 60 * 1000;
// Rate buckets unused for an hour are full again: dropping them changes nothing.
const IDLE_BUCKET_MS = 60 * 60 * 1000;
const FLUSH_RETRY_MS = 30_000;
// Billing pushes every plan change; the kept plan is also read again from D1 this often (after
// answering, never on a call's path), so that a push lost on the way is made good.
const PLAN_RECHECK_MS = 10 * 60 * 1000;

// A grant is at most this share of a metered limit (a rate grant: of a minute's requests), and near
// the limit it shrinks to what is left divided among the holders.
const GRANT_SHARE_OF_LIMIT = 0.02;
const RATE_GRANT_SHARE = 1 / 6;
// A short holder's grant waits on at most this many recalls of the others' idle grants.
const RECALL_ROUNDS = 4;

const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * One per tenant (named by the tenant id): usage counters that reserve atomically against the
 * limits the service layer passes in, so that concurrent work can never overshoot a plan; a token
 * bucket per API key; and an outbox that mirrors every committed amount into D1 (`usage_events`).
 *
 * Every check-and-write runs synchronously on the object's SQLite, with no await in between: that
 * is what makes it atomic. A counter the object does not hold yet (a new object, a new period) is
 * first rebuilt from D1. The SQL lives in storage/quota-ledger/; the object keeps the RPC methods,
 * the rebuild from D1 and the alarm that mirrors usage into D1.
 */
export class TenantQuotaDurableObject extends DurableObject<Env> implements TenantQuotaObject, LeaseLedger {
  private readonly sql: SqlStorage;
  private readonly seeding = new Map<string, Promise<void>>();
  // Unset in a tombstoned object: with no tables, every call fails.
  private readonly usage!: UsageMirror;
  private readonly reservations!: Reservations;
  private readonly buckets!: RateBuckets;
  private readonly windows!: WindowCounters;
  private readonly plan!: KeptPlan;
  private readonly leases!: LeaseGrants;
  private planRead: Promise<StoredPlan | undefined> | undefined;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    // A deleted tenant's object stays empty, restarted or not: with no tables, every call fails.
    if (isTombstoned(this.sql)) return;
    this.usage = new UsageMirror(state.storage);
    this.reservations = new Reservations(state.storage);
    this.buckets = new RateBuckets(state.storage);
    this.windows = new WindowCounters(state.storage);
    this.plan = new KeptPlan(state.storage);
    this.leases = new LeaseGrants(state.storage);
  }

  private get tenantId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("the tenant quota object must be addressed by the tenant id");
    return name;
  }

  /**
   * Reserves every item, or none: refused when `used + reserved + amount` would pass an item's
   * limit. A `reservationId` chosen by the caller makes the call idempotent: while that
   * reservation is held or committed, reserving it again changes nothing.
   */
  async reserve(input: {
    items: ReserveItem[];
    ttlMs: number;
    reservationId?: string;
  }): Promise<ReserveResult> {
    await this.ensureSeeded(input.items);
    // From here on, no await: the check and the write are one atomic step.
    const reservationId = input.reservationId ?? randomId("rsv");
    const held = this.hold(input.items, reservationId, input.ttlMs, Date.now());
    return held.ok ? { ok: true, reservationId } : held;
  }

  /**
   * Turns a reservation into usage: `actual` amounts where given (the real token count), the
   * reserved ones otherwise. An expired reservation still counts (the work was done), and so does
   * a released one when `evenIfReleased` says the work was done after all; a committed one is left
   * alone, so a commit is counted once. Returns whether anything was counted.
   */
  async commit(input: CommitInput): Promise<boolean> {
    const now = Date.now();
    this.reservations.expireDue(now);
    const rows = this.reservations
      .rows(input.reservationId)
      .filter(
        (row) =>
          row.state === "held" ||
          row.state === "expired" ||
          (input.evenIfReleased && row.state === "released"),
      );
    if (rows.length === 0) return false;
    this.ctx.storage.transactionSync(() => {
      for (const row of rows) {
        const amount = Math.max(0, Math.round(input.actual?.[row.metric] ?? row.amount));
        this.usage.count({ metric: row.metric, periodStart: row.period_start }, amount, now);
      }
      this.reservations.markCommitted(input.reservationId, now);
    });
    await this.scheduleFlush(now);
    return true;
  }

  /** Each commit in turn, as `commit` counts it alone (a delivery's documents: one call for all). */
  async commitEach(inputs: CommitInput[]): Promise<boolean[]> {
    const counted: boolean[] = [];
    for (const input of inputs) counted.push(await this.commit(input));
    return counted;
  }

  /**
   * Gives a held reservation back untouched (the work failed). Returns whether it was held: a
   * committed one stays counted.
   */
  release(input: { reservationId: string }): boolean {
    const now = Date.now();
    this.reservations.expireDue(now);
    return this.reservations.release(input.reservationId, now);
  }

  /** Gives back resources that are gone (a deleted document's count and bytes). */
  async giveBack(input: { items: (MeterKey & { amount: number })[] }): Promise<void> {
    // A counter rebuilt just now from D1 already misses what was deleted before this call.
    const rebuilt = await this.ensureSeeded(input.items);
    // A counter never goes below 0: what lease holders counted (a document committed there a
    // moment ago) is settled first, so that giving it back is not lost against a count still short.
    if (input.items.some((item) => this.leases.holdersOf({ kind: "meter", ...item }) > 0)) {
      await this.collect();
    }
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const item of input.items) {
        if (item.amount <= 0) continue;
        this.usage.count(item, -item.amount, now, rebuilt.has(meterId(item)));
      }
    });
    await this.scheduleFlush(now);
  }

  /** The counters' state, rebuilding from D1 any the object does not hold. */
  async read(input: { meters: MeterKey[] }): Promise<Meter[]> {
    await this.ensureSeeded(input.meters);
    // What lease holders used and hold is part of the counters: they settle it now.
    const heldByHolders = await this.collect();
    this.reservations.expireDue(Date.now());
    return input.meters.map((key) => {
      const meter = this.meter(key);
      const held = heldByHolders.get(budgetId({ kind: "meter", ...key })) ?? 0;
      return { ...meter, reserved: meter.reserved + held };
    });
  }

  /**
   * A request's one call (see AdmitInput): the rate bucket, then the windows, then the
   * reservation against the plan the object keeps, the first refusal stopping the rest. After the
   * plan and the counters are at hand, no await: the checks and writes are one atomic step.
   */
  async admit(input: AdmitInput): Promise<AdmitResult> {
    const stored = await this.keptPlan();
    if (!stored) return { ok: false, refused: { type: "no_tenant" } };
    const tenant = tenantPlanOf(input.policy, stored, new Date());
    const items = input.reserve ? reserveItems(tenant, input.reserve.amounts) : [];
    await this.ensureSeeded(items);
    // From here on, no await.
    const now = Date.now();
    const rate = input.rate
      ? this.takeRate(input.rate.key, input.rate.perMinute ?? tenant.limits.requests_per_minute, now)
      : undefined;
    if (rate && !rate.allowed) return { ok: false, tenant, rate, refused: { type: "rate" } };
    if (input.windows && input.windows.length > 0) {
      const counted = this.windows.count(input.windows, now, this.leasedEvents);
      if (!counted.ok)
        return { ok: false, tenant, rate, refused: { type: "window", window: counted.refused } };
    }
    if (input.reserve) {
      const held = this.hold(items, input.reserve.reservationId, input.reserve.ttlMs, now);
      if (!held.ok) return { ok: false, tenant, rate, refused: { type: "quota", item: held.refused } };
    }
    return { ok: true, tenant, rate };
  }

  /** Each admission in turn, as `admit` decides it alone (a delivery's documents: one call for all). */
  async admitEach(inputs: AdmitInput[]): Promise<AdmitResult[]> {
    const results: AdmitResult[] = [];
    for (const input of inputs) results.push(await this.admit(input));
    return results;
  }

  /**
   * Keeps the tenant's plan as billing stored it (an older ticket than the kept one is ignored),
   * and hands it to every lease holder, recalling their unused grants: a raise reaches them at
   * the next grant, a downgrade at once (what they held goes back, and the ledger grants against
   * the new limits).
   */
  async setPlan(input: StoredPlan): Promise<void> {
    await this.keep(input);
  }

  /** Takes one request from `key`'s token bucket, which holds `perMinute` and refills continuously. */
  takeRequest(input: { key: string; perMinute: number }): RateDecision {
    return this.takeRate(input.key, input.perMinute, Date.now());
  }

  /**
   * A lease holder's one call: its batches settled (usage counted, unused grants back), then what
   * it wants granted, each at least its `need` or refused. A want the ledger cannot meet from what
   * is left recalls the other holders' idle grants first, so that a refusal means nothing is left
   * anywhere. The ledger never grants more than is left: `used + reserved + granted <= limit`.
   */
  async lease(input: LeaseRequest): Promise<LeaseReply> {
    const stored = await this.keptPlan();
    if (!stored) return { ok: false, refused: { type: "no_tenant" } };
    this.leases.register(input.holder);
    await this.applyBatches(input.holder, input.batches);
    this.leases.dropEnded(Date.now());
    let refused: LeaseRefusal | undefined;
    if (input.wants.length > 0 && input.policy) {
      const tenant = tenantPlanOf(input.policy, stored, new Date());
      const meters = input.wants.flatMap((want) => (want.budget.kind === "meter" ? [want.budget] : []));
      await this.ensureSeeded(meters);
      for (let round = 0; ; round++) {
        refused = this.grant(input.holder, tenant, input.wants);
        if (!refused || round === RECALL_ROUNDS) break;
        const others = this.leases.othersHolding(input.holder);
        if (others.length === 0) break;
        const returned = await this.recall(others, {});
        if (returned === 0) break;
      }
    }
    const levels: Record<string, number> = {};
    const now = Date.now();
    for (const want of input.wants) {
      const { budget } = want;
      if (budget.kind !== "rate") continue;
      levels[budgetId(budget)] = this.buckets.draw(
        budget.key,
        budget.perMinute,
        0,
        0,
        now,
        this.leases.total(budget),
      ).level;
    }
    return {
      ok: true,
      plan: this.plan.get()!,
      appliedSeq: this.leases.appliedSeq(input.holder),
      grants: this.leases.held(input.holder),
      levels,
      refused,
    };
  }

  /** Counts one event in every window, or in none when one is full (no await: atomic). */
  countInWindows(input: { windows: WindowItem[] }): WindowResult {
    return this.windows.count(input.windows, Date.now(), this.leasedEvents);
  }

  /** What lease holders hold of a window's events: counted as taken. */
  private readonly leasedEvents = (window: WindowItem): number => this.leases.total(windowBudget(window));

  /** Writes pending usage events to D1 now. Returns how many were written. */
  async flush(): Promise<number> {
    const pending = this.usage.pending();
    if (pending.length === 0) return 0;
    const tenantId = this.tenantId;
    const rows: UsageEventRow[] = pending.map((row) => ({
      id: row.id,
      tenantId,
      metric: row.metric,
      amount: row.amount,
      periodStart: row.period_start,
      at: row.at,
    }));
    await insertUsageEvents(databaseFor(this.env.DB), rows);
    this.usage.mirrored(pending.map((row) => row.id));
    return pending.length;
  }

  /**
   * Deletes everything the object holds, the outbox deliberately unflushed, and its alarm. Its
   * tables go too, and a tombstone stays: a late call (work of the deleted tenant still in flight)
   * fails rather than count usage nobody will delete, even once the runtime restarts the object.
   */
  async destroy(): Promise<void> {
    // The tenant's lease holders go first (a ledger destroyed before knows none).
    const holders = isTombstoned(this.sql) ? [] : this.leases.holders();
    await Promise.all(holders.map((holder) => this.holder(holder).destroy()));
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    leaveTombstone(this.sql);
  }

  /** Mirrors the outbox to D1 (retrying later if D1 fails) and tidies settled state. */
  override async alarm(): Promise<void> {
    await logged("quota_alarm", {}, () => this.tidyAndFlush());
  }

  private async tidyAndFlush(): Promise<void> {
    const now = Date.now();
    this.reservations.expireDue(now);
    this.reservations.dropSettled(now - SETTLED_RETENTION_MS);
    this.buckets.dropIdle(now - IDLE_BUCKET_MS);
    try {
      await this.flush();
    } catch (error) {
      log("error", "usage_mirror_failed", {}, error);
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_RETRY_MS);
    }
  }

  /** Holds every item under `reservationId`, or none (synchronous: call with the counters seeded). */
  private hold(
    items: ReserveItem[],
    reservationId: string,
    ttlMs: number,
    now: number,
  ): { ok: true } | { ok: false; refused: ReserveItem & Meter } {
    this.reservations.expireDue(now);
    const states = this.reservations.rows(reservationId).map((row) => row.state);
    if (states.some((state) => state === "held" || state === "committed")) return { ok: true };
    for (const item of items) {
      const meter = this.meter(item);
      // Grants held by lease holders count as reserved here.
      const reserved = meter.reserved + this.leased(item);
      if (meter.used + reserved + item.amount > item.limit) {
        return { ok: false, refused: { ...item, ...meter, reserved } };
      }
    }
    this.reservations.hold(reservationId, items, now + ttlMs);
    return { ok: true };
  }

  private leased(key: MeterKey): number {
    return LEASED_METRICS.includes(key.metric) ? this.leases.total({ kind: "meter", ...key }) : 0;
  }

  private takeRate(key: string, perMinute: number, now: number): RateDecision {
    return this.buckets.take(key, perMinute, now, this.leases.total({ kind: "rate", key, perMinute }));
  }

  /**
   * Grants every want of `holder` (synchronous: the counters seeded), or stops at the first that
   * cannot get its `need`. A grant is the want, at most a share of the limit, shrunk near the limit
   * to what is left divided among the holders, never less than the need nor more than is left.
   */
  private grant(holder: string, tenant: TenantPlan, wants: LeaseRequest["wants"]): LeaseRefusal | undefined {
    const now = Date.now();
    this.reservations.expireDue(now);
    for (const want of wants) {
      const { budget } = want;
      const sharing = this.leases.holdersOf(budget) + 1;
      if (budget.kind === "rate") {
        const base = Math.max(1, Math.ceil(budget.perMinute * RATE_GRANT_SHARE));
        const outstanding = this.leases.total(budget);
        const level = Math.max(0, budget.perMinute - outstanding);
        const share = Math.max(want.need, Math.min(want.want, base, Math.ceil(level / sharing)));
        const drawn = this.buckets.draw(budget.key, budget.perMinute, want.need, share, now, outstanding);
        if (!drawn.decision.allowed) return { type: "rate", budget, rate: drawn.decision };
        this.leases.add(holder, budget, drawn.taken);
        continue;
      }
      if (budget.kind === "window") {
        const used = this.windows.used(budget);
        const left = Math.max(0, budget.limit - used - this.leases.total(budget));
        if (budget.windowEnd <= now || left < want.need) {
          const { kind: _kind, ...window } = budget;
          return { type: "window", budget, window: { ...window, used } };
        }
        const base = Math.max(1, Math.ceil(budget.limit * GRANT_SHARE_OF_LIMIT));
        const amount = Math.min(
          left,
          Math.max(want.need, Math.min(want.want, base, Math.ceil(left / sharing))),
        );
        this.leases.add(holder, budget, amount);
        continue;
      }
      const metric = budget.metric as keyof TenantPlan["limits"];
      const key: MeterKey = { metric: budget.metric, periodStart: budget.periodStart };
      const limit = tenant.limits[metric];
      const meter = this.meter(key);
      const reserved = meter.reserved + this.leased(key);
      const left = Math.max(0, limit - meter.used - reserved);
      // A holder on another period than the ledger's gets nothing: the reply's plan corrects it.
      const current = reserveItems(tenant, { [metric]: 0 })[0]?.periodStart === budget.periodStart;
      if (!current || left < want.need) {
        return {
          type: "quota",
          budget,
          item: { ...key, amount: want.need, limit, used: meter.used, reserved },
        };
      }
      const base = Math.max(1, Math.ceil(limit * GRANT_SHARE_OF_LIMIT));
      const amount = Math.min(
        left,
        Math.max(want.need, Math.min(want.want, base, Math.ceil(left / sharing))),
      );
      this.leases.add(holder, budget, amount);
    }
    return undefined;
  }

  /** Applies a holder's batches not applied yet, in order (usage counted, unused grants back). */
  private async applyBatches(holder: string, batches: LeaseBatch[]): Promise<void> {
    const meters = batches.flatMap((batch) =>
      batch.items.flatMap((item) => (item.budget.kind === "meter" ? [item.budget] : [])),
    );
    await this.ensureSeeded(meters);
    // From here on, no await: each batch is applied once.
    const now = Date.now();
    let counted = false;
    this.ctx.storage.transactionSync(() => {
      for (const batch of [...batches].sort((a, b) => a.seq - b.seq)) {
        if (batch.seq <= this.leases.appliedSeq(holder)) continue;
        for (const { budget, consumed, returned } of batch.items) {
          if (budget.kind === "meter") {
            if (consumed !== 0) {
              this.usage.count({ metric: budget.metric, periodStart: budget.periodStart }, consumed, now);
              counted = true;
            }
          } else if (budget.kind === "window") {
            if (consumed > 0) this.windows.add(budget, consumed);
          } else if (returned > 0) {
            const outstanding = this.leases.total(budget) - consumed - returned;
            this.buckets.giveBack(budget.key, budget.perMinute, returned, now, Math.max(0, outstanding));
          }
          this.leases.add(holder, budget, -(consumed + returned));
        }
        this.leases.markApplied(holder, batch.seq);
      }
    });
    if (counted) await this.scheduleFlush(now);
  }

  private holder(name: string) {
    return this.env.QUOTA_LEASE.getByName(name);
  }

  /**
   * Asks holders to surrender (see QuotaLeaseObject.surrender) and applies what they hand back;
   * a holder that cannot be reached keeps its grants. Returns how much grant came back.
   */
  private async recall(holders: string[], input: { plan?: StoredPlan }): Promise<number> {
    const before = holders.reduce(
      (total, holder) => total + this.leases.held(holder).reduce((sum, grant) => sum + grant.granted, 0),
      0,
    );
    await Promise.all(
      holders.map(async (holder) => {
        try {
          const surrendered = (await this.holder(holder).surrender(input)) as Surrendered;
          await this.applyBatches(holder, surrendered.batches);
        } catch (error) {
          log("warn", "lease_recall_failed", { holder }, error);
        }
      }),
    );
    const after = holders.reduce(
      (total, holder) => total + this.leases.held(holder).reduce((sum, grant) => sum + grant.granted, 0),
      0,
    );
    return before - after;
  }

  /** Has every holder settle its usage; returns what they hold in reservations, per budget. */
  private async collect(): Promise<Map<string, number>> {
    const held = new Map<string, number>();
    await Promise.all(
      this.leases.holders().map(async (holder) => {
        try {
          const surrendered = (await this.holder(holder).surrender({ collect: true })) as Surrendered;
          await this.applyBatches(holder, surrendered.batches);
          for (const { budget, amount } of surrendered.held) {
            const id = budgetId(budget);
            held.set(id, (held.get(id) ?? 0) + amount);
          }
        } catch (error) {
          log("warn", "lease_collect_failed", { holder }, error);
        }
      }),
    );
    return held;
  }

  /**
   * The plan the object keeps; read from D1 when it has none (concurrent callers share the read),
   * and read again after answering when it was last checked long ago.
   */
  private async keptPlan(): Promise<StoredPlan | undefined> {
    const kept = this.plan.get();
    if (kept) {
      if (Date.now() - kept.readAt > PLAN_RECHECK_MS)
        this.ctx.waitUntil(this.readPlan().catch(() => undefined));
      return kept;
    }
    return this.readPlan();
  }

  /**
   * Keeps `plan` unless a later ticket is kept; a plan that changes what is kept is handed to every
   * lease holder (a downgrade found by the periodic re-read, after a billing push was lost, too).
   */
  private async keep(plan: StoredPlan): Promise<StoredPlan | undefined> {
    const before = this.plan.get()?.ticket;
    this.plan.put(plan, Date.now());
    const kept = this.plan.get();
    // The first plan kept has nothing to correct: holders get their plan with their grants.
    if (kept && before !== undefined && kept.ticket !== before)
      await this.recall(this.leases.holders(), { plan: kept });
    return kept;
  }

  private readPlan(): Promise<StoredPlan | undefined> {
    this.planRead ??= (async () => {
      try {
        const row = await findPlanWithTicket(databaseFor(this.env.DB), this.tenantId);
        if (!row) return undefined;
        // A push that landed during the read (a later ticket) wins.
        return await this.keep(row);
      } finally {
        this.planRead = undefined;
      }
    })();
    return this.planRead;
  }

  private meter(key: MeterKey): Meter {
    return {
      metric: key.metric,
      periodStart: key.periodStart,
      used: this.usage.used(key),
      reserved: this.reservations.reserved(key),
    };
  }

  /**
   * Rebuilds from D1 the counters the object does not hold. Concurrent callers wait on the same
   * rebuild. Returns the counters this call rebuilt itself.
   */
  private async ensureSeeded(keys: MeterKey[]): Promise<Set<string>> {
    const rebuilt = new Set<string>();
    const waits: Promise<void>[] = [];
    for (const key of keys) {
      const id = meterId(key);
      if (this.usage.holds(key)) continue;
      let seeding = this.seeding.get(id);
      if (!seeding) {
        rebuilt.add(id);
        seeding = this.seed(key).finally(() => this.seeding.delete(id));
        this.seeding.set(id, seeding);
      }
      waits.push(seeding);
    }
    await Promise.all(waits);
    return rebuilt;
  }

  private async seed(key: MeterKey): Promise<void> {
    const baseline = await usageBaseline(
      databaseFor(this.env.DB),
      this.tenantId,
      key.metric,
      key.periodStart,
    );
    this.usage.seed(key, baseline);
  }

  private async scheduleFlush(now: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > now) await this.ctx.storage.setAlarm(now);
  }
}

const meterId = (key: MeterKey) => `${key.metric}\u0000${key.periodStart}`;
