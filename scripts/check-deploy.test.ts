// Node-side tests of the deploy check's measurements: `npm run test:scripts`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { busyMs, reportedGzipKib } from "./check-deploy.ts";

describe("deploy check", () => {
  it("reads the gzipped upload size wrangler reports", () => {
    const output =
      "Attaching...\nTotal Upload: 11444.72 KiB / gzip: 2396.76 KiB\nYour Worker has access to...";
    assert.equal(reportedGzipKib(output), 2396.76);
    assert.equal(reportedGzipKib("--dry-run: exiting now."), undefined);
  });

  it("counts a start-up profile's busy samples, not its idle ones", () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(root)" } },
        { id: 2, callFrame: { functionName: "(idle)" } },
        { id: 3, callFrame: { functionName: "evaluateModule" } },
        { id: 4, callFrame: { functionName: "(program)" } },
      ],
      samples: [3, 2, 3, 4, 2],
      timeDeltas: [1000, 50_000, 2500, 500, 70_000],
    };
    assert.equal(busyMs(profile), 4);
  });
});
