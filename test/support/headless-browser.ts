/**
 * A real Chromium for tests, from the npm package @sparticuz/chromium (the browser ships inside it,
 * unpacked into the temp folder on first use: nothing is downloaded), driven by playwright-core.
 * The flags keep Chromium off the network: this machine refuses its background connections.
 */
import { execFileSync } from 'node:child_process';
import { type Browser, chromium as playwright } from 'playwright-core';

const OFFLINE_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The package is ES modules only, which Jest's CommonJS runtime cannot load: ask a plain node. */
const UNPACK_CHROMIUM = `
import chromium from '@sparticuz/chromium';
process.stdout.write(JSON.stringify({ executablePath: await chromium.executablePath(), args: chromium.args }));
`;

export async function launchHeadlessChromium(): Promise<Browser> {
  const { executablePath, args } = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', UNPACK_CHROMIUM], {
      cwd: __dirname,
      encoding: 'utf8',
    }),
  ) as { executablePath: string; args: string[] };
  // --single-process suits Lambda's sandbox; here it ends the browser when its first page closes.
  const flags = args.filter((flag) => flag !== '--single-process');
  return playwright.launch({ executablePath, args: [...flags, ...OFFLINE_FLAGS], headless: true });
}
