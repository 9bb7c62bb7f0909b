import { stopwordsFor } from "./analyzer";
import { SUPPORTED_LANGUAGES } from "./language";
import { tokenize } from "./words";

// Requests about a whole document ("Résume ce document", "Summarize this document", "De quoi parle
// ce document ?") have no topic of their own to search for. They are recognised in two steps: a
// cue that asks for a summary or for what the text is about, then nothing left but stop words,
// words that name the document ("document", "fichier", a filename) and politeness. "Summarize the
// billing rules" keeps "billing" and "rules": that is a question about a topic, searched as usual.

/** Word starts that ask for a summary, accent-folded, in the supported languages. */
const SUMMARY_STEMS = [
  "resum", // fr résumer, es/pt resumir, résumé, resumen, resumo
  "synthes", // fr synthèse, synthétiser
  "sintes", // es/it síntesis, sintesi
  "sintetiz", // es/pt sintetizar, it sintetizzare
  "summar", // en summarise, summarize, summary
  "overview",
  "recap",
  "tldr",
  "gist",
  "zusammenfass", // de Zusammenfassung, zusammenfassen
  "uberblick", // de Überblick
  "riassum", // it riassumere
  "riassunt", // it riassunto
  "samenvat", // nl samenvatten, samenvatting
  "overzicht", // nl
];

/** Separable verbs split by their object: "Fasse das Dokument zusammen", "Vat dit document samen". */
const SPLIT_SUMMARY_VERBS = [/\bfass\w*\b.*\bzusammen\b/, /\bvat\b.*\bsamen\b/, /\bsum\b.*\bup\b/];

/** "What is it about?" in the supported languages, on accent-folded lowercase text. */
const ABOUT_PATTERNS = [
  /\bwhat\b.*\babout\b/,
  /\bde quoi\b/,
  /\bquel\w* (?:est|sont) (?:le|les) (?:sujet|theme)/,
  /\b(?:worum|wovon|woruber)\b/,
  /\bde que (?:trata|habla)\b/,
  /\bsobre (?:que|o que)\b/,
  /\bdi (?:che )?cosa (?:parla|tratta)\b/,
  /\bdo que (?:se )?trata\b/,
  /\bde que fala\b/,
  /\bwaar(?:over)?\b.*\bover\b|\bwaarover\b/,
];

/** Words a whole-document request may hold besides its cue and stop words. */
const ALLOWED_WORDS = new Set(
  // the cue's own words
  (
    "about parle parler traite traiter quoi sujet theme themes trata habla handelt geht es parla tratta fala " +
    "gaat over vat samen fasse fass zusammen sum up cover covers discuss say says main points ideas idees " +
    "principal principale principaux haupt hauptthema principali " +
    // what names the document
    "document documents doc docs fichier fichiers file files texte textes text texts article articles pdf " +
    "rapport report paper contenu content contents page pages dokument dokumente datei bericht artikel " +
    "inhalt documento documentos archivo testo articolo ficheiro arquivo bestand tekst verslag " +
    "whole entire entier entiere complet complete ganze gesamte todo entero intero inteiro hele gehele " +
    // asking ("can you give me", "peux-tu faire")
    "give gib geef dame dammi da make write peux pouvez fais faire donne donner ecris kannst konnen " +
    "puedes puede hacer haz puoi puo fare podes pode fazer faca kun kunt maak worum wovon woruber cosa waar " +
    // politeness and length
    "please plait svp merci bitte favor favore alstublieft graag could would can pourrais pourriez " +
    "brief briefly short bref breve brievement court kurz brevemente kort quickly rapidement"
  ).split(" "),
);

const startsWithAny = (word: string, stems: string[]) => stems.some((stem) => word.startsWith(stem));

/**
 * Whether `question` asks about a whole document rather than a topic. Returns the words it holds
 * besides the request itself (which may name a document, as a filename does), or undefined when
 * it is not such a request.
 */
export function wholeDocumentRequest(question: string): { rest: string[] } | undefined {
  const words = tokenize(question);
  const folded = words.join(" ");
  const cue =
    words.some((word) => startsWithAny(word, SUMMARY_STEMS)) ||
    SPLIT_SUMMARY_VERBS.some((pattern) => pattern.test(folded)) ||
    ABOUT_PATTERNS.some((pattern) => pattern.test(folded));
  if (!cue) return undefined;
  return { rest: documentWords(words.filter((word) => !startsWithAny(word, SUMMARY_STEMS))) };
}

/**
 * The words of a request about a document that may name it (a filename's words): all but stop
 * words, the words that name a document ("document", "fichier") and politeness.
 */
export function documentWords(words: string[]): string[] {
  return words.filter((word) => !ALLOWED_WORDS.has(word) && !isStopword(word) && word.length > 1);
}

let stopwords: Set<string> | undefined;

// Stop words of every supported language: the request's own language may be too short to tell.
// Tokenised on first use (milliseconds a cold isolate spends only if it answers a question).
function isStopword(word: string): boolean {
  stopwords ??= new Set(
    SUPPORTED_LANGUAGES.flatMap((language) => [...stopwordsFor(language)].flatMap(tokenize)),
  );
  return stopwords.has(word);
}
