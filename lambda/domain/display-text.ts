/**
 * The one place where untrusted text (names and messages that carry names read from AWS: API, stage,
 * VPC link and load balancer names are free text) becomes displayable text, with one function per
 * output. Every function returns one line of valid Unicode, capped in length, without:
 * - control characters (C0, C1, DEL: line breaks, the terminal's escape sequences) and line or
 *   paragraph separators: they become spaces, so a name cannot add a line;
 * - format characters (zero-width, bidirectional marks, embeddings, overrides and isolates, tag
 *   characters, the soft hyphen), private-use and unassigned code points: removed, so a name cannot
 *   hide or reorder text;
 * - a URL scheme separator or a `www.` host: `https://x` becomes `https[:]//x` and `www.x` `www[.]x`;
 *   a script or mail scheme (`javascript:`, `mailto:`...) `javascript[:]`, an e-mail address `a[@]b.c`,
 *   so a name cannot add a link that a mail client, a terminal or a chat client would make clickable;
 * - in an email subject, also a bare domain: `evil.example` becomes `evil[.]example` (mail clients
 *   make links of bare domains; ARNs and ids hold no such dot).
 * Markdown outputs escape the characters that start Markdown syntax, or put the text in a code span.
 */

const TO_SPACE = /[\p{Cc}\p{Zl}\p{Zp}\p{Zs}]/gu;
const REMOVED = /[\p{Cf}\p{Co}\p{Cn}]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SCHEME_SEPARATOR = /:(?=\/\/)/g;
const WWW_HOST = /(www)\./gi;
/** Schemes a client runs or opens without `//`: `javascript:alert(1)`, `mailto:x@y`, `data:text/html,...`. */
const BARE_SCHEME = /\b(javascript|vbscript|mailto|data(?=:\S)|file(?=:\S))\s*:/gi;
/** The `@` of an e-mail address: something, `@`, then a host with a dot. */
const MAIL_AT = /(?<=[\w.+-])@(?=[\w-]+\.[\w.-])/g;
/** The dot of a bare domain: between a letter or digit and a letter (`evil.example`, `a.b.co`). */
const DOMAIN_DOT = /(?<=[A-Za-z0-9])\.(?=[A-Za-z])/g;
/** What starts Markdown (and GitHub's autolinks, entities) anywhere in a line: escaped with a backslash. */
const MARKDOWN_SYNTAX = /[\\`*_[\]<>#|~@&]/g;
/** What starts a list item at the beginning of a line (or of a list item's text). */
const LIST_MARKER = /^([-+]|\d+[.)])/;

/** Cuts to at most `max` code points (never inside a surrogate pair), marking the cut with `...`. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  if (max <= 3) return points.slice(0, max).join('');
  return `${points.slice(0, max - 3).join('')}...`;
}

/** The text with each lone surrogate (which encodeURIComponent and some clients refuse) replaced by U+FFFD. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\ufffd');

/** The rules every output shares: one clean line, no link, at most `max` code points. */
function displayLine(text: string, max: number): string {
  const cleaned = wellFormed(text)
    .replace(REMOVED, '')
    .replace(TO_SPACE, ' ')
    .replace(SCHEME_SEPARATOR, '[:]')
    .replace(BARE_SCHEME, '$1[:]')
    .replace(MAIL_AT, '[@]')
    .replace(WWW_HOST, '$1[.]')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(cleaned, max);
}

/** For building a finding's message from names (checks): one clean line; each output still applies its own rules. */
export const singleLine = (text: string, max = 200): string => displayLine(text, max);

/** Plain-text email body. */
export const emailText = (text: string, max = 300): string => displayLine(text, max);

/** A terminal or a CI log (the CLI's text output). */
export const terminalText = (text: string, max = 2000): string => displayLine(text, max);

/** Markdown prose (the Markdown report, a table cell or list item): syntax characters escaped. */
export function markdownText(text: string, max = 2000): string {
  // Cut first, so the cut never falls between a backslash and what it escapes.
  return displayLine(text, max)
    .replace(MARKDOWN_SYNTAX, '\\$&')
    .replace(LIST_MARKER, (marker) => `${marker.slice(0, -1)}\\${marker.slice(-1)}`);
}

/** A Markdown code span (names in chat and Markdown): nothing inside is markup, no backtick can end it early. */
export const markdownCode = (text: string, max = 120): string =>
  `\`${displayLine(text, max).replace(/`/g, "'") || ' '}\``;

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
 * An email subject: printable ASCII only (SNS rewrites subjects that hold anything else): accents are
 * dropped (`Café` -> `Cafe`), other characters become `?`.
 */
export function printableAscii(text: string): string {
  return Array.from(displayLine(text, Number.MAX_SAFE_INTEGER).normalize('NFKD'))
    .filter((char) => !/\p{M}/u.test(char))
    .map((char) => (/^[\x20-\x7e]$/.test(char) ? char : (LATIN_FOLDS[char] ?? '?')))
    .join('')
    .replace(DOMAIN_DOT, '[.]');
}

/**
 * A field of a machine-read record (ASFF and OCSF JSON, JUnit XML attributes): one clean line, no
 * link; the format's own encoding (JSON, XML escaping) still applies after it.
 */
export const recordText = (text: string, max = 4000): string => displayLine(text, max);

/** What makes a spreadsheet run a cell as a formula. */
const FORMULA_START = /^[=+\-@]/;

/**
 * A CSV cell's text (before RFC 4180 quoting): one clean line, no link, and a cell a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`) prefixed with `'`.
 */
export function csvText(text: string, max = 4000): string {
  const line = displayLine(text, max);
  return FORMULA_START.test(line) ? `'${line}` : line;
}
