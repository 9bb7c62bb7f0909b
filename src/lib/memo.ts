/**
 * A pure function, remembered for the last `size` distinct keys of the isolate (the oldest
 * forgotten first). `keyOf` must tell apart any two arguments whose results differ.
 */
export function memoBy<A, T>(
  size: number,
  keyOf: (argument: A) => string,
  compute: (argument: A) => T,
): (argument: A) => T {
  const kept = new Map<string, T>();
  return (argument) => {
    const key = keyOf(argument);
    if (kept.has(key)) return kept.get(key) as T;
    const value = compute(argument);
    if (kept.size >= size) kept.delete(kept.keys().next().value as string);
    kept.set(key, value);
    return value;
  };
}

/**
 * A pure function of a string, remembered for the last `size` distinct inputs of the isolate. For
 * work that turns repeat on the same text (the same chunks come back for the same questions): the
 * result is exactly what `compute` returns, only not computed again.
 */
export function memoByText<T>(size: number, compute: (text: string) => T): (text: string) => T {
  return memoBy(size, (text) => text, compute);
}
