/**
 * A pure function of a string, remembered for the last `size` distinct inputs of the isolate (the
 * oldest forgotten first). For work that turns repeat on the same text (the same chunks come back
 * for the same questions): the result is exactly what `compute` returns, only not computed again.
 */
export function memoByText<T>(size: number, compute: (text: string) => T): (text: string) => T {
  const kept = new Map<string, T>();
  return (text) => {
    if (kept.has(text)) return kept.get(text) as T;
    const value = compute(text);
    if (kept.size >= size) kept.delete(kept.keys().next().value as string);
    kept.set(text, value);
    return value;
  };
}
