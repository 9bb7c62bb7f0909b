// The extractive answerer's abstention signals, replayed offline on the sources the answers
// benchmark recorded (bench/recorded/squad-retrievals.json, written by `npm run bench -- answers`):
// no ingestion, no API, a few seconds. The sample is split in two halves by question id: signals
// are kept and the default chosen on "tune", and the figures that count are those of "held-out".
// Run: npm run bench -- answers-replay
import { inject, it } from "vitest";
import { DEFAULT_SELECTION, type SelectionOptions } from "../src/providers/llm/extractive";
import {
  BEFORE,
  type CurvePoint,
  curveLines,
  describe,
  evaluate,
  frontier,
  halfOf,
  NEW_GRID,
  OLD_CURVE,
  percent,
  type RecordedQuestion,
  SINGLE_SIGNALS,
  share,
} from "./abstention";
import { recordBenchResult } from "./record";

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

  // 2. The old curve (coverage, answer types, rarest term) and the new one (the frontier of every
  // coverage with the names and agreement rules), each chosen on the tune half and shown on both.
  const oldTune = OLD_CURVE.map((s) => evaluate(tune, s));
  const newTune = frontier(NEW_GRID.map((s) => evaluate(tune, s)));
  const curves = {
    old: { tune: oldTune, heldOut: OLD_CURVE.map((s) => evaluate(heldOut, s)) },
    new: { tune: newTune, heldOut: newTune.map((point) => evaluate(heldOut, point.setting)) },
  };
  for (const [name, curve] of Object.entries(curves)) {
    for (const [half, points] of Object.entries(curve)) {
      console.log(
        `${name} signal, ${half === "tune" ? "tune" : "held-out"} half${name === "new" ? " (the tune half's frontier)" : ""}:`,
      );
      for (const line of curveLines(points)) console.log(line);
    }
  }

  // 3. The default, chosen on the tune half, two ways: (a) the old default plus every signal that,
  // alone, refuses more there without losing an answer; (b) the point of either curve that refuses
  // most there without finding fewer answers than the old default. Both reported on held-out.
  const free = singles.filter((point) => point.found >= base.found && point.refused > base.refused);
  // Each free signal's own rule, without the rules its setting states as the old default's.
  const ownRule = (setting: SelectionOptions) =>
    Object.fromEntries(
      Object.entries(setting).filter(
        ([key, value]) => JSON.stringify(value) !== JSON.stringify(oldDefault[key as keyof SelectionOptions]),
      ),
    );
  const freeSignals: SelectionOptions = Object.assign(
    {},
    oldDefault,
    ...free.map((point) => ownRule(point.setting)),
  );
  const candidates = [...oldTune, ...newTune].filter((point) => point.found >= base.found);
  const chosen = candidates.reduce((a, b) =>
    b.refused > a.refused || (b.refused === a.refused && b.found > a.found) ? b : a,
  );
  const shipped = { ...DEFAULT_SELECTION };
  console.log(`(a) free signals on the tune half: ${describe(freeSignals)}`);
  console.log(`(b) best point on the tune half:   ${describe(chosen.setting)}`);
  console.log(`the answerer's default:  ${describe(shipped)}`);
  const report = {
    old: { tune: base, heldOut: baseHeldOut },
    free: { tune: evaluate(tune, freeSignals), heldOut: evaluate(heldOut, freeSignals) },
    best: { tune: chosen, heldOut: evaluate(heldOut, chosen.setting) },
    shipped: { tune: evaluate(tune, shipped), heldOut: evaluate(heldOut, shipped) },
  };
  console.log("held-out half (never used to choose):");
  for (const [name, { tune: t, heldOut: h }] of Object.entries(report)) {
    console.log(
      `  ${name.padEnd(8)} ${describe(h.setting).padEnd(64)} found ${share(h.found, h.answerable).padEnd(16)} refused ${share(h.refused, h.unanswerable)}` +
        `   (tune: found ${percent(t.found, t.answerable)}%, refused ${percent(t.refused, t.unanswerable)}%)`,
    );
  }
  const all2 = { old: evaluate(all, oldDefault), shipped: evaluate(all, shipped) };
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
    curves: {
      old: { tune: curves.old.tune.map(figures), heldOut: curves.old.heldOut.map(figures) },
      new: { tune: curves.new.tune.map(figures), heldOut: curves.new.heldOut.map(figures) },
    },
    chosenOnTune: { free: describe(freeSignals), best: describe(chosen.setting) },
    heldOut: Object.fromEntries(Object.entries(report).map(([name, { heldOut: h }]) => [name, figures(h)])),
    wholeSample: Object.fromEntries(Object.entries(all2).map(([name, point]) => [name, figures(point)])),
  });
});
