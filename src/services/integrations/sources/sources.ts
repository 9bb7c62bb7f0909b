import { googleDrive } from "./google-drive";
import { notion } from "./notion";
import type { Source } from "./types";

export type { Source, SourceFile } from "./types";

/** The providers whose files a sync can import, by Nango's provider name. */
const sources: Record<string, Source> = { "google-drive": googleDrive, notion };

export const SYNCABLE_PROVIDERS = Object.keys(sources);

export const sourceFor = (provider: string): Source | undefined => sources[provider];
