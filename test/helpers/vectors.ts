/** Cosine similarity of two vectors, computed plainly: the reference the stores are checked against. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** A deterministic pseudo-random source (xorshift) of numbers in [-0.5, 0.5), so failures reproduce. */
export function seededRandom(seed = 42): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  };
}

/** Deterministic pseudo-random vectors with components in [-0.5, 0.5). */
export function randomVectors(count: number, dimensions: number, seed = 42): Float32Array[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, next));
}
