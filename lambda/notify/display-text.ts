/**
 * Text from AWS (API names, messages) goes into email subjects, bodies and chat messages: it may
 * hold any unicode, line breaks or control characters, and be of any length.
 */

// C0/C1 controls, DEL, line/paragraph separators and bidi overrides (which can disguise text).
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Cuts to at most `max` code points (never inside a surrogate pair), marking the cut with `...`. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  if (max <= 3) return points.slice(0, max).join('');
  return `${points.slice(0, max - 3).join('')}...`;
}

/** One line of valid unicode: control characters and line breaks become spaces, runs of spaces collapse. */
export function singleLine(text: string, max = 200): string {
  const cleaned = text.replace(LONE_SURROGATE, '\ufffd').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return truncate(cleaned, max);
}

/** Multi-line text (messages, remediations) with its line breaks kept and every other control removed. */
export function multiLine(text: string, max = 2000): string {
  const lines = text
    .replace(LONE_SURROGATE, '\ufffd')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.replace(CONTROL, ' ').trimEnd());
  return truncate(lines.join('\n').trim(), max);
}

/** Latin letters that have no decomposition into a base letter and an accent. */
const LATIN_FOLDS: Record<string, string> = {
  ø: 'o',
  Ø: 'O',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
};

/**
 * Printable ASCII only (SNS rewrites subjects that hold anything else): accents are dropped
 * (`Café` -> `Cafe`), other characters become `?`.
 */
export function printableAscii(text: string): string {
  return Array.from(singleLine(text, Number.MAX_SAFE_INTEGER).normalize('NFKD'))
    .filter((char) => !/\p{M}/u.test(char))
    .map((char) => (/^[\x20-\x7e]$/.test(char) ? char : (LATIN_FOLDS[char] ?? '?')))
    .join('');
}
