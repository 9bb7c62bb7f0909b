/// <reference path="./mammoth-internals.d.ts" />
import mammothXml from "mammoth/lib/xml/index.js";

/*
 * mammoth reads every part through @xmldom/xmldom, builds a DOM, then copies it into its own
 * element tree: about two thirds of a DOCX message's CPU. `readMammothXml` builds the very same
 * tree in one pass for the XML Word writes (plain elements, attributes, text, the five predefined
 * entities and character references), and gives way to mammoth's own reader for anything else
 * (comments, CDATA, processing instructions or a DOCTYPE inside, another entity, a tag that does
 * not close, an undeclared prefix), so that a part reads exactly as mammoth alone reads it.
 */

/** mammoth's element (lib/xml/nodes.js), whose methods its readers call. */
type MammothElement = object;
type MammothNode = MammothElement | { type: "text"; value: string };

const Element = mammothXml.Element;

const XMLNS = "http://www.w3.org/2000/xmlns/";
const XML = "http://www.w3.org/XML/1998/namespace";
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Thrown inside the fast reader where it gives way to mammoth's own. */
const GIVE_WAY = Symbol("give way to xmldom");

const TAG_NAME = /[A-Za-z_\u0080-\uffff][\w.:\u0080-\uffff-]*/y;
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);|&/g;

/**
 * The root element of `text` as mammoth's `readString(text, namespaceMap)` builds it (namespaced
 * names as "prefix:local" through `namespaceMap`, "{uri}local" otherwise), or undefined where
 * mammoth's own reader must read it.
 */
export function readMammothXml(
  text: string,
  namespaceMap: Record<string, string>,
): MammothElement | undefined {
  try {
    return readTree(normalizeLineEndings(text), namespaceMap);
  } catch (error) {
    if (error === GIVE_WAY) return undefined;
    throw error;
  }
}

/**
 * Routes mammoth's part reading through `readMammothXml`, once per isolate: its readers call
 * `readString` on this module's exports at call time. A bundle (wrangler's, the benchmarks') holds
 * one copy of the module; vitest's loader gives a deep import a copy of its own, so in workerd
 * tests mammoth still reads through xmldom, and the trees are compared part by part instead.
 */
export function routeMammothXmlThroughFastReader(): void {
  if (mammothXml.readString.fast) return;
  const xmldomReader = mammothXml.readString;
  const readString = (text: string, namespaceMap?: Record<string, string>) => {
    const root = readMammothXml(text, namespaceMap ?? {});
    return root === undefined ? xmldomReader(text, namespaceMap) : Promise.resolve(root);
  };
  readString.fast = true as const;
  mammothXml.readString = readString;
}

// xmldom normalizes line breaks before parsing (XML 1.0 §2.11, and NEL and LS as XML 1.1 does).
function normalizeLineEndings(text: string): string {
  if (!/[\r\u0085\u2028]/.test(text)) return text;
  return text.replace(/\r[\n\u0085]/g, "\n").replace(/[\r\u0085\u2028]/g, "\n");
}

interface Open {
  rawName: string;
  children: MammothNode[];
  /** Namespace URIs by prefix ("" for the default namespace) in force inside the element. */
  scope: Map<string, string>;
  name: string;
  attributes: Record<string, string>;
}

function readTree(text: string, namespaceMap: Record<string, string>): MammothElement {
  const stack: Open[] = [];
  let root: MammothElement | undefined;
  let scope = new Map<string, string>([["xml", XML]]);
  let at = skipProlog(text);
  while (at < text.length) {
    const lt = text.indexOf("<", at);
    if (lt === -1) {
      if (text.slice(at).trim() !== "" || stack.length > 0) throw GIVE_WAY;
      break;
    }
    if (lt > at) {
      const top = stack[stack.length - 1];
      if (top) top.children.push({ type: "text", value: decodeText(text.slice(at, lt)) });
      else if (text.slice(at, lt).trim() !== "") throw GIVE_WAY;
    }
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = text.indexOf(">", lt);
      const open = stack.pop();
      if (gt === -1 || !open || text.slice(lt + 2, gt).trimEnd() !== open.rawName) throw GIVE_WAY;
      const element = new Element(open.name, open.attributes, open.children);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      scope = parent?.scope ?? scope;
      at = gt + 1;
      continue;
    }
    if (!isNameStart(next) || root !== undefined) throw GIVE_WAY;
    TAG_NAME.lastIndex = lt + 1;
    const rawName = TAG_NAME.exec(text)![0];
    const keys: string[] = [];
    const values: string[] = [];
    let cursor = TAG_NAME.lastIndex;
    let declares = false;
    for (;;) {
      TAG_END.lastIndex = cursor;
      const end = TAG_END.exec(text);
      if (end) {
        cursor = TAG_END.lastIndex;
        break;
      }
      ATTRIBUTE.lastIndex = cursor;
      const attribute = ATTRIBUTE.exec(text);
      // A value without quotes, a "<" in a value, a tag that does not end: xmldom's business.
      if (!attribute || (cursor === attribute.index && !/\s/.test(text[cursor] ?? ""))) throw GIVE_WAY;
      const key = attribute[1]!;
      keys.push(key);
      values.push(decodeAttribute(attribute[2] ?? attribute[3]!));
      declares ||= key === "xmlns" || key.startsWith("xmlns:");
      cursor = ATTRIBUTE.lastIndex;
    }
    const selfClosing = text.charCodeAt(cursor - 2) === SLASH;
    let elementScope = scope;
    if (declares) {
      elementScope = new Map(scope);
      keys.forEach((key, i) => {
        if (key === "xmlns") elementScope.set("", values[i]!);
        else if (key.startsWith("xmlns:")) elementScope.set(key.slice(6), values[i]!);
      });
    }
    const attributes: Record<string, string> = Object.create(null);
    keys.forEach((key, i) => {
      const name = attributeName(key, elementScope, namespaceMap);
      if (name in attributes) throw GIVE_WAY;
      attributes[name] = values[i]!;
    });
    const name = qualifiedName(rawName, elementScope.get(prefixOf(rawName)), namespaceMap);
    if (selfClosing) {
      const element = new Element(name, attributes, []);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
    } else {
      stack.push({ rawName, children: [], scope: elementScope, name, attributes });
      scope = elementScope;
    }
    at = cursor;
  }
  if (root === undefined || stack.length > 0) throw GIVE_WAY;
  return root;
}

/** Past the XML declaration and whitespace before the root element; anything else there gives way. */
function skipProlog(text: string): number {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith("<?xml", at)) {
    const end = text.indexOf("?>", at);
    if (end === -1) throw GIVE_WAY;
    at = end + 2;
  }
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

function prefixOf(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon === -1 ? "" : qualified.slice(0, colon);
}

/** As mammoth names a node from xmldom's namespaceURI and localName. */
function qualifiedName(
  qualified: string,
  uri: string | undefined,
  namespaceMap: Record<string, string>,
): string {
  const colon = qualified.indexOf(":");
  if (colon !== qualified.lastIndexOf(":")) throw GIVE_WAY;
  const local = qualified.slice(colon + 1);
  if (uri === undefined || uri === "") {
    if (colon !== -1) throw GIVE_WAY; // an undeclared prefix
    return local;
  }
  const mapped = namespaceMap[uri];
  return mapped ? `${mapped}:${local}` : `{${uri}}${local}`;
}

function attributeName(
  key: string,
  scope: Map<string, string>,
  namespaceMap: Record<string, string>,
): string {
  if (key === "xmlns") return qualifiedName("xmlns:xmlns", XMLNS, namespaceMap);
  const prefix = prefixOf(key);
  if (prefix === "") return qualifiedName(key, undefined, namespaceMap);
  return qualifiedName(key, prefix === "xmlns" ? XMLNS : scope.get(prefix), namespaceMap);
}

function decodeText(value: string): string {
  if (!value.includes("&")) {
    if (value.includes(">") && value.includes("]]>")) throw GIVE_WAY;
    return value;
  }
  return decodeReferences(value);
}

// xmldom turns tabs and line breaks in attribute values into spaces before references are read.
function decodeAttribute(value: string): string {
  const spaced = /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, " ") : value;
  return spaced.includes("&") ? decodeReferences(spaced) : spaced;
}

function decodeReferences(value: string): string {
  return value.replace(REFERENCE, (_reference, name: string | undefined) => {
    if (name === undefined) throw GIVE_WAY;
    if (name[0] !== "#") {
      const predefined = PREDEFINED[name];
      if (predefined === undefined) throw GIVE_WAY;
      return predefined;
    }
    const code = name[1] === "x" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    // xmldom's fixedFromCharCode: a surrogate pair above the BMP, the code unit otherwise.
    if (!(code > 0 && code <= 0x10ffff)) throw GIVE_WAY;
    if (code <= 0xffff) return String.fromCharCode(code);
    const offset = code - 0x10000;
    return String.fromCharCode(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
  });
}

const SLASH = 0x2f;

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code >= 0x80;
}
