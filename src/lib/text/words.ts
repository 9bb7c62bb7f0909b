/** Words of a text as the local embedder and the extractive answerer see them. */

// Common English and French words carry no topic. With no corpus statistics (no idf), leaving them
// in lets them dominate short queries; dropping them is the cheapest idf there is.
export const STOPWORDS = new Set(
  (
    "a able about above according accordingly across actually after afterwards again against all " +
    "almost alone along already also although always am among amongst an and another any anybody " +
    "anyhow anyone anything anyway anyways anywhere apart appear appreciate appropriate are around " +
    "as aside ask asking associated at au aux available avec avoir away awfully be became because " +
    "become becomes becoming been before beforehand behind being believe below beside besides best " +
    "better between beyond both brief but by came can cannot cant cause causes ce certain certainly " +
    "ces cet cette changes clearly come comes concerning consequently consider considering contain " +
    "containing contains corresponding could course currently dans de definitely des described " +
    "despite did different do does doing done down downwards du due during each either elle else " +
    "elsewhere en enough entirely especially est et etc ete etre eux even ever every everybody " +
    "everyone everything everywhere exactly example except far few fifth first five followed " +
    "following follows for former formerly forth four from further furthermore get gets getting " +
    "given gives go goes going gone got gotten greetings had happens hardly has have having he hello " +
    "help hence her here hereafter hereby herein hereupon hers herself hi him himself his hither " +
    "hopefully how howbeit however i if ignored il ils immediate in inasmuch inc indeed indicate " +
    "indicated indicates inner insofar instead into inward is it its itself je just keep keeps kept " +
    "know known knows la last lately later latter latterly le least les less lest let leur like " +
    "liked likely little look looking looks ltd lui ma mainly mais many may maybe me mean meanwhile " +
    "meme merely mes might moi mon more moreover most mostly much must my myself namely ne near " +
    "nearly necessary need needs neither never nevertheless new next nine no nobody non none noone " +
    "nor normally nos not nothing notre nous novel now nowhere obviously of off often oh ok okay old " +
    "on once one ones only ont onto or other others otherwise ou ought our ours ourselves out " +
    "outside over overall own par particular particularly pas per perhaps placed please plus " +
    "possible pour presumably probably provides qu que qui quite rather really reasonably regarding " +
    "regardless regards relatively respectively right sa said same saw say saying says se second " +
    "secondly see seeing seem seemed seeming seems seen self selves sensible sent serious seriously " +
    "ses seven several shall she should since six so some somebody somehow someone something " +
    "sometime sometimes somewhat somewhere son sont soon sorry specified specify specifying still " +
    "sub such sur sure ta take taken te tell tends tes th than thank thanks thanx that thats the " +
    "their theirs them themselves then thence there thereafter thereby therefore therein theres " +
    "thereupon these they think third this thorough thoroughly those though three through throughout " +
    "thru thus to together toi ton too took toward towards tried tries truly try trying tu twice two " +
    "un under une unfortunately unless unlikely until unto up upon us use used useful uses using " +
    "usually value various very via viz vos votre vous vs want wants was way we welcome well went " +
    "were what whatever when whence whenever where whereafter whereas whereby wherein whereupon " +
    "wherever whether which while whither who whoever whole whom whose why will willing wish with " +
    "within without wonder would yes yet you your yours yourself yourselves zero"
  ).split(" "),
);

// Scripts written without spaces between words: each character is a token, pairs make the words.
export const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lowercased, accent-free words and unspaced-script characters, in order. */
export function tokenize(text: string): string[] {
  // Decompose to drop accents, then recompose what remains (Hangul syllables, for one).
  const folded = text.normalize("NFKD").replace(COMBINING_MARKS, "").normalize("NFC").toLowerCase();
  const tokens: string[] = [];
  for (const [run] of folded.matchAll(TOKEN)) {
    if (!UNSPACED.test(run)) {
      tokens.push(run);
      continue;
    }
    let word = "";
    for (const char of run) {
      if (UNSPACED.test(char)) {
        if (word) tokens.push(word);
        word = "";
        tokens.push(char);
      } else {
        word += char;
      }
    }
    if (word) tokens.push(word);
  }
  return tokens;
}

/** A light English stemmer (plural, -ing, -ed, -ly, a few derivational endings); leaves short words alone. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of [
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ation",
    "ement",
    "ment",
    "ness",
    "ing",
    "edly",
    "ed",
    "ly",
    "al",
  ]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      // "transferring" → "transferr" → "transfer", as Porter undoubles.
      if (/^(ing|ed|edly)$/.test(suffix) && /([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  return w;
}
