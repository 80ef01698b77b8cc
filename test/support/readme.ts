/** The README's fenced bash blocks, as the tests that run its commands read them. */

export interface BashBlock {
  /** `runnable` or `emulator` when an HTML comment marks the block (`<!-- runnable -->`). */
  marker?: string;
  /** One per command: continued lines (`\`) joined, comments and blank lines dropped. */
  commands: string[];
}

export function readmeBashBlocks(markdown: string): BashBlock[] {
  const blocks = [...markdown.matchAll(/(?:<!-- (\w+) -->\s*)?```bash\n([\s\S]*?)```/g)];
  return blocks.map(([, marker, body]) => ({
    ...(marker ? { marker } : {}),
    commands: (body ?? '')
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s+#\s.*$/, '').trim())
      .filter((line) => line && !line.startsWith('#')),
  }));
}
