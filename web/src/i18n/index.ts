import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { fr } from "./fr";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
] as const;

export type Language = (typeof LANGUAGES)[number]["code"];

/** The catalogues by language; the console follows the browser's language until the user picks one. */
export const resources = { en: { translation: en }, fr: { translation: fr } } as const;

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

export function initI18n() {
  if (i18n.isInitialized) return i18n;
  void i18n
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      supportedLngs: LANGUAGES.map((language) => language.code),
      nonExplicitSupportedLngs: true,
      fallbackLng: "en",
      interpolation: { escapeValue: false },
      detection: {
        order: ["localStorage", "navigator"],
        lookupLocalStorage: "ancre.language",
        caches: ["localStorage"],
      },
      initAsync: false,
    });
  i18n.on("languageChanged", (language) => {
    document.documentElement.lang = language;
  });
  document.documentElement.lang = i18n.resolvedLanguage ?? "en";
  return i18n;
}

export { i18n };
