/**
 * The artifact the stack ships, not the sources: the handler bundled by esbuild with the SDK inside
 * (modules loaded on first use included), run in a fresh Node.js process against the emulator. Two
 * scheduled runs: the first announces the broken account's findings, the second has nothing new.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import type { RunSummary } from '../../lambda/handler';
import { bundleHandler, VARIANTS } from '../../scripts/measure-cold-start';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';

const TABLE = 'bundled-handler-state';

/** Invokes the bundle's handler twice with a scheduled event, in a process that has never seen the sources. */
const RUNNER = `
const { handler } = require(process.argv[1]);
const context = { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 120000 };
const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
(async () => {
  const first = await handler(event, context);
  const second = await handler(event, context);
  process.stdout.write('\\nRESULT ' + JSON.stringify([first, second]) + '\\n');
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

describe('the bundled Lambda handler', () => {
  const aws = useEmulator();
  let directory: string;
  let bundle: string;
  let topicArn: string;

  beforeAll(async () => {
    const dist = join(__dirname, '..', '..', 'dist');
    mkdirSync(dist, { recursive: true });
    directory = mkdtempSync(join(dist, 'bundled-handler-'));
    const shipped = VARIANTS.find((variant) => variant.name === 'sdk-bundled');
    if (!shipped) throw new Error('the sdk-bundled variant is gone');
    bundle = await bundleHandler(shipped, directory);

    const clients = aws.clients({ rateLimits: false });
    await seedAccount(clients, BROKEN_ACCOUNT, new Date());
    topicArn =
      (await clients.sns.send(new CreateTopicCommand({ Name: 'bundled-handler-findings' }))).TopicArn ?? '';
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'findingId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('audits, announces the findings once, and finds nothing new on the next run', () => {
    // Act
    const run = spawnSync(process.execPath, ['-e', RUNNER, bundle], {
      encoding: 'utf8',
      timeout: 100_000,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: TEST_REGION,
        AWS_ENDPOINT_URL: aws.emulator().endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TOPIC_ARN: topicArn,
        STATE_TABLE_NAME: TABLE,
        POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
        POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorBundleTest',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });

    // Assert
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    // stdout also carries the function's EMF metrics and logs, one JSON document per line
    const result = run.stdout.split('\n').find((line) => line.startsWith('RESULT '));
    const [first, second] = JSON.parse(result?.slice('RESULT '.length) ?? 'null') as [RunSummary, RunSummary];
    expect(first.stages['high-frequency']).toBeGreaterThanOrEqual(1);
    expect(first.findings.FAIL).toBeGreaterThanOrEqual(5);
    expect(first.notification?.published).toBeGreaterThanOrEqual(1);
    expect(second.findings.FAIL).toBe(first.findings.FAIL);
    expect(second.notification?.published).toBe(0);
  });
});
