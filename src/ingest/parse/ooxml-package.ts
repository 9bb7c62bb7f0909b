import type { ParseLimits } from "./types";
import { ParseError } from "./types";
import { child, decodeXml, elements, parseXml, textOf, type XmlElement } from "./xml";
import type { ZipArchive } from "./zip";

/** One relationship of an OOXML part, its target resolved to a part name of the package. */
export interface Relationship {
  id: string;
  /** The last segment of the relationship type URI: "officeDocument", "slide", "header"... */
  type: string;
  target: string;
  external: boolean;
}

/** The decoded text of a part, or null when the package has no such part. */
export function readPartText(zip: ZipArchive, name: string): string | null {
  if (!zip.has(name)) return null;
  const text = decodeXml(zip.read(name));
  refuseEntityDeclarations(text);
  return text;
}

/**
 * The decoded text of a part as `readPartText` gives it, inflated by the runtime's zlib
 * (`ZipArchive.readInflated`): for parts read many at a time or large.
 */
export async function readPartTextInflated(zip: ZipArchive, name: string): Promise<string | null> {
  if (!zip.has(name)) return null;
  const text = decodeXml(await zip.readInflated(name));
  refuseEntityDeclarations(text);
  return text;
}

/**
 * OPC forbids DTDs in package parts ([M1.18]) and tells readers to treat one as an error. A part
 * that declares entities (a billion-laughs bomb, an external entity to fetch) is refused: the
 * document fails with a clear reason rather than be indexed half-read. A bare DOCTYPE without
 * declarations is still tolerated and stripped (see withoutDoctype).
 */
function refuseEntityDeclarations(text: string): void {
  const root = text.search(/<[A-Za-z_]/);
  const prolog = root === -1 ? text : text.slice(0, root);
  if (/<!DOCTYPE[\s\S]*<!ENTITY/i.test(prolog)) {
    throw new ParseError(
      "hostile",
      "the document declares XML entities (a DOCTYPE), which are refused for safety; nothing was fetched",
    );
  }
}

/** The parsed root element of a part, or null when the package has no such part. */
export function readXmlPart(zip: ZipArchive, name: string, limits: ParseLimits): XmlElement | null {
  const text = readPartText(zip, name);
  return text === null ? null : parseXml(text, limits);
}

/** The parsed root element of a part as `readXmlPart` gives it, inflated by the runtime's zlib. */
export async function readXmlPartInflated(
  zip: ZipArchive,
  name: string,
  limits: ParseLimits,
): Promise<XmlElement | null> {
  const text = await readPartTextInflated(zip, name);
  return text === null ? null : parseXml(text, limits);
}

/** The relationships of `partName` ("" for the package itself), from its `_rels/*.rels` part. */
export function readRelationships(zip: ZipArchive, partName: string, limits: ParseLimits): Relationship[] {
  const root = readXmlPart(zip, relationshipsPartOf(partName), limits);
  if (!root) return [];
  const directory = partName.slice(0, partName.lastIndexOf("/") + 1);
  return elements(root)
    .filter((element) => element.name === "rel:Relationship")
    .map((element) => {
      const target = element.attributes.Target ?? "";
      const external = element.attributes.TargetMode === "External";
      return {
        id: element.attributes.Id ?? "",
        type: (element.attributes.Type ?? "").split("/").pop() ?? "",
        target: external ? target : resolvePartName(directory, target),
        external,
      };
    });
}

/** The package's main part (word/document.xml, ppt/presentation.xml...), or null when it has none. */
export function findMainPart(zip: ZipArchive, limits: ParseLimits): string | null {
  const main = readRelationships(zip, "", limits).find(
    (rel) => rel.type === "officeDocument" && !rel.external,
  );
  return main && zip.has(main.target) ? main.target : null;
}

/** The title in the package's core properties (docProps/core.xml), if it has one. */
export function readPackageTitle(zip: ZipArchive, limits: ParseLimits): string | undefined {
  const core = readRelationships(zip, "", limits).find((rel) => rel.type === "core-properties");
  const root = core && !core.external ? readXmlPart(zip, core.target, limits) : null;
  const title = root && child(root, "dc:title");
  return title ? textOf(title).trim() || undefined : undefined;
}

/** The name of the part holding the relationships of `partName`: word/document.xml → word/_rels/document.xml.rels. */
export function relationshipsPartOf(partName: string): string {
  const slash = partName.lastIndexOf("/");
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

function resolvePartName(directory: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A malformed escape: keep the target as written.
  }
  const segments = decoded.startsWith("/") ? [] : directory.split("/").filter(Boolean);
  for (const segment of decoded.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment !== "." && segment !== "") segments.push(segment);
  }
  return segments.join("/");
}
