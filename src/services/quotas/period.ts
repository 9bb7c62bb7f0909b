/** A billing period: flow quotas count from `start` (inclusive) to `end` (exclusive). ISO 8601 UTC. */
export interface Period {
  start: string;
  end: string;
}

// Like Stripe's monthly anchors: Jan 31 + 1 month is Feb 28 (or 29), not Mar 3.
function addMonthsUtc(date: Date, months: number): Date {
  const moved = new Date(date);
  moved.setUTCDate(1);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(moved.getUTCFullYear(), moved.getUTCMonth() + 1, 0)).getUTCDate();
  moved.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return moved;
}

/** The calendar month (UTC) holding `now`: the period of free tenants. */
export function calendarMonth(now: Date): Period {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start: start.toISOString(), end: addMonthsUtc(start, 1).toISOString() };
}

/**
 * The period holding `now`: the subscription's when one is known, else the calendar month.
 * A subscription period that ended without news from Stripe yet (the renewal webhook is late)
 * rolls forward month by month, so quotas still reset on time.
 */
export function currentPeriod(
  subscription: { start: string | null; end: string | null } | undefined,
  now: Date,
): Period {
  if (!subscription?.start || !subscription.end) return calendarMonth(now);
  const start = new Date(subscription.start);
  const end = new Date(subscription.end);
  if (now < start) return calendarMonth(now);
  if (now < end) return { start: start.toISOString(), end: end.toISOString() };
  let months = 1;
  while (addMonthsUtc(end, months) <= now) months++;
  return { start: addMonthsUtc(end, months - 1).toISOString(), end: addMonthsUtc(end, months).toISOString() };
}

/**
 * The month before a period, ending where it starts: exactly the previous calendar month, and the
 * previous subscription period unless Stripe moved the anchor day in between.
 */
export function previousPeriod(period: Period): Period {
  return { start: addMonthsUtc(new Date(period.start), -1).toISOString(), end: period.start };
}
