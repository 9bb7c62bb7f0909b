/**
 * A fixed-size min-heap keeping the `size` highest scores offered and their ids (int32), without
 * allocating per offer: the scan offers every vector of the index.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private length = 0;

  constructor(private readonly size: number) {
    this.scores = new Float64Array(size);
    this.ids = new Int32Array(size);
  }

  offer(score: number, id: number): void {
    if (this.size === 0) return;
    if (this.length < this.size) {
      let i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.ids[i] = this.ids[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    } else if (score > this.scores[0]!) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= this.size) break;
        const right = left + 1;
        const child = right < this.size && this.scores[right]! < this.scores[left]! ? right : left;
        if (this.scores[child]! >= score) break;
        this.scores[i] = this.scores[child]!;
        this.ids[i] = this.ids[child]!;
        i = child;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    }
  }

  /** The ids kept, in no particular order. */
  keptIds(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}
