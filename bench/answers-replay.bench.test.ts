// The extractive answerer's abstention signals, replayed offline on the sources the answers
// benchmark recorded (bench/recorded/squad-retrievals.json, written by `npm run bench -- answers`):
// no ingestion, no API, a few seconds. The sample is split in two halves by question id: signals
// are kept and the default chosen on "tune", and the figures that count are those of "held-out".
// Run: npm run bench -- answers-replay
import { beforeAll, inject, it } from "vitest";
import { loadStemmers } from "../src/lib/text/analyzer";
import { DEFAULT_SELECTION } from "../src/providers/llm/extractive";
import {
  BEFORE,
  type CurvePoint,
  curveLines,
  describe,
  evaluate,
  frontier,
  grid,
  halfOf,
  OLD_CURVE,
  percent,
  type RecordedQuestion,
  ROUND_START,
  SINGLE_SIGNALS,
  share,
  TODAY,
} from "./abstention";
import { recordBenchResult } from "./record";

// Snowball's stemmers load on first use; the paths that stem await them, as these tests do.
beforeAll(loadStemmers);

/** Gain of a point over another: unanswerable refused gained minus answerable found lost, in points. */
const margin = (point: CurvePoint, base: CurvePoint) =>
  percent(point.refused, point.unanswerable) -
  percent(base.refused, base.unanswerable) -
  (percent(base.found, base.answerable) - percent(point.found, point.answerable));

const figures = (point: CurvePoint) => ({
  setting: describe(point.setting),
  found: percent(point.found, point.answerable),
  refused: percent(point.refused, point.unanswerable),
});

it("abstention signals replayed on recorded retrievals: chosen on one half, reported on the other", async () => {
  const recording = inject("answersRecording");
  if (!recording) throw new Error("no recording yet: run `npm run bench -- answers` first");
  const all = recording.data as RecordedQuestion[];
  const tune = all.filter((question) => halfOf(question.id) === "tune");
  const heldOut = all.filter((question) => halfOf(question.id) === "held-out");
  const count = (questions: RecordedQuestion[], kind: string) =>
    questions.filter((q) => q.kind === kind).length;
  console.log(
    `recorded ${recording.date} at ${recording.commit}: tune ${count(tune, "answerable")} answerable + ` +
      `${count(tune, "unanswerable")} unanswerable, held-out ${count(heldOut, "answerable")} + ${count(heldOut, "unanswerable")}`,
  );

  // 1. Each signal alone, on the tune half, beside the old default: its margin is the unanswerable
  // questions it refuses more less the answerable ones it loses (in points).
  const oldDefault = BEFORE;
  const base = evaluate(tune, oldDefault);
  console.log("each signal alone at coverage 0.40 (tune half):");
  const singles = SINGLE_SIGNALS.map((setting) => evaluate(tune, setting));
  for (const [i, line] of curveLines(singles).entries()) {
    console.log(`${line}  margin ${margin(singles[i]!, base).toFixed(1)}`);
  }
  const baseHeldOut = evaluate(heldOut, oldDefault);
  const singlesHeldOut = SINGLE_SIGNALS.map((setting) => evaluate(heldOut, setting));
  console.log("each signal alone at coverage 0.40 (held-out half):");
  for (const [i, line] of curveLines(singlesHeldOut).entries()) {
    console.log(`${line}  margin ${margin(singlesHeldOut[i]!, baseHeldOut).toFixed(1)}`);
  }

  // 2. The second round's rules, each added to the answerer's default at the start of that round.
  const today = { tune: evaluate(tune, TODAY), heldOut: evaluate(heldOut, TODAY) };
  const added = [{ nameRuns: true }, { numbers: true }, { nameRuns: true, numbers: true }].map((rule) => ({
    ...TODAY,
    ...rule,
  }));
  for (const [half, questions, base] of [
    ["tune", tune, today.tune],
    ["held-out", heldOut, today.heldOut],
  ] as const) {
    console.log(`the second round's rules added to the default at its start (${half} half):`);
    const points = [base, ...added.map((setting) => evaluate(questions, setting))];
    for (const [i, line] of curveLines(points).entries()) {
      console.log(`${line}  margin ${margin(points[i]!, base).toFixed(1)}`);
    }
  }

  // The third round's rule, the two-sentence window, added to the default at its start.
  const roundStart = { tune: evaluate(tune, ROUND_START), heldOut: evaluate(heldOut, ROUND_START) };
  const windowed = (["fallback", "better"] as const).map((window) => ({ ...ROUND_START, window }));
  for (const [half, questions, base] of [
    ["tune", tune, roundStart.tune],
    ["held-out", heldOut, roundStart.heldOut],
  ] as const) {
    console.log(`the third round's window added to the default at its start (${half} half):`);
    const points = [base, ...windowed.map((setting) => evaluate(questions, setting))];
    for (const [i, line] of curveLines(points).entries()) {
      console.log(`${line}  margin ${margin(points[i]!, base).toFixed(1)}`);
    }
  }

  // 3. Four curves: the old one (coverage, answer types, rarest term), the first round's (the
  // frontier of every coverage with the names and agreement rules), the second's (the same with
  // the name runs and numbers rules) and the third's (with the two-sentence window too), each
  // frontier chosen on the tune half and shown on both.
  const oldTune = OLD_CURVE.map((s) => evaluate(tune, s));
  const firstTune = frontier(grid(false).map((s) => evaluate(tune, s)));
  const secondTune = frontier(grid(true).map((s) => evaluate(tune, s)));
  const thirdTune = frontier(grid(true, "fallback").map((s) => evaluate(tune, s)));
  const onHeldOut = (points: CurvePoint[]) => points.map((point) => evaluate(heldOut, point.setting));
  const curves = {
    old: { tune: oldTune, heldOut: OLD_CURVE.map((s) => evaluate(heldOut, s)) },
    first: { tune: firstTune, heldOut: onHeldOut(firstTune) },
    second: { tune: secondTune, heldOut: onHeldOut(secondTune) },
    third: { tune: thirdTune, heldOut: onHeldOut(thirdTune) },
  };
  for (const [name, curve] of Object.entries(curves)) {
    for (const [half, points] of Object.entries(curve)) {
      console.log(
        `${name} signal, ${half === "tune" ? "tune" : "held-out"} half${name === "old" ? "" : " (the tune half's frontier)"}:`,
      );
      for (const line of curveLines(points)) console.log(line);
    }
  }

  // 4. The default, chosen on the tune half: the point of any curve that refuses most there
  // without finding fewer answers than the default at the start of the round. Reported on held-out.
  const candidates = [
    ...oldTune,
    ...firstTune,
    ...secondTune,
    ...thirdTune,
    ...windowed.map((s) => evaluate(tune, s)),
  ].filter((point) => point.found >= roundStart.tune.found);
  const chosen = candidates.reduce((a, b) =>
    b.refused > a.refused || (b.refused === a.refused && b.found > a.found) ? b : a,
  );
  const shipped = { ...DEFAULT_SELECTION };
  console.log(`best point on the tune half: ${describe(chosen.setting)}`);
  console.log(`the answerer's default:      ${describe(shipped)}`);
  const report = {
    before: { tune: base, heldOut: baseHeldOut },
    today,
    roundStart,
    best: { tune: chosen, heldOut: evaluate(heldOut, chosen.setting) },
    shipped: { tune: evaluate(tune, shipped), heldOut: evaluate(heldOut, shipped) },
  };
  console.log("held-out half (never used to choose):");
  for (const [name, { tune: t, heldOut: h }] of Object.entries(report)) {
    console.log(
      `  ${name.padEnd(10)} ${describe(h.setting).padEnd(64)} found ${share(h.found, h.answerable).padEnd(16)} refused ${share(h.refused, h.unanswerable)}` +
        `   (tune: found ${percent(t.found, t.answerable)}%, refused ${percent(t.refused, t.unanswerable)}%)`,
    );
  }
  const all2 = {
    before: evaluate(all, oldDefault),
    today: evaluate(all, TODAY),
    roundStart: evaluate(all, ROUND_START),
    shipped: evaluate(all, shipped),
  };
  for (const [name, point] of Object.entries(all2)) {
    console.log(
      `whole sample, ${name}: found ${share(point.found, point.answerable)}, refused ${share(point.refused, point.unanswerable)}`,
    );
  }

  await recordBenchResult("answers-replay", {
    recorded: { date: recording.date, commit: recording.commit },
    halves: {
      tune: { answerable: count(tune, "answerable"), unanswerable: count(tune, "unanswerable") },
      heldOut: { answerable: count(heldOut, "answerable"), unanswerable: count(heldOut, "unanswerable") },
    },
    singleSignals: {
      tune: singles.map((point) => ({ ...figures(point), margin: margin(point, base) })),
      heldOut: singlesHeldOut.map((point) => ({ ...figures(point), margin: margin(point, baseHeldOut) })),
    },
    curves: Object.fromEntries(
      Object.entries(curves).map(([name, curve]) => [
        name,
        { tune: curve.tune.map(figures), heldOut: curve.heldOut.map(figures) },
      ]),
    ),
    chosenOnTune: describe(chosen.setting),
    heldOut: Object.fromEntries(Object.entries(report).map(([name, { heldOut: h }]) => [name, figures(h)])),
    wholeSample: Object.fromEntries(Object.entries(all2).map(([name, point]) => [name, figures(point)])),
  });
});
