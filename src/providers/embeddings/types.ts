/** Turns texts into vectors of a fixed dimension. */
export interface Embedder {
  /** Stable name of the model, stored with vectors so that a model change can be detected. */
  readonly model: string;
  readonly dimensions: number;
  /** Embeds texts in order. `kind` lets asymmetric models treat queries and passages differently. */
  embed(texts: string[], kind: "document" | "query"): Promise<Float32Array[]>;
}
