// A vitest reporter added by `npm test` (scripts/test.ts): a run in which no test starts or ends
// for a while has stalled (a test file waiting on something that never comes, workerd idle), and
// it fails with the files still open rather than hang until CI's own limit.
import { relative } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";

/** Minutes without a test starting or ending after which a run counts as stalled. */
export const STALL_MINUTES = Number(process.env.VITEST_STALL_MINUTES) || 10;

/** Calls `onSilence` once `limitMs` pass with no `heard()`; `stop()` disarms it. */
export class Silence {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly limitMs: number;
  private readonly onSilence: () => void;

  // Plain fields: npm's scripts run under Node's type stripping, which has no parameter properties.
  constructor(limitMs: number, onSilence: () => void) {
    this.limitMs = limitMs;
    this.onSilence = onSilence;
  }

  heard(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onSilence, this.limitMs);
    // The watchdog never keeps a finished run alive.
    this.timer.unref?.();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The sentence a stalled run ends with: how long, and which files (and tests) were still open. */
export function stallReport(minutes: number, open: ReadonlyMap<string, string | undefined>, root: string) {
  const files = [...open].map(([file, test]) => `  ${relative(root, file)}${test ? ` > ${test}` : ""}`);
  return [
    `The test run has stalled: no test started or ended for ${minutes} minutes. Still open:`,
    ...(files.length > 0 ? files : ["  (no file: the run stopped between files)"]),
  ].join("\n");
}

export default class StallWatchdog implements Reporter {
  /** Files started and not ended, with the test each is running. */
  private readonly open = new Map<string, string | undefined>();
  private readonly silence = new Silence(STALL_MINUTES * 60_000, () => this.stalled());

  onTestModuleQueued(module: TestModule) {
    this.open.set(module.moduleId, undefined);
    this.silence.heard();
  }
  onTestModuleStart() {
    this.silence.heard();
  }
  onTestCaseReady(test: TestCase) {
    this.open.set(test.module.moduleId, test.fullName);
    this.silence.heard();
  }
  onTestCaseResult(test: TestCase) {
    this.open.set(test.module.moduleId, undefined);
    this.silence.heard();
  }
  onHookStart() {
    this.silence.heard();
  }
  onHookEnd() {
    this.silence.heard();
  }
  onTestModuleEnd(module: TestModule) {
    this.open.delete(module.moduleId);
    this.silence.heard();
  }
  onTestRunEnd() {
    this.silence.stop();
  }

  private stalled(): void {
    process.stderr.write(`\n${stallReport(STALL_MINUTES, this.open, process.cwd())}\n`);
    process.exit(1);
  }
}
