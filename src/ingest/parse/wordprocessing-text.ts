import { tableRowText } from "./table-row-text";
import { child, elements, textOf, type XmlElement } from "./xml";

/**
 * The text of a WordprocessingML fragment (a header, a footer, a text box), one line per
 * paragraph and one per table row with its cells joined by " | ".
 */
export function wordprocessingLines(element: XmlElement): string[] {
  const lines: string[] = [];
  collectLines(element, lines);
  return lines;
}

/**
 * The DrawingML text boxes (`wps:txbx`) that mammoth cannot see: it reads text boxes only
 * from the VML copy in `mc:Fallback`, so a text box saved without that copy would be lost.
 */
export function textBoxesWithoutFallback(element: XmlElement): XmlElement[] {
  const missed: XmlElement[] = [];
  const visit = (node: XmlElement, covered: boolean) => {
    for (const childElement of elements(node)) {
      if (childElement.name === "mc:AlternateContent") {
        const fallback = child(childElement, "mc:Fallback");
        const fallbackHasTextBox = fallback !== undefined && containsTextBox(fallback);
        for (const branch of elements(childElement)) visit(branch, covered || fallbackHasTextBox);
      } else if (childElement.name === "w:txbxContent" && node.name === "wps:txbx") {
        if (!covered) missed.push(childElement);
      } else if (childElement.name !== "w:pict") {
        // w:pict is VML, which mammoth reads; everything else may hold a DrawingML text box.
        visit(childElement, covered);
      }
    }
  };
  visit(element, false);
  return missed;
}

function containsTextBox(element: XmlElement): boolean {
  return elements(element).some((node) => node.name === "w:txbxContent" || containsTextBox(node));
}

function collectLines(element: XmlElement, lines: string[]): void {
  for (const node of elements(element)) {
    if (node.name === "w:p") lines.push(inlineText(node));
    else if (node.name === "w:tbl") {
      for (const row of elements(node).filter((rowElement) => rowElement.name === "w:tr")) {
        const cells = elements(row)
          .filter((cell) => cell.name === "w:tc")
          .map((cell) => wordprocessingLines(cell).join(" "));
        lines.push(tableRowText(cells));
      }
    } else if (node.name === "mc:AlternateContent") collectLines(chosenBranch(node), lines);
    else collectLines(node, lines);
  }
}

function inlineText(element: XmlElement): string {
  let text = "";
  for (const node of elements(element)) {
    switch (node.name) {
      case "w:t":
        text += textOf(node);
        break;
      case "w:tab":
        text += "\t";
        break;
      case "w:br":
      case "w:cr":
        text += "\n";
        break;
      case "w:noBreakHyphen":
        text += "-";
        break;
      case "w:txbxContent":
        text += ` ${wordprocessingLines(node).join(" ")} `;
        break;
      case "mc:AlternateContent":
        text += inlineText(chosenBranch(node));
        break;
      // Deleted text, field codes and the paragraph's own properties are not content.
      case "w:delText":
      case "w:instrText":
      case "w:pPr":
      case "w:rPr":
        break;
      default:
        text += inlineText(node);
    }
  }
  return text;
}

// Both branches of an mc:AlternateContent hold the same content: read one.
function chosenBranch(element: XmlElement): XmlElement {
  return child(element, "mc:Choice") ?? child(element, "mc:Fallback") ?? element;
}
