/** Small helpers with no Workers import, so the fakes (run by Node in globalSetup) can share them. */

/** UTF-8 bytes of a string, as a file's content. */
export const encode = (text: string) => new TextEncoder().encode(text);

/** The text with every run of white space folded to one space, for comparing across line breaks. */
export const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
