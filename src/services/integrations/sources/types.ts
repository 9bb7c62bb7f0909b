import type { NangoClient, ProxyTarget } from "../nango-client";

/** A file (or page) found at the source, as a sync item records it. */
export interface SourceFile {
  externalId: string;
  /** The name the document gets, with the extension of the format it is fetched in. */
  name: string;
  revision: string;
  /** How to fetch it: Drive's MIME type, or `page` for Notion. */
  kind: string;
}

export interface SourcePage {
  files: SourceFile[];
  /** The cursor of the next page; null once everything is listed. */
  nextCursor: string | null;
}

/** How a provider's files are listed and fetched through Nango's proxy, with the provider's own API. */
export interface Source {
  listPage(nango: NangoClient, target: ProxyTarget, cursor: string | null): Promise<SourcePage>;
  download(nango: NangoClient, target: ProxyTarget, file: SourceFile): Promise<Blob>;
}
