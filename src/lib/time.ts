/** The current time as an ISO 8601 UTC string, the form every stored timestamp takes. */
export const nowIso = (): string => new Date().toISOString();
