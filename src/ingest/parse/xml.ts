import { ParseError, type ParseLimits } from "./types";

/*
 * A small tolerant XML reader for OOXML parts, written for safety rather than completeness.
 *
 * Entities: a DOCTYPE is skipped whole and never interpreted, so no entity is ever declared,
 * expanded or fetched; references other than the five predefined ones and character references
 * are dropped. OPC forbids DTDs in package parts ([M1.18], because of entity-expansion attacks):
 * a part that declares entities is refused before it gets here (ooxml-package.ts), and a bare
 * DOCTYPE some generator wrote is ignored, so the rest of such a document stays readable.
 *
 * Namespaces: element and attribute names are reported with the conventional prefix of their
 * namespace ("w:p", "a:t", "r:id") whatever prefix the file declared.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

class ParsedElement implements XmlElement {
  readonly children: XmlNode[] = [];
  private parsedAttributes: Record<string, string> | undefined;

  constructor(
    readonly name: string,
    private readonly readAttributes: () => Record<string, string>,
  ) {}

  get attributes(): Record<string, string> {
    this.parsedAttributes ??= this.readAttributes();
    return this.parsedAttributes;
  }
}

/** What `scanXml` reports; positions are offsets in the scanned text. */
export interface XmlHandler {
  /** `attributes` parses the tag's attributes when called: most elements' are never read. */
  open?(name: string, attributes: () => Record<string, string>, start: number, end: number): void;
  /** Also called for self-closing tags, and for elements left open (then at the closing ancestor's position). */
  close?(name: string, start: number, end: number): void;
  text?(value: string): void;
}

type XmlLimits = Pick<ParseLimits, "maxNestingDepth" | "maxTextChars">;

const CANONICAL_PREFIXES: Record<string, string> = {
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
  "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
  "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
  "http://purl.oclc.org/ooxml/drawingml/main": "a",
  "http://schemas.openxmlformats.org/presentationml/2006/main": "p",
  "http://purl.oclc.org/ooxml/presentationml/main": "p",
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
  "http://purl.oclc.org/ooxml/officeDocument/relationships": "r",
  "http://schemas.openxmlformats.org/package/2006/relationships": "rel",
  "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
  "http://schemas.openxmlformats.org/drawingml/2006/diagram": "dgm",
  "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
  "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "wps",
  "urn:schemas-microsoft-com:vml": "v",
  "http://purl.org/dc/elements/1.1/": "dc",
};

const PREDEFINED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes an XML part: UTF-16 when it starts with a byte-order mark, UTF-8 otherwise. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = new Uint8Array(bytes.length - 2);
    for (let i = 2; i + 1 < bytes.length; i += 2) {
      swapped[i - 2] = bytes[i + 1]!;
      swapped[i - 1] = bytes[i]!;
    }
    return new TextDecoder("utf-16le").decode(swapped);
  }
  return new TextDecoder().decode(bytes);
}

/** Parses a whole part into a tree (for parts that fit comfortably in memory: slides, headers, rels). */
export function parseXml(text: string, limits: XmlLimits): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [] };
  const stack = [root];
  scanXml(text, limits, {
    open(name, readAttributes) {
      const element = new ParsedElement(name, readAttributes);
      stack[stack.length - 1]!.children.push(element);
      stack.push(element);
    },
    close() {
      stack.pop();
    },
    text(value) {
      const children = stack[stack.length - 1]!.children;
      const last = children.length - 1;
      if (typeof children[last] === "string") children[last] += value;
      else children.push(value);
    },
  });
  const element = root.children.find((child) => typeof child !== "string");
  if (!element) throw new ParseError("corrupt", "a part of the document holds no XML");
  return element;
}

/** The name of a part's root element, found without reading the rest of the part. */
export function rootElementName(text: string, limits: XmlLimits): string | undefined {
  let root: string | undefined;
  try {
    scanXml(text, limits, {
      open(name) {
        root = name;
        throw STOP_SCAN;
      },
    });
  } catch (error) {
    if (error !== STOP_SCAN) throw error;
  }
  return root;
}

const STOP_SCAN = Symbol("stop scanning");

/**
 * Walks the tags of `text` in order without building a tree, for parts too large to hold twice.
 * Throws ParseError("hostile") past `maxNestingDepth` and ("too_large") past `maxTextChars`.
 */
export function scanXml(text: string, limits: XmlLimits, handler: XmlHandler): void {
  const open: { rawName: string; name: string; scope: Scope }[] = [];
  let scope = new Scope(null);
  let textChars = 0;
  let nextXmlns = text.indexOf("xmlns");
  const emitText = (value: string) => {
    textChars += value.length;
    if (textChars > limits.maxTextChars) {
      throw new ParseError("too_large", "the document holds more text than can be indexed");
    }
    handler.text?.(value);
  };
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf("<", at);
    if (lt === -1) {
      if (handler.text) emitText(decodeEntities(text.slice(at)));
      break;
    }
    if (lt > at && handler.text) emitText(decodeEntities(text.slice(at, lt)));
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = text.indexOf(">", lt);
      const end = gt === -1 ? text.length : gt + 1;
      const rawName = text.slice(lt + 2, gt === -1 ? text.length : gt).trim();
      const index = open.findLastIndex((element) => element.rawName === rawName);
      // A stray closing tag is ignored; one that skips open elements closes them too.
      if (index !== -1) {
        // Popped outside the optional call: `close?.(open.pop())` would not pop without a close handler.
        while (open.length > index) {
          const element = open.pop()!;
          handler.close?.(element.name, lt, end);
        }
        scope = open[open.length - 1]?.scope ?? new Scope(null);
      }
      at = end;
    } else if (next === BANG) {
      if (text.startsWith("<!--", lt)) at = endAfter(text, "-->", lt + 4);
      else if (text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9);
        if (handler.text) emitText(text.slice(lt + 9, end === -1 ? text.length : end));
        at = end === -1 ? text.length : end + 3;
      } else at = skipDeclaration(text, lt);
    } else if (next === QUESTION) {
      at = endAfter(text, "?>", lt + 2);
    } else if (isNameStart(next)) {
      if (open.length >= limits.maxNestingDepth) {
        throw new ParseError(
          "hostile",
          `the document nests elements more than ${limits.maxNestingDepth} deep`,
        );
      }
      const tag = readStartTag(text, lt);
      // Namespace declarations change how names resolve, so only their tags are parsed eagerly.
      if (nextXmlns !== -1 && nextXmlns < tag.attributesStart)
        nextXmlns = text.indexOf("xmlns", tag.attributesStart);
      const declares = nextXmlns !== -1 && nextXmlns < tag.attributesEnd;
      const eager = declares ? readAttributes(text, tag.attributesStart, tag.attributesEnd) : null;
      const elementScope = eager ? scope.declare(eager.keys, eager.values) : scope;
      const name = elementScope.resolve(tag.rawName, true);
      const attributes = () => {
        const { keys, values } = eager ?? readAttributes(text, tag.attributesStart, tag.attributesEnd);
        const record: Record<string, string> = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (!isNamespaceDeclaration(key)) record[elementScope.resolve(key, false)] = values[i]!;
        }
        return record;
      };
      handler.open?.(name, attributes, lt, tag.end);
      if (tag.selfClosing) handler.close?.(name, lt, tag.end);
      else {
        open.push({ rawName: tag.rawName, name, scope: elementScope });
        scope = elementScope;
      }
      at = tag.end;
    } else {
      if (handler.text) emitText("<");
      at = lt + 1;
    }
  }
  while (open.length > 0) {
    const element = open.pop()!;
    handler.close?.(element.name, text.length, text.length);
  }
}

/**
 * Removes the DOCTYPE of a part (and with it every entity declaration) and drops the entity
 * references it made legal, so another XML parser (mammoth's) can neither expand nor fetch anything.
 * Parts without a DOCTYPE come back unchanged.
 */
export function withoutDoctype(text: string): string {
  const root = text.search(/<[A-Za-z_]/);
  // A DOCTYPE can only come before the root element: no need to search the whole part.
  const doctype = text.lastIndexOf("<!DOCTYPE", root === -1 ? text.length : root);
  if (doctype === -1) return text;
  const rest = text.slice(skipDeclaration(text, doctype));
  return (
    text.slice(0, doctype) +
    rest.replace(/&([A-Za-z_][\w.-]*);/g, (ref, name) => (name in PREDEFINED_ENTITIES ? ref : ""))
  );
}

/** The elements named `name` below `element`, in document order (not below a match). */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (typeof child === "string") continue;
      if (child.name === name) found.push(child);
      else visit(child);
    }
  };
  visit(element);
  return found;
}

/** The first child element named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((node): node is XmlElement => typeof node !== "string" && node.name === name);
}

/** The child elements of `element`. */
export function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((node): node is XmlElement => typeof node !== "string");
}

/** All text below `element`, concatenated. */
export function textOf(element: XmlElement): string {
  return element.children.map((node) => (typeof node === "string" ? node : textOf(node))).join("");
}

const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code >= 0x80;
}

function isNamespaceDeclaration(key: string): boolean {
  return key === "xmlns" || key.startsWith("xmlns:");
}

/** The namespace prefixes in force on an element, with the names already resolved there. */
class Scope {
  private readonly prefixes = new Map<string, string>();
  private readonly resolved = new Map<string, string>();

  constructor(private readonly parent: Scope | null) {}

  /** This scope, or a child scope when the tag declares namespaces. */
  declare(keys: string[], values: string[]): Scope {
    let scope: Scope = this;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!isNamespaceDeclaration(key)) continue;
      if (scope === this) scope = new Scope(this);
      scope.prefixes.set(key === "xmlns" ? "" : key.slice(6), values[i]!);
    }
    return scope;
  }

  /** "prefix:local" with the conventional prefix of the namespace when it is a known one. */
  resolve(qualified: string, isElement: boolean): string {
    const cacheKey = isElement ? qualified : `@${qualified}`;
    let name = this.resolved.get(cacheKey);
    if (name === undefined) {
      const colon = qualified.indexOf(":");
      // Unprefixed attributes belong to no namespace.
      if (colon === -1 && !isElement) name = qualified;
      else {
        const canonical = CANONICAL_PREFIXES[this.uri(colon === -1 ? "" : qualified.slice(0, colon)) ?? ""];
        name = canonical ? `${canonical}:${qualified.slice(colon + 1)}` : qualified;
      }
      this.resolved.set(cacheKey, name);
    }
    return name;
  }

  private uri(prefix: string): string | undefined {
    return this.prefixes.get(prefix) ?? this.parent?.uri(prefix);
  }
}

const TAG_NAME = /[^\s/>]+/y;
// The rest of a start tag up to its ">", stepping over quoted values (which may hold ">").
const TAG_REST = /[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/y;
const ATTRIBUTE = /\s*([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;

function readStartTag(text: string, lt: number) {
  TAG_NAME.lastIndex = lt + 1;
  const rawName = TAG_NAME.exec(text)![0];
  const attributesStart = TAG_NAME.lastIndex;
  TAG_REST.lastIndex = attributesStart;
  const closed = TAG_REST.exec(text) !== null;
  const end = closed ? TAG_REST.lastIndex : text.length;
  const selfClosing = closed && text.charCodeAt(end - 2) === SLASH;
  const attributesEnd = selfClosing ? end - 2 : closed ? end - 1 : end;
  return { rawName, attributesStart, attributesEnd, selfClosing, end };
}

function readAttributes(text: string, start: number, end: number) {
  const keys: string[] = [];
  const values: string[] = [];
  let at = start;
  while (at < end) {
    ATTRIBUTE.lastIndex = at;
    const attribute = ATTRIBUTE.exec(text);
    if (!attribute || ATTRIBUTE.lastIndex > end) {
      at++; // a stray character such as a lone "/": skip it
      continue;
    }
    keys.push(attribute[1]!);
    values.push(decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ""));
    at = ATTRIBUTE.lastIndex;
  }
  return { keys, values };
}

/** Skips `<!...>`, including a DOCTYPE's internal subset and quoted strings that may hold `>`. */
function skipDeclaration(text: string, lt: number): number {
  let depth = 0;
  let quote = "";
  for (let at = lt + 2; at < text.length; at++) {
    const char = text[at];
    if (quote) {
      if (char === quote) quote = "";
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "[") depth++;
    else if (char === "]") depth--;
    else if (char === ">" && depth <= 0) return at + 1;
  }
  return text.length;
}

function endAfter(text: string, terminator: string, from: number): number {
  const end = text.indexOf(terminator, from);
  return end === -1 ? text.length : end + terminator.length;
}

function decodeEntities(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (_, ref: string) => {
    if (ref[0] !== "#") return PREDEFINED_ENTITIES[ref] ?? "";
    const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : "";
  });
}
