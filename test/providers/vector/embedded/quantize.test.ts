import { describe, expect, it } from "vitest";
import { dot, normalized, quantize } from "../../../../src/providers/vector/embedded/quantize";
import { cosine, randomVectors } from "../../../helpers/vectors";

const norm = (vector: Float32Array) => Math.sqrt(dot(vector, vector));

describe("unit vectors and int8 quantisation", () => {
  it("normalises to length 1 without turning the vector, and leaves a zero vector zero", () => {
    for (const vector of randomVectors(50, 64, 3)) {
      const unit = normalized(vector);
      expect(norm(unit)).toBeCloseTo(1, 5);
      expect(cosine(unit, vector)).toBeCloseTo(1, 5);
    }
    expect(Array.from(normalized(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it("round-trips every value within half a step, the largest magnitude at ±127", () => {
    for (const vector of randomVectors(100, 96, 5)) {
      const unit = normalized(vector);
      const { scale, quantized } = quantize(unit);
      const largest = unit.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      expect(scale).toBeCloseTo(largest / 127, 12);
      expect(Math.max(...Array.from(quantized, Math.abs))).toBe(127);
      const worst = unit.reduce((max, value, i) => Math.max(max, Math.abs(quantized[i]! * scale - value)), 0);
      expect(worst).toBeLessThanOrEqual(scale / 2 + 1e-9);
    }
  });

  it("quantises a zero vector to zeros with a finite scale", () => {
    const { scale, quantized } = quantize(new Float32Array(8));
    expect(scale).toBe(1);
    expect(Array.from(quantized)).toEqual(new Array(8).fill(0));
  });

  it("moves a 512-dimension cosine by far less than 1%, the margin the index's re-scoring relies on", () => {
    const vectors = randomVectors(40, 512, 9).map(normalized);
    const queries = randomVectors(10, 512, 10).map(normalized);
    let worst = 0;
    for (const vector of vectors) {
      const { scale, quantized } = quantize(vector);
      const restored = Float32Array.from(quantized, (value) => value * scale);
      for (const query of queries) {
        const error = Math.abs(dot(query, restored) - dot(query, vector));
        // The bound that holds for any query: half a step on every component.
        expect(error).toBeLessThanOrEqual((scale / 2) * query.reduce((sum, x) => sum + Math.abs(x), 0));
        worst = Math.max(worst, error);
      }
    }
    expect(worst).toBeLessThan(0.002);
  });
});
