/** "29 Nov 2026" in the user's language. */
export const formatDate = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));

/** "29 Nov 2026, 18:04" in the user's language. */
export const formatDateTime = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** "1,234" in the user's language. */
export const formatNumber = (value: number, locale: string) => new Intl.NumberFormat(locale).format(value);
