/** The vector scaled to length 1 (a zero vector stays zero), so that a dot product is a cosine. */
export function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const unit = new Float32Array(vector.length);
  if (norm === 0) return unit;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! * scale;
  return unit;
}

/**
 * Symmetric int8 quantisation with one scale per vector: value ≈ quantized × scale, each value
 * within scale / 2 of its original, the largest magnitude mapped to ±127.
 */
export function quantize(unit: Float32Array): { scale: number; quantized: Int8Array } {
  let max = 0;
  for (const value of unit) max = Math.max(max, Math.abs(value));
  const scale = max === 0 ? 1 : max / 127;
  const quantized = new Int8Array(unit.length);
  for (let i = 0; i < unit.length; i++) quantized[i] = Math.round(unit[i]! / scale);
  return { scale, quantized };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
