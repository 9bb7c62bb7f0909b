// Runs before each test file, in the Worker's runtime. Ancre writes one JSON line per request,
// queue message, alarm and cron run (src/lib/log.ts); the info lines would drown the test output,
// so they are left out of it. Warnings and errors still show, and tests that read the lines
// capture them before this filter (test/helpers/logs.ts).
const QUIETED = Symbol.for("ancre.test.quietInfoLogs");
const quieted = console as Console & { [QUIETED]?: true };

// Test files share one runtime (vitest.config.ts, isolate: false): wrap console.log once.
if (!quieted[QUIETED]) {
  const write = console.log.bind(console);
  console.log = (...data: unknown[]) => {
    if (typeof data[0] === "string" && data[0].startsWith('{"level":"info"')) return;
    write(...data);
  };
  quieted[QUIETED] = true;
}
