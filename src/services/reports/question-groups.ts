/**
 * Groups questions that ask the same thing in other words, for the report of unanswered questions.
 * Questions are compared by their content terms (stop words out, stemmed, accent-folded, in the
 * question's language), each term weighed by how rare it is among the questions grouped: two
 * questions are alike when the terms they share carry at least half the weight of the terms of the
 * shorter one (a weighted overlap coefficient). "refund policy" and "Can I get refunds on damaged
 * items under the refund policy?" are alike; "the price of the blue kettle" and "the price of the
 * oak table" are not, since "price", shared by every question, weighs little.
 */

/** The least weighted share of the shorter question's terms that two questions of one group share. */
export const SIMILARITY_THRESHOLD = 0.5;

export interface Groupable {
  /** Questions are grouped within one scope only (an assistant). */
  scope: string;
  /** The question's content terms; none for a question of only stop words. */
  terms: ReadonlySet<string>;
  /** The question as asked, trimmed and lowercased: compared when there are no terms. */
  normalized: string;
}

/** Rarer terms weigh more: the inverse of the share of questions that hold them. */
function termWeights(items: Groupable[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) for (const term of item.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const weights = new Map<string, number>();
  for (const [term, count] of counts) weights.set(term, Math.log(1 + items.length / count));
  return weights;
}

/** The weighted overlap coefficient of two term sets: what they share over the lighter one's weight. */
export function similarity(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  weights: ReadonlyMap<string, number>,
): number {
  const weightOf = (terms: Iterable<string>) => {
    let total = 0;
    for (const term of terms) total += weights.get(term) ?? 1;
    return total;
  };
  const lighter = Math.min(weightOf(a), weightOf(b));
  return lighter === 0 ? 0 : weightOf([...a].filter((term) => b.has(term))) / lighter;
}

/**
 * The items in groups of similar questions, in the order of each group's first item, each group in
 * its items' order. Each item joins the group whose first question it is most like (at least
 * SIMILARITY_THRESHOLD, in the same scope), else starts its own: the result does not depend on
 * chains of near-matches.
 */
export function groupSimilarQuestions<T extends Groupable>(items: T[]): T[][] {
  const weights = termWeights(items);
  const groups: T[][] = [];
  for (const item of items) {
    let best: { group: T[]; score: number } | undefined;
    for (const group of groups) {
      const leader = group[0]!;
      if (leader.scope !== item.scope) continue;
      const score =
        item.terms.size === 0 || leader.terms.size === 0
          ? Number(item.normalized === leader.normalized)
          : similarity(item.terms, leader.terms, weights);
      if (score >= SIMILARITY_THRESHOLD && (!best || score > best.score)) best = { group, score };
    }
    if (best) best.group.push(item);
    else groups.push([item]);
  }
  return groups;
}
