import { tableRowText } from "./table-row-text";
import { child, elements, findAll, textOf, type XmlElement } from "./xml";

/** The text of one shape of a slide (or notes page), with what it is on the slide. */
export interface ShapeText {
  /** The placeholder type ("title", "body", "ftr"...), or null for a shape that is not a placeholder. */
  placeholder: string | null;
  kind: "text" | "table";
  text: string;
}

/**
 * The text of every shape of a shape tree in document order: text boxes and placeholders,
 * tables (one line per row, cells joined by " | "), grouped shapes, and SmartArt through
 * `readDiagram` (given the relationship id of the diagram's data part).
 */
export function shapeTexts(
  tree: XmlElement,
  readDiagram: (relationshipId: string) => XmlElement | null,
): ShapeText[] {
  const shapes: ShapeText[] = [];
  const visit = (container: XmlElement) => {
    for (const element of elements(container)) {
      switch (element.name) {
        case "p:sp": {
          const body = child(element, "p:txBody");
          const placeholder = child(child(child(element, "p:nvSpPr"), "p:nvPr"), "p:ph");
          const type = placeholder ? (placeholder.attributes.type ?? "body") : null;
          if (body) shapes.push({ placeholder: type, kind: "text", text: textBodyLines(body).join("\n") });
          break;
        }
        case "p:graphicFrame":
          shapes.push(...graphicFrameTexts(element, readDiagram));
          break;
        case "p:grpSp":
          visit(element);
          break;
        case "mc:AlternateContent": {
          // Both branches hold the same shapes: read one.
          const branch = child(element, "mc:Choice") ?? child(element, "mc:Fallback");
          if (branch) visit(branch);
          break;
        }
      }
    }
  };
  visit(tree);
  return shapes;
}

function graphicFrameTexts(
  frame: XmlElement,
  readDiagram: (relationshipId: string) => XmlElement | null,
): ShapeText[] {
  const data = child(child(frame, "a:graphic"), "a:graphicData");
  if (!data) return [];
  const table = child(data, "a:tbl");
  if (table) {
    const rows = findAll(table, "a:tr").map((row) =>
      tableRowText(findAll(row, "a:tc").map((cell) => textBodyLines(cell).join(" "))),
    );
    return [{ placeholder: null, kind: "table", text: rows.join("\n") }];
  }
  const diagramId = child(data, "dgm:relIds")?.attributes["r:dm"];
  const diagram = diagramId ? readDiagram(diagramId) : null;
  if (!diagram) return [];
  const lines = findAll(diagram, "dgm:t").flatMap(textBodyLines);
  return [{ placeholder: null, kind: "text", text: lines.join("\n") }];
}

/** One line per paragraph (a:p) below `element`. */
function textBodyLines(element: XmlElement): string[] {
  return findAll(element, "a:p").map(paragraphText);
}

function paragraphText(paragraph: XmlElement): string {
  let text = "";
  for (const element of elements(paragraph)) {
    if (element.name === "a:br") text += "\n";
    // Slide numbers and dates are fields PowerPoint fills in; their saved text is noise.
    else if (
      element.name === "a:r" ||
      (element.name === "a:fld" && !/^(slidenum|datetime)/.test(element.attributes.type ?? ""))
    ) {
      const run = child(element, "a:t");
      if (run) text += textOf(run);
    }
  }
  return text;
}
