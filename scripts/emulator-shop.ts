/**
 * `npm run emulator`: the local AWS emulator with the demo shop in it, left running so that you can
 * try the CLI (every flag, every format) on it from another terminal. Prints the lines that point
 * the CLI at it, then waits for Ctrl-C and stops the emulator.
 */
import { createClients } from '../lambda/collect/clients';
import { DEMO_END_TIME } from './demo';
import { ensureEmulatorInstalled, startEmulator } from './emulator';
import { DEMO_ACCOUNT } from './seed/demo-account';
import { seedAccount } from './seed/seed-account';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The one ERROR `--checks all` shows here and would not on AWS (notes/emulator.md): moto's REST
 * PutIntegration drops `connectionId`, so the VPC link of payments-rest's POST /payments is lost.
 */
export const EMULATOR_GAP =
  'With --checks all, vpc-link-status reports one ERROR, on payments-rest POST /payments: the ' +
  "emulator (moto) drops a REST integration's connectionId, so its VPC link cannot be read (hence the " +
  'warning that the audit is incomplete). AWS keeps it.';

/** What a person pastes into another terminal: stdout, one command a line. */
export function pointTheCliAt(endpoint: string): string {
  return [
    `export AWS_ENDPOINT_URL=${endpoint}`,
    `export AWS_ACCESS_KEY_ID=${CREDENTIALS.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${CREDENTIALS.secretAccessKey}`,
    `export AWS_REGION=${REGION}`,
    `npm run -s audit -- --end-time ${DEMO_END_TIME}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  ensureEmulatorInstalled(say);
  say('Starting the local AWS emulator (moto server)...');
  const emulator = await startEmulator();
  const stop = async () => {
    say('Stopping the emulator...');
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  say('Building the demo shop: 7 APIs, an NLB and an ALB, with faults injected...');
  const clients = createClients({ region: REGION, endpoint: emulator.endpoint, credentials: CREDENTIALS });
  await seedAccount(clients, DEMO_ACCOUNT, new Date(DEMO_END_TIME));
  say(
    `The demo shop is running at ${emulator.endpoint} (account 123456789012). ` +
      'Point the CLI at it from another terminal of this folder:\n',
  );
  process.stdout.write(pointTheCliAt(emulator.endpoint));
  say(`\nThe shop's metrics cover the hour before ${DEMO_END_TIME}: keep --end-time.`);
  say('Add any flag: --format html --output audit.html, --checks all, --api ID.');
  say(EMULATOR_GAP);
  say('Ctrl-C stops the emulator.');
  // The emulator child keeps the event loop alive until a signal stops it.
}

main().catch((error: unknown) => {
  say(`emulator failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
