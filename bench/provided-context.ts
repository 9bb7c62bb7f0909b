// Values the benchmarks' global setup (Node) hands to benchmarks (workerd) with provide/inject.
import type { QaSample } from "./squad-sample";

declare module "vitest" {
  export interface ProvidedContext {
    /** Serves `../shared/bench` read-only, e.g. `${url}/beir-scifact/queries.jsonl`. */
    benchDataUrl: string;
    /** The SQuAD 2.0 sample of the question-answering benchmark, or why it is missing. */
    qaSample: { sample: QaSample } | { missing: string };
    /** `POST ${url}/<name>` with a JSON body writes bench/results/<name>.json (see record.ts). */
    benchResultsUrl: string;
    /** The sources the answers benchmark retrieved for each question, for an offline replay; null before its first run. */
    answersRecording: { date: string; commit: string; data: unknown } | null;
  }
}
