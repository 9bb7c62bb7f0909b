/** The widget's settings: the server's configuration, overridden by the page's `data-*` attributes. */
export interface WidgetConfig {
  title: string;
  greeting: string;
  primaryColor: string;
  position: "bottom-right" | "bottom-left";
  language: string;
  suggestedQuestions: string[];
}

/** What the embedding page says on the script tag. */
export interface PageOptions {
  key: string | null;
  title?: string;
  greeting?: string;
  primaryColor?: string;
  position?: WidgetConfig["position"];
  language?: string;
  /** `data-suggested-questions` (a JSON array of strings): the console's preview sets them. */
  suggestedQuestions?: string[];
  openOnLoad: boolean;
  /** `data-preview`: the console's live preview; no session, answers are a sample. */
  preview: boolean;
}

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Reads the `data-*` attributes (`attribute("data-key")`…); invalid values are ignored. */
export function pageOptions(attribute: (name: string) => string | null): PageOptions {
  const text = (name: string) => attribute(`data-${name}`)?.trim() || undefined;
  const position = text("position");
  const color = text("primary-color");
  const open = attribute("data-open");
  return {
    preview: attribute("data-preview") !== null,
    suggestedQuestions: stringList(text("suggested-questions")),
    key: text("key") ?? null,
    title: text("title"),
    greeting: text("greeting"),
    primaryColor: color && HEX_COLOR.test(color) ? color : undefined,
    position: position === "bottom-left" || position === "bottom-right" ? position : undefined,
    language: text("language"),
    openOnLoad: open !== null && open !== "false",
  };
}

function stringList(json: string | undefined): string[] | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string")
      : undefined;
  } catch {
    return undefined;
  }
}

/** The public configuration the session endpoint answers. */
export interface ServerWidget {
  title?: string;
  greeting?: string;
  primary_color?: string;
  position?: string;
  language?: string;
  suggested_questions?: string[];
}

export function mergeConfig(page: PageOptions, server: ServerWidget | undefined): WidgetConfig {
  const serverColor = server?.primary_color;
  const serverPosition = server?.position;
  return {
    title: page.title ?? server?.title ?? "",
    greeting: page.greeting ?? server?.greeting ?? "",
    primaryColor: page.primaryColor ?? (serverColor && HEX_COLOR.test(serverColor) ? serverColor : "#4f46e5"),
    position:
      page.position ??
      (serverPosition === "bottom-left" || serverPosition === "bottom-right"
        ? serverPosition
        : "bottom-right"),
    language: page.language ?? server?.language ?? "auto",
    suggestedQuestions: (page.suggestedQuestions ?? server?.suggested_questions ?? []).slice(0, 4),
  };
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function readableOn(hex: string): "#ffffff" | "#111827" {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
  const channels = [1, 3, 5].map((at) => {
    const value = Number.parseInt(full.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white is 1.05 / (L + 0.05); with near-black #111827 it is (L + 0.05) / 0.0583.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0583 ? "#ffffff" : "#111827";
}
