// Values the benchmarks' global setup (Node) hands to benchmarks (workerd) with provide/inject.
declare module "vitest" {
  export interface ProvidedContext {
    /** Serves `../shared/bench` read-only, e.g. `${url}/beir-scifact/queries.jsonl`. */
    benchDataUrl: string;
  }
}

export {};
