/**
 * One table row as text: its cells joined by " | ", without the empty cells that trail it
 * (layout padding and merged cells), "" for a row without text.
 */
export function tableRowText(cells: string[]): string {
  let end = cells.length;
  while (end > 0 && cells[end - 1]!.trim() === "") end--;
  return cells.slice(0, end).join(" | ");
}
