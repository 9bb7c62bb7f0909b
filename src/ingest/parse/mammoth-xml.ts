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
  scope: Scope;
  name: string;
  attributes: Record<string, string>;
}

/**
 * The namespaces in force inside an element, with the names already resolved under them: a part
 * declares its namespaces on the root element, so every element and attribute name is resolved
 * once per part, not once per tag.
 */
interface Scope {
  /** Namespace URIs by prefix ("" for the default namespace). */
  uris: Map<string, string>;
  elementNames: Map<string, string>;
  attributeNames: Map<string, string>;
}

const newScope = (uris: Map<string, string>): Scope => ({
  uris,
  elementNames: new Map(),
  attributeNames: new Map(),
});

// A tag's attributes before its namespace declarations are known, the first `attributeCount`
// (reused from tag to tag: reading is synchronous).
const keys: string[] = [];
const values: string[] = [];
let attributeCount = 0;

function readTree(text: string, namespaceMap: Record<string, string>): MammothElement {
  const stack: Open[] = [];
  let root: MammothElement | undefined;
  let scope = newScope(new Map([["xml", XML]]));
  let at = skipProlog(text);
  const length = text.length;
  while (at < length) {
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
      if (gt === -1 || !open || !closes(text, lt + 2, gt, open.rawName)) throw GIVE_WAY;
      const element = new Element(open.name, open.attributes, open.children);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      scope = parent?.scope ?? scope;
      at = gt + 1;
      continue;
    }
    if (!isNameStart(next) || root !== undefined) throw GIVE_WAY;
    let cursor = lt + 2;
    while (cursor < length && isNameChar(text.charCodeAt(cursor))) cursor++;
    const rawName = text.slice(lt + 1, cursor);
    attributeCount = 0;
    let declares = false;
    let selfClosing = false;
    // Attributes, each after whitespace, until "/>" or ">" (anything else: xmldom's business).
    for (;;) {
      let after = cursor;
      while (after < length && isSpace(text.charCodeAt(after))) after++;
      const code = text.charCodeAt(after);
      if (code === GT) {
        cursor = after + 1;
        break;
      }
      if (code === SLASH && text.charCodeAt(after + 1) === GT) {
        selfClosing = true;
        cursor = after + 2;
        break;
      }
      if (after === cursor) throw GIVE_WAY;
      cursor = readAttribute(text, after);
      const key = keys[attributeCount - 1]!;
      declares ||= key === "xmlns" || key.startsWith("xmlns:");
    }
    let elementScope = scope;
    if (declares) {
      const uris = new Map(scope.uris);
      for (let i = 0; i < attributeCount; i++) {
        const key = keys[i]!;
        if (key === "xmlns") uris.set("", values[i]!);
        else if (key.startsWith("xmlns:")) uris.set(key.slice(6), values[i]!);
      }
      elementScope = newScope(uris);
    }
    const attributes: Record<string, string> = Object.create(null);
    for (let i = 0; i < attributeCount; i++) {
      const key = keys[i]!;
      let name = elementScope.attributeNames.get(key);
      if (name === undefined) {
        name = attributeName(key, elementScope.uris, namespaceMap);
        elementScope.attributeNames.set(key, name);
      }
      if (name in attributes) throw GIVE_WAY;
      attributes[name] = values[i]!;
    }
    let name = elementScope.elementNames.get(rawName);
    if (name === undefined) {
      name = qualifiedName(rawName, elementScope.uris.get(prefixOf(rawName)), namespaceMap);
      elementScope.elementNames.set(rawName, name);
    }
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

/** Whether `text` from `from` to the ">" at `gt` is `rawName` and whitespace (an end tag's name). */
function closes(text: string, from: number, gt: number, rawName: string): boolean {
  let end = gt;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  return end - from === rawName.length && text.startsWith(rawName, from);
}

/**
 * Reads `name = "value"` (or single quotes) at `at` into `keys` and `values`: a name of anything
 * but whitespace, "=", "/" and ">", a quoted value without "<". Returns where it ends.
 */
function readAttribute(text: string, at: number): number {
  let cursor = at;
  while (cursor < text.length && isKeyChar(text.charCodeAt(cursor))) cursor++;
  if (cursor === at) throw GIVE_WAY;
  const key = text.slice(at, cursor);
  while (isSpace(text.charCodeAt(cursor))) cursor++;
  if (text.charCodeAt(cursor) !== EQUALS) throw GIVE_WAY;
  cursor++;
  while (isSpace(text.charCodeAt(cursor))) cursor++;
  const quote = text.charCodeAt(cursor);
  if (quote !== QUOTE && quote !== APOSTROPHE) throw GIVE_WAY;
  const close = text.indexOf(quote === QUOTE ? '"' : "'", cursor + 1);
  if (close === -1) throw GIVE_WAY;
  const lessThan = text.indexOf("<", cursor + 1);
  if (lessThan !== -1 && lessThan < close) throw GIVE_WAY;
  keys[attributeCount] = key;
  values[attributeCount] = decodeAttribute(text.slice(cursor + 1, close));
  attributeCount++;
  return close + 1;
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

function attributeName(key: string, uris: Map<string, string>, namespaceMap: Record<string, string>): string {
  if (key === "xmlns") return qualifiedName("xmlns:xmlns", XMLNS, namespaceMap);
  const prefix = prefixOf(key);
  if (prefix === "") return qualifiedName(key, undefined, namespaceMap);
  return qualifiedName(key, prefix === "xmlns" ? XMLNS : uris.get(prefix), namespaceMap);
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
const GT = 0x3e;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** A tag name's first character: [A-Za-z_] or anything from U+0080. */
function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code >= 0x80;
}

/** A tag name's later characters: [A-Za-z0-9_.:-] or anything from U+0080. */
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x3a) || code === 0x2e || code === 0x2d;
}

/** An attribute name's characters: anything but whitespace, "=", "/" and ">". */
function isKeyChar(code: number): boolean {
  return code !== EQUALS && code !== SLASH && code !== GT && !isSpace(code);
}

/** What a regular expression's \s matches (JavaScript's whitespace and line terminators). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
