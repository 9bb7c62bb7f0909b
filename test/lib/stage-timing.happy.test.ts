import { expect, it } from "vitest";
import { startStageTiming, stopStageTiming, timeStage, timeStageAsync } from "../../src/lib/stage-timing";

it("counts each stage's own time once, nested stages apart, on the clock it is given", async () => {
  let clock = 0;
  const spend = (ms: number) => {
    clock += ms;
  };
  startStageTiming(() => clock);
  timeStage("chunking", () => {
    spend(3);
    timeStage("token counting", () => spend(5));
    timeStage("token counting", () => spend(2));
    spend(1);
  });
  await timeStageAsync("embedding", async () => spend(7));
  expect(stopStageTiming()).toEqual({ chunking: 4, "token counting": 7, embedding: 7 });
});

it("records nothing when no record was started", () => {
  expect(timeStage("layout", () => 42)).toBe(42);
  expect(stopStageTiming()).toEqual({});
});
