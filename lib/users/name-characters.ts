// Which characters a name may hold, and the words that name one it may not (docs/decisions/048-names.md).

const NAMED: Record<string, string> = {
  "\u200b": "a zero-width space",
  "\u200c": "a zero-width non-joiner",
  "\u200d": "a zero-width joiner",
  "\u200e": "a left-to-right mark",
  "\u200f": "a right-to-left mark",
  "\u061c": "an Arabic letter mark",
  "\u202a": "a left-to-right embedding",
  "\u202b": "a right-to-left embedding",
  "\u202c": "a pop directional formatting",
  "\u202d": "a left-to-right override",
  "\u202e": "a right-to-left override",
  "\u2066": "a left-to-right isolate",
  "\u2067": "a right-to-left isolate",
  "\u2068": "a first strong isolate",
  "\u2069": "a pop directional isolate",
  "\ufeff": "a zero-width no-break space",
};

const JOINERS = new Set(["\u200c", "\u200d"]);
const LETTER = /[\p{L}\p{M}]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}/u;

const codePoint = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** The first character a name may not hold, said so that a person can find it; null when there is none. */
export function nameCharacterProblem(name: string): string | null {
  for (const { segment } of new Intl.Segmenter("en", { granularity: "grapheme" }).segment(name)) {
    if (EMOJI.test(segment))
      return `Your name contains an emoji, “${segment}”. Your bank holds your name without emoji, so we can't use it.`;
  }
  const chars = [...name];
  for (const [i, ch] of chars.entries()) {
    if (!INVISIBLE.test(ch)) continue;
    // Persian, Indic and other scripts join or part letters with these: fine between two letters.
    if (JOINERS.has(ch) && LETTER.test(chars[i - 1] ?? "") && LETTER.test(chars[i + 1] ?? "")) continue;
    const what = `${NAMED[ch] ?? "an invisible control character"} (${codePoint(ch)})`;
    return JOINERS.has(ch)
      ? `Your name contains ${what} that is not between two letters. Please delete it.`
      : `Your name contains ${what}, which we can't use. Please delete it.`;
  }
  return null;
}
