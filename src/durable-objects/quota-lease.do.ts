import { DurableObject } from "cloudflare:workers";
import { log, logged } from "../lib/log";
import {
  budgetId,
  type HolderSettlement,
  type LeasedBudget,
  type LeaseReply,
  type LeaseWant,
  type QuotaLeaseObject,
  type Surrendered,
  windowBudget,
} from "../services/quotas/quota-lease.interface";
import type {
  AdmitInput,
  AdmitResult,
  MeterKey,
  PlanPolicy,
  RateDecision,
  ReserveItem,
  TenantPlan,
  WindowItem,
} from "../services/quotas/quota-object.interface";
import { reserveItems, tenantPlanOf } from "../services/quotas/tenant-plan";
import { type BudgetRow, LeaseBudgets } from "../storage/quota-lease/lease-budgets";
import { KeptPlan } from "../storage/quota-ledger/kept-plan";
import { RateBuckets } from "../storage/quota-ledger/rate-buckets";
import { Reservations } from "../storage/quota-ledger/reservations";
import { WindowCounters } from "../storage/quota-ledger/windows";
import { isTombstoned, leaveTombstone } from "./tombstone";

// A budget unused this long goes back to the ledger at the holder's alarm (an idle holder keeps
// nothing; a period's budgets go back once the next period has started).
const IDLE_MS = 60_000;
// Usage committed at the holder is settled with the ledger within this (usage in batches).
const BATCH_MS = 5_000;
// The low-water mark of a budget is what the last seconds used: below it, the holder asks for the
// next grant in the background.
const RECENT_MS = 10_000;
const SETTLED_RETENTION_MS = 24 * 60 * 60 * 1000;

const meterBudget = (key: MeterKey): LeasedBudget => ({
  kind: "meter",
  metric: key.metric,
  periodStart: key.periodStart,
});

const NO_TENANT = { ok: false, refused: { type: "no_tenant" } } as const;

/**
 * A budget lease holder: one per tenant and region (named `<tenant>:<region>`, created with that
 * region's location hint), so that a request's `admit` is decided next to its caller. It decides
 * synchronously against grants carved from the tenant's ledger (the tenant quota object):
 * messages, tokens and the key's rate tokens. A dry grant asks the ledger (which recalls the other
 * holders' idle grants before it refuses); a low one is refilled in the background; usage goes to
 * the ledger in numbered batches, each applied once; what is unused goes back when the holder is
 * idle. Everything it holds is in its storage, so a restart loses no usage.
 */
export class QuotaLeaseDurableObject extends DurableObject<Env> implements QuotaLeaseObject {
  private readonly budgets!: LeaseBudgets;
  private readonly reservations!: Reservations;
  private readonly plan!: KeptPlan;
  /** Windows and rate buckets counted in this region alone (a widget visitor's, a client IP's). */
  private readonly regionWindows!: WindowCounters;
  private readonly regionBuckets!: RateBuckets;
  /** Calls to the ledger, one at a time, so that each answer is taken in order. */
  private syncing: Promise<unknown> = Promise.resolve();
  /** The policy of the latest request (the ledger resolves its plan with it when granting). */
  private policy: PlanPolicy | undefined;
  /** Per budget, what the requests waiting on a grant need. */
  private readonly waiting = new Map<string, number>();
  private readonly refilling = new Set<string>();

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    if (isTombstoned(state.storage.sql)) return;
    this.budgets = new LeaseBudgets(state.storage);
    this.reservations = new Reservations(state.storage);
    this.plan = new KeptPlan(state.storage);
    this.regionWindows = new WindowCounters(state.storage);
    this.regionBuckets = new RateBuckets(state.storage);
  }

  private get holderName(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error("a lease holder must be addressed by `<tenant>:<region>`");
    return name;
  }

  private ledger() {
    const name = this.holderName;
    return this.env.TENANT_QUOTA.getByName(name.slice(0, name.lastIndexOf(":")));
  }

  /**
   * A request's one call (see AdmitInput): the key's rate token, the windows' events, then the
   * reservation, each taken from the grants at once when they hold enough, else after asking the
   * ledger, whose refusal is the request's. A bucket or window kept per region is counted here alone.
   */
  async admit(input: AdmitInput): Promise<AdmitResult> {
    this.policy = input.policy;
    if (!this.plan.get()) {
      const reply = await this.sync(() => [], true);
      if (!reply?.ok) return NO_TENANT;
    }
    let rate: RateDecision | undefined;
    const used: LeasedBudget[] = [];
    if (input.rate?.perRegion) {
      const tenant = this.tenantPlan(input.policy);
      const perMinute = input.rate.perMinute ?? tenant.limits.requests_per_minute;
      rate = this.regionBuckets.take(input.rate.key, perMinute, Date.now());
      if (!rate.allowed) return { ok: false, tenant, rate, refused: { type: "rate" } };
    } else if (input.rate) {
      for (;;) {
        const tenant = this.tenantPlan(input.policy);
        const perMinute = input.rate.perMinute ?? tenant.limits.requests_per_minute;
        const budget: LeasedBudget = { kind: "rate", key: input.rate.key, perMinute };
        if (this.available(budget) >= 1) {
          this.budgets.spend(budget, 1, Date.now(), RECENT_MS);
          rate = this.rateDecision(budget);
          used.push(budget);
          break;
        }
        const reply = await this.ask([{ budget, need: 1 }]);
        if (reply && !reply.ok) return NO_TENANT;
        const refused = reply?.refused;
        if (refused?.type === "rate" && budgetId(refused.budget) === budgetId(budget)) {
          if (this.available(budget) >= 1) continue;
          return {
            ok: false,
            tenant: this.tenantPlan(input.policy),
            rate: refused.rate,
            refused: { type: "rate" },
          };
        }
      }
    }
    if (input.windows && input.windows.length > 0) {
      const counted = await this.countWindows(input.windows);
      if (counted === "no_tenant") return NO_TENANT;
      if (counted.full) {
        const tenant = this.tenantPlan(input.policy);
        return { ok: false, tenant, rate, refused: { type: "window", window: counted.full } };
      }
      used.push(...input.windows.filter((window) => !window.perRegion).map(windowBudget));
    }
    let tenant = this.tenantPlan(input.policy);
    if (input.reserve) {
      const { reservationId, ttlMs, amounts } = input.reserve;
      for (;;) {
        const ticket = this.plan.get()?.ticket;
        tenant = this.tenantPlan(input.policy);
        const items = reserveItems(tenant, amounts);
        const short = this.hold(items, reservationId, ttlMs);
        if (short.length === 0) {
          used.push(...items.map(meterBudget));
          break;
        }
        const reply = await this.ask(short.map((item) => ({ budget: meterBudget(item), need: item.amount })));
        if (reply && !reply.ok) return NO_TENANT;
        const refused = reply?.refused;
        // A refusal under the plan this attempt used is final; a new plan is tried first.
        if (refused?.type === "quota" && this.plan.get()?.ticket === ticket) {
          if (this.hold(items, reservationId, ttlMs).length === 0) break;
          return {
            ok: false,
            tenant,
            rate,
            refused: { type: "quota", item: this.wholeNeed(refused.item, items) },
          };
        }
      }
    }
    this.refillIfLow(used);
    await this.scheduleAlarm(Date.now() + IDLE_MS);
    return { ok: true, tenant, rate };
  }

  /**
   * Counts one event in every window or in none: the shared windows' events from their grants
   * (asking the ledger for any that is dry), the per-region ones here. Returns the full window, if
   * one is.
   */
  private async countWindows(
    windows: WindowItem[],
  ): Promise<{ full?: WindowItem & { used: number } } | "no_tenant"> {
    const shared = windows.filter((window) => !window.perRegion).map(windowBudget);
    for (;;) {
      const dry = shared.filter((budget) => this.available(budget) < 1);
      if (dry.length === 0) break;
      const reply = await this.ask(dry.map((budget) => ({ budget, need: 1 })));
      if (reply && !reply.ok) return "no_tenant";
      const refused = reply?.refused;
      if (refused?.type === "window" && dry.some((budget) => budgetId(budget) === budgetId(refused.budget))) {
        if (shared.every((budget) => this.available(budget) >= 1)) break;
        return { full: refused.window };
      }
    }
    // From here on, no await: the events are counted all or none.
    const now = Date.now();
    const counted = this.regionWindows.count(
      windows.filter((window) => window.perRegion),
      now,
    );
    if (!counted.ok) return { full: counted.refused };
    for (const budget of shared) this.budgets.spend(budget, 1, now, RECENT_MS);
    return {};
  }

  /** Counts a reservation made here (the `actual` amounts where given), once; see the ledger's commit. */
  async commit(input: {
    reservationId: string;
    actual?: Record<string, number>;
    evenIfReleased?: boolean;
  }): Promise<HolderSettlement> {
    const now = Date.now();
    this.reservations.expireDue(now);
    const all = this.reservations.rows(input.reservationId);
    if (all.length === 0) return "unknown";
    const rows = all.filter(
      (row) =>
        row.state === "held" || row.state === "expired" || (input.evenIfReleased && row.state === "released"),
    );
    if (rows.length === 0) return "settled";
    this.ctx.storage.transactionSync(() => {
      for (const row of rows) {
        const amount = Math.max(0, Math.round(input.actual?.[row.metric] ?? row.amount));
        this.budgets.consume(meterBudget({ metric: row.metric, periodStart: row.period_start }), amount);
      }
      this.reservations.markCommitted(input.reservationId, now);
    });
    await this.scheduleAlarm(now + BATCH_MS);
    return "counted";
  }

  /** Gives a reservation made here back (the work failed). */
  async release(input: { reservationId: string }): Promise<HolderSettlement> {
    const now = Date.now();
    this.reservations.expireDue(now);
    if (this.reservations.rows(input.reservationId).length === 0) return "unknown";
    return this.reservations.release(input.reservationId, now) ? "counted" : "settled";
  }

  /** The ledger recalls (every unused grant back) or collects (usage only); see the contract. */
  surrender(input: { plan?: Parameters<KeptPlan["put"]>[0]; collect?: boolean }): Surrendered {
    const now = Date.now();
    if (input.plan) this.plan.put(input.plan, now);
    this.reservations.expireDue(now);
    this.budgets.makeBatch((row) => (input.collect ? 0 : this.available(row.budget)));
    const held = this.budgets
      .all()
      .flatMap((row) =>
        row.budget.kind === "meter"
          ? [{ budget: row.budget, amount: this.reservations.reserved(row.budget) }]
          : [],
      )
      .filter((entry) => entry.amount > 0);
    return { batches: this.budgets.batches(), held };
  }

  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    leaveTombstone(this.ctx.storage.sql);
  }

  /** Settles usage with the ledger and gives back what was not used lately. */
  override async alarm(): Promise<void> {
    await logged("quota_lease_alarm", {}, () => this.settleIdle());
  }

  private async settleIdle(): Promise<void> {
    const now = Date.now();
    this.reservations.expireDue(now);
    this.reservations.dropSettled(now - SETTLED_RETENTION_MS);
    this.regionBuckets.dropIdle(now - IDLE_MS);
    try {
      await this.sync(
        () => [],
        true,
        (row) => (row.lastUsed < now - IDLE_MS ? this.available(row.budget) : 0),
      );
    } catch (error) {
      log("error", "lease_settle_failed", {}, error);
      await this.scheduleAlarm(Date.now() + BATCH_MS);
      return;
    }
    this.budgets.dropEnded(Date.now());
    // Still holding something: look again once it may have gone idle.
    const holding = this.budgets.all().some((row) => row.granted > 0 || row.spent > 0);
    if (holding || this.budgets.batches().length > 0) await this.scheduleAlarm(Date.now() + IDLE_MS);
  }

  /** What a budget can still give: its grant less what batches, reservations and use took. */
  private available(budget: LeasedBudget): number {
    const row = this.budgets.get(budget);
    if (!row) return 0;
    const held = budget.kind === "meter" ? this.reservations.reserved(budget) : 0;
    return row.granted - this.budgets.pending(budget) - held - row.spent;
  }

  private tenantPlan(policy: PlanPolicy): TenantPlan {
    return tenantPlanOf(policy, this.plan.get()!, new Date());
  }

  private rateDecision(budget: LeasedBudget & { kind: "rate" }): RateDecision {
    const { perMinute } = budget;
    const level = this.budgets.get(budget)?.level ?? 0;
    const remaining = Math.max(0, Math.min(perMinute, Math.floor(this.available(budget) + level)));
    return {
      allowed: true,
      limit: perMinute,
      remaining,
      resetSeconds: Math.ceil(((perMinute - remaining) * 60) / perMinute),
      retryAfterSeconds: 0,
    };
  }

  /**
   * A ledger's refusal as the request sees it: its whole need, and what is left here counted as
   * left (the ledger counts this holder's unused grant as reserved).
   */
  private wholeNeed(refused: ReserveItem & { used: number; reserved: number }, items: ReserveItem[]) {
    const item = items.find((candidate) => candidate.metric === refused.metric);
    const left = Math.max(0, this.available(meterBudget(refused)));
    return {
      ...refused,
      amount: item?.amount ?? refused.amount,
      reserved: Math.max(0, refused.reserved - left),
    };
  }

  /** Holds every item (synchronous), or returns the items the grants cannot cover. */
  private hold(items: ReserveItem[], reservationId: string, ttlMs: number): ReserveItem[] {
    const now = Date.now();
    this.reservations.expireDue(now);
    const states = this.reservations.rows(reservationId).map((row) => row.state);
    if (states.some((state) => state === "held" || state === "committed")) return [];
    const short = items.filter((item) => item.amount > 0 && this.available(meterBudget(item)) < item.amount);
    if (short.length > 0) return short;
    this.reservations.hold(reservationId, items, now + ttlMs);
    for (const item of items) this.budgets.touch(meterBudget(item), item.amount, now, RECENT_MS);
    return [];
  }

  /**
   * Waits for a grant covering `needs` (with the other waiting requests' needs). The ledger is
   * asked for at least what the holder lacks of a request's need (a 5 MB upload fits 3 MB left
   * here and 2 MB at the ledger), so a refusal means the need fits nowhere.
   */
  private async ask(needs: { budget: LeasedBudget; need: number }[]): Promise<LeaseReply | undefined> {
    for (const { budget, need } of needs) {
      const id = budgetId(budget);
      this.waiting.set(id, (this.waiting.get(id) ?? 0) + need);
    }
    try {
      return await this.sync(() =>
        needs.flatMap(({ budget, need }) => {
          const waiting = this.waiting.get(budgetId(budget)) ?? need;
          const left = this.available(budget);
          const shortfall = waiting - left;
          if (shortfall <= 0) return [];
          const recent = this.budgets.get(budget)?.recent ?? 0;
          return [{ budget, need: Math.max(1, need - Math.max(0, left)), want: Math.max(shortfall, recent) }];
        }),
      );
    } finally {
      for (const { budget, need } of needs) {
        const id = budgetId(budget);
        this.waiting.set(id, (this.waiting.get(id) ?? need) - need);
      }
    }
  }

  /** Below its low-water mark (what the last seconds used), a budget is refilled in the background. */
  private refillIfLow(used: LeasedBudget[]): void {
    const now = Date.now();
    const wants: LeaseWant[] = [];
    for (const budget of used) {
      const row = this.budgets.get(budget);
      const id = budgetId(budget);
      if (!row || this.refilling.has(id)) continue;
      const recent = row.recentSince >= now - RECENT_MS ? row.recent : 0;
      if (recent === 0 || this.available(budget) >= recent) continue;
      wants.push({ budget, need: 1, want: 2 * recent });
    }
    if (wants.length === 0) return;
    for (const want of wants) this.refilling.add(budgetId(want.budget));
    this.ctx.waitUntil(
      this.sync(() => wants)
        .catch((error) => log("warn", "lease_refill_failed", {}, error))
        .finally(() => {
          for (const want of wants) this.refilling.delete(budgetId(want.budget));
        }),
    );
  }

  /**
   * One call to the ledger, after the ones before it: the usage consumed since the last batch (and
   * what `returning` gives back) goes in a new batch, every batch not yet acknowledged is sent, and
   * the answer sets what each budget holds. `wants` is read when the call leaves: with nothing to
   * ask, and unless `force`, no call is made (undefined).
   */
  private sync(
    wants: () => LeaseWant[],
    force = false,
    returning: (row: BudgetRow) => number = () => 0,
  ): Promise<LeaseReply | undefined> {
    const run = async () => {
      const asked = wants();
      if (asked.length === 0 && !force) return undefined;
      this.budgets.makeBatch(returning);
      const reply = await this.ledger().lease({
        holder: this.holderName,
        policy: this.policy,
        batches: this.budgets.batches(),
        wants: asked,
      });
      if (reply.ok) {
        this.plan.put(reply.plan, Date.now());
        this.budgets.acknowledge(reply.appliedSeq, reply.grants, reply.levels);
      }
      return reply;
    };
    const result = this.syncing.then(run, run);
    this.syncing = result.catch(() => undefined);
    return result;
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
