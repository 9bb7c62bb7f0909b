// Time spent per stage of a piece of work (an ingestion message), for the benchmarks: off unless a
// caller starts a record, and then only a clock read and an addition per timed call. Stages nest
// (token counting inside chunking): a stage's own time excludes the stages timed inside it.

export type StageTimes = Record<string, number>;

let record: StageTimes | undefined;
let inner = 0;
let now: () => number = () => performance.now();

/**
 * Starts recording stage times (ms) into a fresh record, returned by `stopStageTiming`. `clock`
 * (ms) is wall time unless given: Node benchmarks pass the process's CPU time, which a loaded
 * machine does not inflate.
 */
export function startStageTiming(clock: () => number = () => performance.now()): void {
  record = {};
  inner = 0;
  now = clock;
}

export function stopStageTiming(): StageTimes {
  const times = record ?? {};
  record = undefined;
  return times;
}

/** Runs `work`, adding its own time (minus nested stages) to `stage` when recording. */
export function timeStage<T>(stage: string, work: () => T): T {
  if (!record) return work();
  const outer = inner;
  inner = 0;
  const start = now();
  try {
    return work();
  } finally {
    const spent = now() - start;
    const own = spent - inner;
    if (record) record[stage] = (record[stage] ?? 0) + own;
    inner = outer + spent;
  }
}

/** `timeStage` for asynchronous work (nothing else must run meanwhile for the figures to hold). */
export async function timeStageAsync<T>(stage: string, work: () => Promise<T>): Promise<T> {
  if (!record) return work();
  const outer = inner;
  inner = 0;
  const start = now();
  try {
    return await work();
  } finally {
    const spent = now() - start;
    if (record) record[stage] = (record[stage] ?? 0) + spent - inner;
    inner = outer + spent;
  }
}
