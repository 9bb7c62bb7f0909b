import type { WindowItem, WindowResult } from "../../services/quotas/quota-object.interface";

// The tenant quota object's counters of events within fixed time windows (per visitor, per assistant).

export class WindowCounters {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS window_counters (
        key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        used INTEGER NOT NULL,
        PRIMARY KEY (key, window_start)
      );
      CREATE INDEX IF NOT EXISTS window_counters_by_end ON window_counters (window_end);
    `);
  }

  /**
   * Counts one event in every window, or in none when one is full (synchronous: atomic).
   * `outstanding` is what others hold of a window's events (the ledger's lease grants).
   */
  count(
    windows: WindowItem[],
    now: number,
    outstanding: (window: WindowItem) => number = () => 0,
  ): WindowResult {
    this.sql.exec("DELETE FROM window_counters WHERE window_end <= ?", now);
    for (const window of windows) {
      const used = this.used(window);
      if (used + outstanding(window) + 1 > window.limit) return { ok: false, refused: { ...window, used } };
    }
    this.storage.transactionSync(() => {
      for (const window of windows) this.add(window, 1);
    });
    return { ok: true };
  }

  /** The events counted in a window. */
  used(window: Pick<WindowItem, "key" | "windowStart">): number {
    return (
      this.sql
        .exec<{ used: number }>(
          "SELECT used FROM window_counters WHERE key = ? AND window_start = ?",
          window.key,
          window.windowStart,
        )
        .toArray()[0]?.used ?? 0
    );
  }

  /** Counts `events` in a window (a lease holder's usage of it, settled in a batch). */
  add(window: Omit<WindowItem, "limit" | "perRegion">, events: number): void {
    this.sql.exec(
      `INSERT INTO window_counters (key, window_start, window_end, used) VALUES (?, ?, ?, ?)
       ON CONFLICT (key, window_start) DO UPDATE SET used = used + excluded.used`,
      window.key,
      window.windowStart,
      window.windowEnd,
      events,
    );
  }
}
