// A fixed, seeded sample of SQuAD 2.0's train split (CC BY-SA 4.0) for the question-answering
// benchmark, derived at bench time in Node (the global setup) and handed to workerd with `provide`.
// Nothing of SQuAD is committed: the source is a snapshot of a public repository that ships the
// first ten articles of `train-v2.0.json`, brought to this machine by the workspace's `fetch` tool.
// SQuAD 2.0's dev split is kept out, for an independent check.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** github:PhongNTDo/guide_train_MRC_transformers, file train-v2.0.json (blob 62cb4b9d), 1.4 MB. */
export const SQUAD_SOURCE = {
  gitDir: "/work/.mirror/PhongNTDo+guide_train_MRC_transformers/repo",
  commit: "631a448de42714910b179afdf83799e01ff1bfaa",
  path: "train-v2.0.json",
};

const SEED = 20261129;
/** The recording of the answers benchmark's retrievals (bench/recorded/<name>.json), replayed offline. */
export const ANSWERS_RECORDING = "squad-retrievals";
/** Articles whose questions are asked but whose documents are never ingested. */
const HELD_OUT_ARTICLES = 2;
const ANSWERABLE = 150;
/** SQuAD 2.0's own unanswerable questions: written against a paragraph, with its words. */
const UNANSWERABLE_IN_CORPUS = 100;
/** Questions about articles that were not ingested: their telling terms are absent. */
const OFF_CORPUS = 50;
/** Two answerable questions about one article asked as one ("When did X … and what is Y …?"). */
const COMPOUND = 50;

export type QuestionKind = "answerable" | "unanswerable" | "off-corpus" | "compound";

export interface QaQuestion {
  id: string;
  kind: QuestionKind;
  question: string;
  /** Accepted answers (answerable only). */
  answers: string[];
  /** The paragraph the question was written on (answerable only). */
  paragraph: string | null;
  /** Accepted answers of each joined question (compound only). */
  partAnswers: string[][];
}

export interface QaSample {
  source: string;
  /** Ingested articles: one Markdown document each, paragraphs separated by blank lines. */
  documents: { title: string; paragraphs: string[] }[];
  questions: QaQuestion[];
}

interface SquadQuestion {
  id: string;
  question: string;
  answers: { text: string }[];
  is_impossible: boolean;
}
interface SquadArticle {
  title: string;
  paragraphs: { context: string; qas: SquadQuestion[] }[];
}

/** mulberry32: a small seeded generator, so the sample is the same on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The sample, or null (with the reason) when the snapshot is not on this machine. */
export function loadQaSample(): { sample: QaSample } | { missing: string } {
  if (!existsSync(SQUAD_SOURCE.gitDir)) {
    return {
      missing: `SQuAD 2.0 train snapshot not found at ${SQUAD_SOURCE.gitDir}: fetch github:PhongNTDo/guide_train_MRC_transformers first`,
    };
  }
  const json = execFileSync(
    "git",
    ["--git-dir", SQUAD_SOURCE.gitDir, "show", `${SQUAD_SOURCE.commit}:${SQUAD_SOURCE.path}`],
    { maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
  );
  const articles: SquadArticle[] = JSON.parse(json).data;
  const random = seeded(SEED);
  const questionsOf = (article: SquadArticle) =>
    article.paragraphs.flatMap((paragraph) =>
      paragraph.qas.map((qa) => ({ qa, paragraph: paragraph.context })),
    );
  // Held-out articles are drawn among those without unanswerable questions, so every SQuAD
  // unanswerable question stays asked against its own (ingested) article.
  const withoutUnanswerable = articles.filter((a) => !questionsOf(a).some(({ qa }) => qa.is_impossible));
  const heldOut = new Set(shuffled(withoutUnanswerable, random).slice(0, HELD_OUT_ARTICLES));
  const ingested = articles.filter((article) => !heldOut.has(article));

  const pool = ingested.flatMap(questionsOf);
  const answerable = shuffled(
    pool.filter(({ qa }) => !qa.is_impossible),
    random,
  ).slice(0, ANSWERABLE);
  const unanswerable = shuffled(
    pool.filter(({ qa }) => qa.is_impossible),
    random,
  ).slice(0, UNANSWERABLE_IN_CORPUS);
  const offCorpus = shuffled([...heldOut].flatMap(questionsOf), random).slice(0, OFF_CORPUS);
  // Compound questions join two answerable questions of one article that were not asked alone.
  const asked = new Set(answerable.map(({ qa }) => qa.id));
  const compound = shuffled(ingested, random)
    .flatMap((article, _, all) => {
      const rest = shuffled(
        questionsOf(article).filter(({ qa }) => !qa.is_impossible && !asked.has(qa.id)),
        random,
      );
      const pairs = Math.ceil(COMPOUND / all.length);
      return Array.from({ length: Math.min(pairs, Math.floor(rest.length / 2)) }, (_, i) => [
        rest[2 * i]!,
        rest[2 * i + 1]!,
      ]);
    })
    .slice(0, COMPOUND);

  const answersOf = (qa: SquadQuestion) => [...new Set(qa.answers.map((a) => a.text))];
  const question = (kind: QuestionKind, { qa, paragraph }: { qa: SquadQuestion; paragraph: string }) => ({
    id: qa.id,
    kind,
    question: qa.question.trim(),
    answers: kind === "answerable" ? answersOf(qa) : [],
    paragraph: kind === "answerable" ? paragraph : null,
    partAnswers: [],
  });
  const joined = ([first, second]: { qa: SquadQuestion }[]): QaQuestion => {
    const head = first!.qa.question.trim().replace(/\s*\?$/, "");
    const tail = second!.qa.question.trim();
    return {
      id: `${first!.qa.id}+${second!.qa.id}`,
      kind: "compound",
      question: `${head} and ${tail.charAt(0).toLowerCase()}${tail.slice(1)}`,
      answers: [],
      paragraph: null,
      partAnswers: [answersOf(first!.qa), answersOf(second!.qa)],
    };
  };
  return {
    sample: {
      source: `SQuAD 2.0 train (CC BY-SA 4.0), first ${articles.length} articles, via github:PhongNTDo/guide_train_MRC_transformers@${SQUAD_SOURCE.commit.slice(0, 7)}`,
      documents: ingested.map((article) => ({
        title: article.title.replaceAll("_", " "),
        paragraphs: article.paragraphs.map((p) => p.context),
      })),
      questions: [
        ...answerable.map((q) => question("answerable", q)),
        ...unanswerable.map((q) => question("unanswerable", q)),
        ...offCorpus.map((q) => question("off-corpus", q)),
        ...compound.map(joined),
      ],
    },
  };
}
