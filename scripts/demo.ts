/**
 * `npm run demo [-- --format json]`: what the auditor finds, with no AWS account.
 * Starts the local AWS emulator, builds a small shop in it (REST and HTTP APIs behind an NLB and an
 * ALB: idle, healthy, sporadic and failing ones, with the article's faults injected), audits it
 * through the CLI, prints the report and the email that would be sent, and stops the emulator.
 * The clock is fixed, so every run shows the same window and findings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryStateStore } from '../lambda/cli/memory-state-store';
import { createClients } from '../lambda/collect/clients';
import type { Report } from '../lambda/domain/types';
import { notifyReport } from '../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../lambda/notify/settings';
import { renderText } from '../lambda/report/render-text';
import { ensureEmulatorInstalled, startEmulator } from './emulator';
import { DEMO_ACCOUNT } from './seed/demo-account';
import { seedAccount } from './seed/seed-account';

/** The demo's fixed clock: the audited hour ends here. */
export const DEMO_END_TIME = '2026-11-29T12:00:00Z';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const DEMO_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:api-network-auditor-demo';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const say = (line: string) => process.stderr.write(`${line}\n`);

function runCliAgainst(endpoint: string, reportFile: string): number {
  const cli = join(__dirname, '..', 'bin', 'api-network-auditor.js');
  const args = ['--endpoint-url', endpoint, '--region', REGION, '--end-time', DEMO_END_TIME];
  say(`$ api-network-auditor ${args.join(' ')} --format json --output ${reportFile}`);
  const result = spawnSync(process.execPath, [cli, ...args, '--format', 'json', '--output', reportFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  if (result.status === null || result.status === 2) {
    throw new Error(`the CLI could not run the audit (exit ${result.status ?? result.signal})`);
  }
  return result.status;
}

/** The email a first run would send: what the notifier would publish, read back without sending. */
async function emailFor(report: Report, endpoint: string): Promise<string> {
  const sns = createClients({ region: REGION, endpoint, credentials: CREDENTIALS }).sns;
  const outcome = await notifyReport(report, {
    sns,
    topicArn: DEMO_TOPIC_ARN,
    store: new MemoryStateStore(),
    settings: DEFAULT_NOTIFY_SETTINGS,
    now: new Date(report.generatedAt),
    dryRun: true,
  });
  const first = outcome.wouldPublish?.[0];
  if (!first?.Message) return '(no email: nothing at or above the notification severity)';
  const bodies = JSON.parse(first.Message) as { email?: string; default: string };
  return `Subject: ${first.Subject ?? ''}\n\n${bodies.email ?? bodies.default}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { format: { type: 'string', default: 'text' } }, strict: true });
  if (values.format !== 'text' && values.format !== 'json') {
    throw new Error(`--format must be text or json (got ${values.format})`);
  }

  ensureEmulatorInstalled(say);
  say('Starting the local AWS emulator (moto server)...');
  const emulator = await startEmulator();
  const workDir = mkdtempSync(join(tmpdir(), 'auditor-demo-'));
  try {
    say('Building the demo account: 7 APIs, an NLB and an ALB, with faults injected...');
    const clients = createClients({ region: REGION, endpoint: emulator.endpoint, credentials: CREDENTIALS });
    await seedAccount(clients, DEMO_ACCOUNT, new Date(DEMO_END_TIME));

    const reportFile = join(workDir, 'report.json');
    const exitCode = runCliAgainst(emulator.endpoint, reportFile);
    const json = readFileSync(reportFile, 'utf8');
    if (values.format === 'json') {
      process.stdout.write(json);
      return;
    }
    const report = JSON.parse(json) as Report;
    const rule = '-'.repeat(80);
    process.stdout.write(`${renderText(report, { color: Boolean(process.stdout.isTTY) })}\n`);
    process.stdout.write(
      `(the CLI exited ${exitCode}: ${exitCode === 1 ? 'FAIL findings' : 'no FAIL finding'})\n\n`,
    );
    process.stdout.write(
      `${rule}\nThe email the SNS topic would send:\n${rule}\n${await emailFor(report, emulator.endpoint)}\n`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await emulator.stop();
  }
}

// Run as a script (npm run demo), not when `npm run emulator` imports the demo's clock.
if (require.main === module) {
  main().catch((error: unknown) => {
    say(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
}
