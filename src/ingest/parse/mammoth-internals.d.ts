// The parts of mammoth 1.13 (pinned) that docx-mammoth.ts calls below its public `convertToHtml`,
// so that a message's batches share one parsed style map and one package of decoded parts.

/** mammoth's Result: a value and the warnings met on the way. */
interface MammothResult<T> {
  value: T;
  messages: unknown[];
}

/** What mammoth reads a package through (lib/zipfile.js's shape). */
interface MammothDocxFile {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}

declare module "mammoth/lib/xml/index.js" {
  const xml: {
    Element: new (name: string, attributes: Record<string, string>, children: unknown[]) => object;
    readString: ((text: string, namespaceMap?: Record<string, string>) => Promise<unknown>) & { fast?: true };
  };
  export default xml;
}

declare module "mammoth/lib/docx/docx-reader.js" {
  const reader: {
    read(docxFile: MammothDocxFile, input: object, options: object): Promise<MammothResult<unknown>>;
  };
  export default reader;
}

declare module "mammoth/lib/document-to-html.js" {
  const toHtml: {
    DocumentConverter: new (
      options: object,
    ) => {
      /** The value is what the writer's `asString` gives: a string from mammoth's own writers. */
      convertToHtml(
        document: unknown,
      ): Promise<MammothResult<string | import("./docx-html-tree").HtmlTreeNode>>;
    };
  };
  export default toHtml;
}

declare module "mammoth/lib/options-reader.js" {
  const reader: {
    readOptions(options: object): { readStyleMap(): string[] } & Record<string, unknown>;
  };
  export default reader;
}

declare module "mammoth/lib/style-reader.js" {
  const reader: { readStyle(mapping: string): MammothResult<unknown> };
  export default reader;
}

declare module "mammoth/lib/images.js" {
  const images: {
    imgElement(read: (image: unknown) => Promise<{ src: string }>): unknown;
  };
  export default images;
}

declare module "mammoth/lib/xml/reader.js" {
  const reader: { readString(text: string, namespaceMap?: Record<string, string>): Promise<unknown> };
  export default reader;
}

declare module "mammoth/lib/writers/index.js" {
  /** A writer as the converter uses it: open, close, text, selfClosing and `asString` for the result. */
  type Writer = import("./docx-html-tree").MammothWriter | import("./docx-html-tree").HtmlTreeWriter;
  const writers: {
    writer: ((options?: { outputFormat?: string; prettyPrint?: boolean }) => Writer) & { tree?: true };
  };
  export default writers;
}

declare module "mammoth/lib/writers/html-writer.js" {
  const htmlWriter: {
    writer(options: object): import("./docx-html-tree").MammothWriter;
  };
  export default htmlWriter;
}
