import { TopK } from "./top-k";

// Vectors per memory segment: the copy grows segment by segment, never by copying it whole.
const SEGMENT_SHIFT = 12;
export const SEGMENT_SIZE = 1 << SEGMENT_SHIFT;
const SEGMENT_MASK = SEGMENT_SIZE - 1;

/**
 * The in-memory scan copy of the embedded index: int8 vectors (see quantize.ts) in fixed-size
 * segments, each under an integer key (its SQLite row number) with its scale and collection in
 * parallel typed arrays. Slots are dense: a removal moves the last slot into the hole.
 */
export class ScanIndex {
  count = 0;
  private segments: Int8Array[] = [];
  private scales = new Float32Array(SEGMENT_SIZE);
  private keys = new Float64Array(SEGMENT_SIZE);
  private collections = new Uint32Array(SEGMENT_SIZE);
  private readonly slotOfKey = new Map<number, number>();
  private readonly codeOfCollection = new Map<string, number>();

  constructor(public dimensions: number) {}

  /** Adds or replaces the vector under `key`. */
  put(key: number, collectionId: string, scale: number, quantized: Int8Array): void {
    if (this.count === 0 && quantized.length !== this.dimensions) {
      // Emptied, then refilled by another embedder: start over at the new dimension.
      this.dimensions = quantized.length;
      this.segments = [];
    }
    let slot = this.slotOfKey.get(key);
    if (slot === undefined) {
      slot = this.count++;
      this.ensureCapacity(this.count);
      this.slotOfKey.set(key, slot);
      this.keys[slot] = key;
    }
    this.segments[slot >> SEGMENT_SHIFT]!.set(quantized, (slot & SEGMENT_MASK) * this.dimensions);
    this.scales[slot] = scale;
    this.collections[slot] = this.codeOf(collectionId);
  }

  remove(key: number): void {
    const slot = this.slotOfKey.get(key);
    if (slot === undefined) return;
    this.slotOfKey.delete(key);
    const last = --this.count;
    if (slot !== last) {
      const from = this.segments[last >> SEGMENT_SHIFT]!;
      const offset = (last & SEGMENT_MASK) * this.dimensions;
      this.segments[slot >> SEGMENT_SHIFT]!.set(
        from.subarray(offset, offset + this.dimensions),
        (slot & SEGMENT_MASK) * this.dimensions,
      );
      this.scales[slot] = this.scales[last]!;
      this.collections[slot] = this.collections[last]!;
      this.keys[slot] = this.keys[last]!;
      this.slotOfKey.set(this.keys[slot]!, slot);
    }
    // Give back a segment once the one before it has room to spare.
    while (this.segments.length > 1 && (this.segments.length - 2) * SEGMENT_SIZE >= this.count)
      this.segments.pop();
  }

  /** Keys of the best `limit` vectors by approximate cosine with a unit query, in no particular order. */
  scan(unit: Float32Array, limit: number, collectionIds?: string[]): number[] {
    const allowed = this.allowedCodes(collectionIds);
    if (allowed === null) return [];
    const { dimensions } = this;
    const query = Float64Array.from(unit);
    const best = new TopK(Math.min(limit, this.count));
    for (let slot = 0; slot < this.count; slot++) {
      if (allowed && !allowed[this.collections[slot]!]) continue;
      const segment = this.segments[slot >> SEGMENT_SHIFT]!;
      const offset = (slot & SEGMENT_MASK) * dimensions;
      let sum = 0;
      for (let d = 0; d < dimensions; d++) sum += segment[offset + d]! * query[d]!;
      best.offer(sum * this.scales[slot]!, slot);
    }
    return best.keptIds().map((slot) => this.keys[slot]!);
  }

  bytes(): number {
    // A Map entry of two small numbers costs about 40 bytes in V8; collection names are few.
    return (
      this.segments.length * SEGMENT_SIZE * this.dimensions +
      this.scales.byteLength +
      this.keys.byteLength +
      this.collections.byteLength +
      this.slotOfKey.size * 40
    );
  }

  /** undefined: no filter; null: no allowed collection exists; otherwise a mask by collection code. */
  private allowedCodes(collectionIds?: string[]): Uint8Array | undefined | null {
    if (!collectionIds) return undefined;
    const mask = new Uint8Array(this.codeOfCollection.size);
    let any = false;
    for (const id of collectionIds) {
      const code = this.codeOfCollection.get(id);
      if (code !== undefined) {
        mask[code] = 1;
        any = true;
      }
    }
    return any ? mask : null;
  }

  private codeOf(collectionId: string): number {
    let code = this.codeOfCollection.get(collectionId);
    if (code === undefined) {
      code = this.codeOfCollection.size;
      this.codeOfCollection.set(collectionId, code);
    }
    return code;
  }

  private ensureCapacity(count: number): void {
    while (this.segments.length * SEGMENT_SIZE < count) {
      this.segments.push(new Int8Array(SEGMENT_SIZE * this.dimensions));
    }
    if (this.scales.length < count) {
      const capacity = this.segments.length * SEGMENT_SIZE;
      this.scales = grown(this.scales, new Float32Array(capacity));
      this.keys = grown(this.keys, new Float64Array(capacity));
      this.collections = grown(this.collections, new Uint32Array(capacity));
    }
  }
}

function grown<T extends Float32Array | Float64Array | Uint32Array>(old: T, bigger: T): T {
  bigger.set(old as never);
  return bigger;
}
