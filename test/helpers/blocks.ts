import { expect } from "vitest";
import type { TextBlock } from "../../src/ingest/parse/types";

/** The text of every block, one per line. */
export const textOf = (blocks: TextBlock[]) => blocks.map((block) => block.text).join("\n");

export const blocksContaining = (blocks: TextBlock[], text: string) =>
  blocks.filter((block) => block.text.includes(text));

/** The one block that contains `text` (fails the test when there are none or several). */
export function only(blocks: TextBlock[], text: string): TextBlock {
  const found = blocksContaining(blocks, text);
  expect(found, `one block with "${text}"`).toHaveLength(1);
  return found[0]!;
}
