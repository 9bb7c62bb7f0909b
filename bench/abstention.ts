// The extractive answerer's refusals, replayed on recorded retrievals: each setting of the selection
// answers every answerable and unanswerable question of the SQuAD sample from the very sources the
// API's search returned, so that settings differ by the answerer alone. Shared by the answers
// benchmark (live, on what it just retrieved) and its offline replay (bench/recorded/).
import type { Language } from "../src/lib/text/language";
import { type SelectionOptions, selectSentences } from "../src/providers/llm/extractive";
import type { Source } from "../src/providers/llm/types";

/** A question of the sample with the sources the API's search returned for it. */
export interface RecordedQuestion {
  id: string;
  kind: "answerable" | "unanswerable";
  question: string;
  language: Language | undefined;
  /** Accepted answers (answerable only). */
  answers: string[];
  sources: Source[];
}

/** Words only, lowercased, single-spaced and padded: containment then means whole words. */
export const words = (text: string) =>
  ` ${(
    text
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).join(" ")} `;

/**
 * Which half of the sample a question falls in, by a hash of its SQuAD id: settings are chosen on
 * "tune" and reported on "held-out", which they never saw.
 */
export function halfOf(id: string): "tune" | "held-out" {
  let hash = 0x811c9dc5;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % 2 === 0 ? "tune" : "held-out";
}

export interface CurvePoint {
  setting: SelectionOptions;
  found: number;
  answerable: number;
  refused: number;
  unanswerable: number;
}

/** One setting on a set of questions: answers that contain an expected answer, unanswerable ones refused. */
export function evaluate(questions: RecordedQuestion[], setting: SelectionOptions): CurvePoint {
  const point: CurvePoint = { setting, found: 0, answerable: 0, refused: 0, unanswerable: 0 };
  for (const question of questions) {
    const quoted = selectSentences(question.question, question.sources, question.language, setting);
    if (question.kind === "unanswerable") {
      point.unanswerable++;
      if (quoted.length === 0) point.refused++;
      continue;
    }
    point.answerable++;
    const answer = words(quoted.map((sentence) => sentence.text).join(" "));
    if (question.answers.some((expected) => answer.includes(words(expected)))) point.found++;
  }
  return point;
}

/**
 * The answerer's selection before issue 26's point 3 (coverage 0.4, answer types), every other rule
 * stated off: the selection's defaults fill in whatever a setting leaves out.
 */
export const BEFORE: SelectionOptions = {
  minCoverage: 0.4,
  answerTypes: true,
  rarestTerm: false,
  negation: false,
  names: undefined,
  agreement: undefined,
  nameRuns: false,
  numbers: false,
  window: undefined,
};

/**
 * The answerer's selection at the start of this round (coverage 0.35, answer types, negation, the
 * names in the sentence's source): what the name runs and the numbers rules are measured against.
 */
export const TODAY: SelectionOptions = {
  ...BEFORE,
  minCoverage: 0.35,
  negation: true,
  names: "source",
};

/**
 * The answerer's selection at the start of the third round (the second's: name runs and numbers
 * added): what the two-sentence window is measured against.
 */
export const ROUND_START: SelectionOptions = { ...TODAY, nameRuns: true, numbers: true };

const COVERAGES = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7];

/** The old signal: term coverage with answer types, with and without the rarest term. */
export const OLD_CURVE: SelectionOptions[] = COVERAGES.flatMap((minCoverage) => [
  { ...BEFORE, minCoverage },
  { ...BEFORE, minCoverage, rarestTerm: true },
]);

/** Each new signal on its own, at the old default coverage: what it refuses and what it costs. */
export const SINGLE_SIGNALS: SelectionOptions[] = (
  [
    {},
    { negation: true },
    { names: "source" },
    { names: "sentence" },
    { nameRuns: true },
    { numbers: true },
    ...[1, 2, 3, 5].flatMap((maxRank) =>
      [0.5, 0.6, 0.8].map((coverage) => ({ agreement: { maxRank, coverage } })),
    ),
  ] as SelectionOptions[]
).map((signal) => ({ ...BEFORE, ...signal }));

/**
 * The signals together, at each coverage: the names and the agreement rules, each way, with the
 * negation rule (the answer in the clause of the question's terms and opposite words did not move
 * the curve alone and were dropped, see docs/performance.md); with `runsAndNumbers`, also the
 * name runs and numbers rules (the second round's), else without them (the first round's curve);
 * with `window`, also the two-sentence window (the third round's).
 */
export const grid = (runsAndNumbers: boolean, window?: SelectionOptions["window"]): SelectionOptions[] =>
  COVERAGES.flatMap((minCoverage) =>
    ([undefined, "source", "sentence"] as const).flatMap((names) =>
      [undefined, { maxRank: 1, coverage: 0.8 }, { maxRank: 2, coverage: 0.8 }].map((agreement) => ({
        ...BEFORE,
        minCoverage,
        negation: true,
        names,
        agreement,
        nameRuns: runsAndNumbers,
        numbers: runsAndNumbers,
        window,
      })),
    ),
  );

/** The points no other point beats on both counts (more found and more refused): a curve's frontier. */
export function frontier(points: CurvePoint[]): CurvePoint[] {
  const rate = (p: CurvePoint): [number, number] => [
    p.found / Math.max(p.answerable, 1),
    p.refused / Math.max(p.unanswerable, 1),
  ];
  return points
    .filter((point) => {
      const [found, refused] = rate(point);
      return !points.some((other) => {
        const [f, r] = rate(other);
        return f >= found && r >= refused && (f > found || r > refused);
      });
    })
    .sort((a, b) => rate(b)[0] - rate(a)[0]);
}

/** A setting in words, for the printed tables. */
export function describe(setting: SelectionOptions): string {
  const parts = [`coverage ${setting.minCoverage?.toFixed(2) ?? "default"}`];
  if (setting.answerTypes === false) parts.push("no answer types");
  if (setting.rarestTerm) parts.push("rarest term");
  if (setting.negation) parts.push("negation");
  if (setting.names) parts.push(`names in ${setting.names}`);
  if (setting.nameRuns) parts.push("name runs");
  if (setting.numbers) parts.push("numbers in sentence");
  if (setting.window) parts.push(`two-sentence window when ${setting.window}`);
  if (setting.agreement)
    parts.push(`agreement (top ${setting.agreement.maxRank} of both, else ${setting.agreement.coverage})`);
  return parts.join(", ");
}

export const share = (count: number, total: number) =>
  `${((100 * count) / Math.max(total, 1)).toFixed(1)}% (${count}/${total})`;

export const percent = (count: number, total: number) =>
  Number(((100 * count) / Math.max(total, 1)).toFixed(1));

/** A curve as printed lines: setting, answer found, unanswerable refused. */
export function curveLines(points: CurvePoint[]): string[] {
  return points.map(
    (point) =>
      `  ${describe(point.setting).padEnd(64)} found ${share(point.found, point.answerable).padEnd(16)} refused ${share(point.refused, point.unanswerable)}`,
  );
}
