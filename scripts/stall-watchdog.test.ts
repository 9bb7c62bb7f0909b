// Node-side tests of the stall watchdog `npm test` adds to vitest: `npm run test:scripts`.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { Silence, stallReport } from "./stall-watchdog.ts";
import { withStallWatchdog } from "./test-args.ts";

describe("the stall watchdog", () => {
  it("fires once the limit passes with nothing heard, and not while tests keep reporting", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      let fired = 0;
      const silence = new Silence(60_000, () => fired++);
      silence.heard();
      mock.timers.tick(59_000);
      silence.heard();
      mock.timers.tick(59_000);
      assert.equal(fired, 0);
      mock.timers.tick(1_000);
      assert.equal(fired, 1);
    } finally {
      mock.timers.reset();
    }
  });

  it("does not fire after the run ends", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      let fired = 0;
      const silence = new Silence(60_000, () => fired++);
      silence.heard();
      silence.stop();
      mock.timers.tick(120_000);
      assert.equal(fired, 0);
    } finally {
      mock.timers.reset();
    }
  });

  it("names the files and tests still open", () => {
    const open = new Map<string, string | undefined>([
      ["/repo/test/documents/search.test.ts", "search > finds by keyword"],
      ["/repo/test/documents/listing.test.ts", undefined],
    ]);
    assert.equal(
      stallReport(10, open, "/repo"),
      [
        "The test run has stalled: no test started or ended for 10 minutes. Still open:",
        "  test/documents/search.test.ts > search > finds by keyword",
        "  test/documents/listing.test.ts",
      ].join("\n"),
    );
  });

  it("joins the reporters the arguments name, or vitest's default one", () => {
    assert.deepEqual(withStallWatchdog(["test/documents"], "/w.ts"), [
      "test/documents",
      "--reporter=default",
      "--reporter=/w.ts",
    ]);
    assert.deepEqual(withStallWatchdog(["--reporter=default", "--reporter=json"], "/w.ts"), [
      "--reporter=default",
      "--reporter=json",
      "--reporter=/w.ts",
    ]);
  });
});
