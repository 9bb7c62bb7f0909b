/// <reference path="./mammoth-internals.d.ts" />
import toHtml from "mammoth/lib/document-to-html.js";
import docxReader from "mammoth/lib/docx/docx-reader.js";
import images from "mammoth/lib/images.js";
import optionsReader from "mammoth/lib/options-reader.js";
import styleReader from "mammoth/lib/style-reader.js";
import htmlWriter from "mammoth/lib/writers/html-writer.js";
import writers from "mammoth/lib/writers/index.js";
import { type HtmlTreeNode, HtmlTreeWriter } from "./docx-html-tree";
import { routeMammothXmlThroughFastReader } from "./mammoth-xml";

/*
 * mammoth's convertToHtml, minus what it repeats for every batch of a long document: it takes a
 * zip (we rebuilt one per batch and it unzipped it again), parsed its ~50 style mappings and read
 * every part through xmldom. Here the package is the parts a message has already inflated and
 * decoded, the style map is parsed once per isolate, and parts are read by `readMammothXml`.
 * The HTML is mammoth's own: the same reader and converter (mammoth 1.13, pinned) run underneath;
 * its writer builds the HTML's tree rather than a string to be parsed again (docx-html-tree.ts).
 */

/** The output format that asks mammoth's writers for an `HtmlTreeWriter` (any other than "markdown" is HTML to mammoth). */
const HTML_TREE = "ancre-html-tree";

interface Converter {
  options: object;
  converter: InstanceType<typeof toHtml.DocumentConverter>;
}

let converter: Converter | undefined;

/**
 * Has mammoth's converter write through an `HtmlTreeWriter` when asked for HTML_TREE, once per
 * isolate: it calls `writers.writer` at call time. Where the module is another copy than the
 * converter's (vitest's loader), the converter still writes a string, which is read as before.
 */
function routeHtmlTreeWriter(): void {
  if (writers.writer.tree) return;
  const writer = writers.writer;
  const treeOrHtml = (options?: { outputFormat?: string }) =>
    options?.outputFormat === HTML_TREE ? new HtmlTreeWriter(() => htmlWriter.writer({})) : writer(options);
  treeOrHtml.tree = true as const;
  writers.writer = treeOrHtml;
}

function newConverter(): Converter {
  routeMammothXmlThroughFastReader();
  routeHtmlTreeWriter();
  // Images are left out: only their text (none) would be indexed.
  const options = optionsReader.readOptions({ convertImage: images.imgElement(async () => ({ src: "" })) });
  const styleMap = options
    .readStyleMap()
    .map((mapping) => styleReader.readStyle(mapping).value)
    .filter(Boolean);
  return {
    options,
    converter: new toHtml.DocumentConverter({ ...options, styleMap, outputFormat: HTML_TREE }),
  };
}

/**
 * The HTML mammoth makes of a package holding `parts` (decoded XML by part name; a part it asks
 * for that is not there is missing from the package), as its tree or as a string where the tree
 * might not be linkedom's. Throws what mammoth throws on a bad part.
 */
export async function mammothHtml(parts: ReadonlyMap<string, string>): Promise<HtmlTreeNode | string> {
  converter ??= newConverter();
  const docxFile: MammothDocxFile = {
    exists: (name) => parts.has(name),
    read: async (name, encoding) => {
      const text = parts.get(name);
      if (text === undefined) throw new Error(`the package has no part ${name}`);
      return encoding ? text : new TextEncoder().encode(text);
    },
  };
  const document = await docxReader.read(docxFile, {}, converter.options);
  return (await converter.converter.convertToHtml(document.value)).value;
}
