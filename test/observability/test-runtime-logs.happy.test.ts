import { Console } from "node:console";
import { describe, expect, it } from "vitest";

// Intercepted by vitest, a line the Worker logs is a call to vitest that only the test runner's own
// I/O context may send: one logged by a queue consumer, an alarm or a request still running waits
// for the runner's next message, and a test file that ends in that gap waits for it forever. With a
// line per queue message and alarm (src/lib/log.ts), test/documents stalled on it, workerd idle.
describe("the Worker's log lines in tests", () => {
  it("go to the runtime's own console, so no test file waits for a line logged outside it", () => {
    // vitest's interceptor is a node:console Console writing to streams of its own.
    expect(console).not.toBeInstanceOf(Console);
  });
});
