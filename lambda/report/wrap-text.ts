/**
 * Text for a fixed-width terminal: words wrapped at a width, and ARNs and URLs (which no width can
 * hold) replaced by `[n]` and listed once in a footer of references.
 */

/** An ARN or a URL: it goes to the footer, the text keeps its number. */
const REFERENCE = /^(arn:[\w-]+:|https?:\/\/)/;
/** Punctuation that ends a sentence around a reference but is not part of it. */
const TRAILING = /[),.;:]+$/;

/** The ARNs and URLs of a rendering, numbered in the order they are first cited. */
export class References {
  private readonly numbers = new Map<string, number>();

  cite(target: string): string {
    let number = this.numbers.get(target);
    if (number === undefined) {
      number = this.numbers.size + 1;
      this.numbers.set(target, number);
    }
    return `[${number}]`;
  }

  /** `  [1] arn:...`, one per line: the only lines allowed past the width. */
  footer(): string[] {
    return [...this.numbers.entries()].map(([target, number]) => `  [${number}] ${target}`);
  }

  get size(): number {
    return this.numbers.size;
  }
}

/** Replaces every ARN and URL in `text` by its reference number. */
export function citeReferences(text: string, references: References): string {
  return text
    .split(' ')
    .map((word) => {
      const opening = /^[(]+/.exec(word)?.[0] ?? '';
      const rest = word.slice(opening.length);
      if (!REFERENCE.test(rest)) return word;
      const closing = TRAILING.exec(rest)?.[0] ?? '';
      return `${opening}${references.cite(rest.slice(0, rest.length - closing.length))}${closing}`;
    })
    .join(' ');
}

/** Greedy word wrap; a word longer than the line is cut, so no line exceeds `width`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let piece = word; piece.length > 0; ) {
      const candidate = line ? `${line} ${piece}` : piece;
      if (candidate.length <= room) {
        line = candidate;
        piece = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(piece.slice(0, room));
        piece = piece.slice(room);
      }
    }
  }
  if (line) lines.push(line);
  return lines.map((each) => `${indent}${each}`);
}
