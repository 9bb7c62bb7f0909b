import type { VectorizeBinding } from "../../src/providers/vector/vectorize-store";
import { cosine } from "../helpers/vectors";

interface Stored {
  id: string;
  namespace: string | undefined;
  values: Float32Array;
  metadata: Record<string, VectorizeVectorMetadata>;
}

type FilterValue = Exclude<VectorizeVectorMetadataValue, string[]> | null;

/**
 * An in-memory stand-in for a Vectorize (V2) index binding, with its semantics for what Ancre uses:
 * namespaces, metadata filters ($eq/$ne/$in/$nin) on indexed properties only, topK limits
 * (100, or 20 with values or full metadata), returnMetadata levels, id and batch limits.
 * Unlike the real service, writes are visible at once.
 */
export class FakeVectorize implements VectorizeBinding {
  readonly vectors = new Map<string, Stored>();
  readonly calls: { method: string; size: number }[] = [];

  constructor(
    readonly dimensions: number,
    readonly indexedProperties: string[] = ["collection_id", "document_id"],
  ) {}

  async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: "upsert", size: vectors.length });
    if (vectors.length > 1000)
      throw new Error("VECTOR_UPSERT_ERROR: too many vectors in one batch (max 1000)");
    for (const vector of vectors) {
      if (new TextEncoder().encode(vector.id).length > 64)
        throw new Error(`VECTOR_UPSERT_ERROR: id too long: ${vector.id}`);
      if (vector.values.length !== this.dimensions) {
        throw new Error(
          `VECTOR_UPSERT_ERROR: invalid vector dimension ${vector.values.length}, expected ${this.dimensions}`,
        );
      }
      this.vectors.set(vector.id, {
        id: vector.id,
        namespace: vector.namespace,
        values: Float32Array.from(vector.values),
        metadata: { ...(vector.metadata ?? {}) },
      });
    }
    return { mutationId: crypto.randomUUID() };
  }

  async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: "deleteByIds", size: ids.length });
    for (const id of ids) this.vectors.delete(id);
    return { mutationId: crypto.randomUUID() };
  }

  async query(
    vector: number[] | Float32Array,
    options: VectorizeQueryOptions = {},
  ): Promise<VectorizeMatches> {
    this.calls.push({ method: "query", size: 1 });
    const topK = options.topK ?? 5;
    const returnMetadata = options.returnMetadata === true ? "all" : options.returnMetadata || "none";
    const heavy = options.returnValues || returnMetadata === "all";
    if (topK > (heavy ? 20 : 100)) {
      throw new Error(`VECTOR_QUERY_ERROR: topK ${topK} exceeds the limit of ${heavy ? 20 : 100}`);
    }
    if (vector.length !== this.dimensions)
      throw new Error("VECTOR_QUERY_ERROR: invalid query vector dimension");
    const matches = [...this.vectors.values()]
      .filter((stored) => options.namespace === undefined || stored.namespace === options.namespace)
      .filter((stored) => this.passes(stored, options.filter))
      .map((stored) => ({ stored, score: cosine(stored.values, vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK)
      .map(
        ({ stored, score }): VectorizeMatch => ({
          id: stored.id,
          score,
          ...(stored.namespace === undefined ? {} : { namespace: stored.namespace }),
          ...(options.returnValues ? { values: Array.from(stored.values) } : {}),
          ...(returnMetadata === "all" ? { metadata: stored.metadata } : {}),
          ...(returnMetadata === "indexed"
            ? {
                metadata: Object.fromEntries(
                  Object.entries(stored.metadata).filter(([key]) => this.indexedProperties.includes(key)),
                ),
              }
            : {}),
        }),
      );
    return { matches, count: matches.length };
  }

  private passes(stored: Stored, filter: VectorizeVectorMetadataFilter | undefined): boolean {
    if (!filter) return true;
    return Object.entries(filter).every(([key, condition]) => {
      // Only properties with a metadata index can be filtered on; others match nothing.
      if (!this.indexedProperties.includes(key)) return false;
      const value = stored.metadata[key] as FilterValue | undefined;
      if (condition === null || typeof condition !== "object") return value === condition;
      const ops = condition as Record<string, FilterValue | FilterValue[]>;
      return Object.entries(ops).every(([op, operand]) => {
        if (op === "$eq") return value === operand;
        if (op === "$ne") return value !== operand;
        if (op === "$in") return (operand as FilterValue[]).includes(value ?? null);
        if (op === "$nin") return !(operand as FilterValue[]).includes(value ?? null);
        throw new Error(`VECTOR_QUERY_ERROR: unsupported filter operator ${op}`);
      });
    });
  }
}
