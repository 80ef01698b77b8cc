/**
 * The alarm-triggered audit end to end against the emulator: a recorded "CloudWatch Alarm Contributor
 * State Change" (test/fixtures/alarm-events, shapes from the CloudWatch guide "Alarm events and
 * EventBridge") naming one failing stage of the broken shop goes through the real handler: triage of
 * that stage alone on a short window ending now, its path, the same de-duplication, SNS. The healthy
 * twin answers the same event with silence.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { MachineNotification } from '../../lambda/notify/notification-messages';
import { BROKEN_ACCOUNT, HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import dynamoDbContributor from '../fixtures/alarm-events/dynamodb-contributor-alarm.json';
import httpAlarmStateChange from '../fixtures/alarm-events/http-alarm-state-change.json';
import httpContributor from '../fixtures/alarm-events/http-contributor-alarm.json';
import { type EmulatorHandle, TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import { createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const TEST_TIMEOUT_MS = 90_000;
// As in Lambda: the account comes from the function's ARN, not from an STS call.
const lambdaContext = () => ({
  awsRequestId: 'alarm-test',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:auditor',
  getRemainingTimeInMillis: () => 120_000,
});

type Handler = typeof import('../../lambda/handler').handler;

/** The recorded HTTP contributor event, naming a seeded API's stage, emitted now. */
const contributorEvent = (apiId: string, stage = 'prod') => ({
  ...httpContributor,
  time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  detail: {
    ...httpContributor.detail,
    alarmContributor: {
      ...httpContributor.detail.alarmContributor,
      attributes: { ApiId: apiId, Stage: stage },
    },
  },
});

/** Seeds an account, a topic with a queue subscribed, the state table, and points the handler at them. */
function useAlarmedAccount(aws: EmulatorHandle, spec: typeof BROKEN_ACCOUNT, name: string) {
  const savedEnv = { ...process.env };
  const state = {} as { seeded: SeededAccount; notify: NotifyFixture; handler: Handler };
  beforeAll(async () => {
    const clients = aws.clients({ rateLimits: false });
    state.seeded = await seedAccount(clients, spec, new Date());
    state.notify = await createNotifyFixture(
      clients,
      { region: TEST_REGION, endpoint: aws.emulator().endpoint, credentials: TEST_CREDENTIALS },
      name,
    );
    Object.assign(process.env, {
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: aws.emulator().endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOPIC_ARN: state.notify.topicArn,
      STATE_TABLE_NAME: state.notify.tableName,
      POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
      POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorAlarmTest',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler: state.handler } = await import('../../lambda/handler'));
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  }, TEST_TIMEOUT_MS);
  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });
  return state;
}

describe('an alarm contributor event against the broken account', () => {
  const aws = useEmulator();
  const account = useAlarmedAccount(aws, BROKEN_ACCOUNT, 'alarm-broken');
  const ordersId = () => account.seeded.httpApis['orders-http'] ?? '';

  it(
    'audits exactly the stage the event names, finds its faults, and publishes once, marked alarm-triggered',
    async () => {
      // Arrange
      const event = contributorEvent(ordersId());
      const started = Date.now();

      // Act
      const summary = await account.handler(event, lambdaContext());
      const envelopes = await drainQueue(account.notify);
      const eventToNotificationMs = Date.now() - started;

      // Assert
      expect(summary.trigger).toBe('alarm');
      expect(summary.complete).toBe(true);
      expect(summary.stages).toMatchObject({ 'high-frequency': 1, 'low-frequency': 0, healthy: 0 });
      expect(envelopes).toHaveLength(1);
      const [envelope] = envelopes;
      expect(envelope?.Subject).toMatch(/^\[\w+\] \[alarm-triggered\] 504s on orders-http\/prod: /);
      expect(envelope?.MessageAttributes?.trigger).toEqual({ Type: 'String', Value: 'alarm' });
      const machine = JSON.parse(envelope?.Message ?? '{}') as MachineNotification;
      const report = machine.report;
      expect(report.window.periodSeconds).toBe(60);
      expect(Date.parse(report.window.end) - Date.parse(report.window.start)).toBe(15 * 60_000);
      expect(report.apis.map((api) => `${api.apiName}/${api.stage}`)).toEqual(['orders-http/prod']);
      for (const finding of report.findings) {
        expect(finding.apis).toEqual([{ apiId: ordersId(), stage: 'prod' }]);
      }
      const nlb = account.seeded.loadBalancers['orders-nlb']?.arn;
      const ordersTg = account.seeded.targetGroups['orders-tg'];
      const targetsGroup = `arn:aws:ec2:us-east-1:123456789012:security-group/${account.seeded.securityGroups['orders-targets']}`;
      // Every FAIL/WARN/ERROR of the audit: the orders path's faults, none of catalog's or payments'.
      const attention = summary.attention.map((finding) => `${finding.checkId} ${finding.resourceArn}`);
      expect(attention.sort()).toEqual(
        [
          `lb-cross-zone ${ordersTg}`,
          // One finding on the targets' security group, not one per instance.
          `nlb-target-security-groups ${targetsGroup}`,
          `nlb-tcp-target-resets ${nlb}`,
          // The resets climb in the periods the stage fails, and the group checks health over TCP.
          `target-resets-coincide ${nlb}`,
          `tg-empty-az ${ordersTg}`,
          `tg-tcp-health-check ${ordersTg}`,
          `tg-unhealthy-az ${ordersTg}`,
          `vpc-flow-logs ${nlb}`,
        ].sort(),
      );
      // What is announced (at or above the notify severity) is a subset of those, on that stage only.
      expect(report.findings.length).toBeGreaterThan(0);
      for (const finding of report.findings) {
        expect(attention).toContain(`${finding.checkId} ${finding.resourceArn}`);
      }
      // Only the named stage's kind of API is listed, and no metric listing: the event names the series.
      expect(Object.keys(report.stats.awsCalls)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/ListMetrics|GetRestApis/)]),
      );
      expect(report.stats.awsCalls['CloudWatch.GetMetricData']).toBeGreaterThan(0);
      process.stderr.write(
        `alarm-triggered audit of one stage: event-to-notification ${eventToNotificationMs} ms, ` +
          `audit ${report.stats.durationMs} ms, AWS calls ${JSON.stringify(report.stats.awsCalls)}\n`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'publishes once for a burst of events naming the same stage',
    async () => {
      // Arrange: a fresh state table, so the first event of the burst is the first the auditor sees.
      const clients = aws.clients({ rateLimits: false });
      await clients.dynamodb.send(new DeleteTableCommand({ TableName: account.notify.tableName }));
      account.notify = await createNotifyFixture(
        clients,
        { region: TEST_REGION, endpoint: aws.emulator().endpoint, credentials: TEST_CREDENTIALS },
        'alarm-burst',
      );
      process.env.TOPIC_ARN = account.notify.topicArn;
      process.env.STATE_TABLE_NAME = account.notify.tableName;

      // Act: one invocation at a time, as the function's reserved concurrency of 1 runs them.
      const published: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const summary = await account.handler(contributorEvent(ordersId()), lambdaContext());
        published.push(summary.notification?.published ?? -1);
      }

      // Assert
      expect(published).toEqual([1, 0, 0, 0]);
      expect(await drainQueue(account.notify)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('an alarm contributor event against the healthy twin', () => {
  const aws = useEmulator();
  const account = useAlarmedAccount(aws, HEALTHY_TWIN, 'alarm-twin');

  it(
    'audits the named stage, finds nothing wrong on its path, and publishes nothing',
    async () => {
      // Arrange
      const event = contributorEvent(account.seeded.httpApis['orders-http'] ?? '');

      // Act
      const summary = await account.handler(event, lambdaContext());

      // Assert
      expect(summary.trigger).toBe('alarm');
      expect(summary.stages['high-frequency']).toBe(1);
      expect(summary.attention).toEqual([]);
      expect(summary.notification?.published).toBe(0);
      expect(await drainQueue(account.notify)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('events the auditor refuses', () => {
  const savedEnv = { ...process.env };
  let requests = 0;
  let server: Server;
  let handler: Handler;

  beforeAll(async () => {
    // Every AWS call would land here: the refused events must make none.
    server = createServer((_request, response) => {
      requests += 1;
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOPIC_ARN: `arn:aws:sns:${TEST_REGION}:123456789012:never`,
      STATE_TABLE_NAME: 'never-read',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = await import('../../lambda/handler'));
  });
  afterAll(async () => {
    process.env = savedEnv;
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['the alarm-level state change (names no stage)', httpAlarmStateChange, /names no stage/],
    [
      'another alarm’s contributor (the documented DynamoDB example)',
      dynamoDbContributor,
      /"AWS\/ApiGateway"/,
    ],
    [
      'a contributor back to OK',
      { ...httpContributor, detail: { ...httpContributor.detail, state: { value: 'OK', timestamp: 'now' } } },
      /only a contributor entering ALARM/,
    ],
    [
      'a truncated event',
      { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm Contributor State Change' },
      /version/,
    ],
  ])('refuses %s with the reason, and calls no AWS API', async (_name, event, reason) => {
    // Arrange
    const before = requests;

    // Act
    const run = handler(event, lambdaContext());

    // Assert
    await expect(run).rejects.toThrow(reason);
    await expect(run).rejects.toHaveProperty('name', 'InvalidEventError');
    expect(requests).toBe(before);
  });
});
