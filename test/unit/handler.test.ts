/**
 * The handler's own decisions, with the audit and notify modules replaced by jest.mock: which calls
 * happen for which event, what it returns, what it publishes as metrics. The emulator-backed
 * end-to-end run (real audit, real SNS and DynamoDB on the moto server) is in test/integration.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Finding, Report } from '../../lambda/domain/types';

jest.mock('../../lambda/audit', () => ({ runAudit: jest.fn() }));
jest.mock('../../lambda/notify/publish-report', () => ({ notifyReport: jest.fn() }));
jest.mock('../../lambda/notify/dynamodb-state-store', () => ({
  DynamoDbStateStore: jest.fn().mockImplementation((_client: unknown, tableName: string) => ({ tableName })),
}));

import { runAudit } from '../../lambda/audit';
import { notifyReport } from '../../lambda/notify/publish-report';

const runAuditMock = jest.mocked(runAudit);
const notifyReportMock = jest.mocked(notifyReport);

const ENVIRONMENT = {
  AWS_REGION: 'eu-west-1',
  AUDIT_REGIONS: 'eu-west-1,us-east-1',
  LOOKBACK_MINUTES: '60',
  PERIOD_SECONDS: '300',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:findings',
  STATE_TABLE_NAME: 'auditor-state',
  MIN_SEVERITY: 'high',
  POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
  POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorTest',
};

const finding = (overrides: Partial<Finding>): Finding => ({
  id: 'f1',
  checkId: 'tg-unhealthy-az',
  status: 'FAIL',
  severity: 'high',
  region: 'eu-west-1',
  resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/1',
  apis: [{ apiId: 'a1b2c3d4e5', stage: 'prod' }],
  title: 'A zone has no healthy target',
  message: 'eu-west-1b has 0 healthy targets',
  remediation: 'Register a healthy target in eu-west-1b',
  docs: [],
  evidence: {},
  ...overrides,
});

const REPORT: Report = {
  schemaVersion: 1,
  tool: { name: 'api-network-auditor', version: '0.1.0' },
  generatedAt: '2026-11-29T12:00:00.000Z',
  complete: true,
  incompleteReasons: [],
  account: '123456789012',
  regions: ['eu-west-1', 'us-east-1'],
  window: { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 300 },
  thresholds: { highErrorRatio: 0.05, continuousPeriodShare: 0.5, minRequests: 100 },
  apis: [
    {
      region: 'eu-west-1',
      apiId: 'a1b2c3d4e5',
      apiName: 'orders',
      apiType: 'REST',
      stage: 'prod',
      requests: 1200,
      errors5xx: 300,
      errorRatio: 0.25,
      periodsWithErrors: 12,
      periods: 12,
      classification: 'high-frequency',
    },
    {
      region: 'us-east-1',
      apiId: 'zz99yy88xx',
      apiName: 'users',
      apiType: 'HTTP',
      stage: '$default',
      requests: 0,
      errors5xx: 0,
      errorRatio: 0,
      periodsWithErrors: 0,
      periods: 12,
      classification: 'no-traffic',
    },
  ],
  findings: [
    finding({ id: 'f1', status: 'PASS', severity: 'medium', checkId: 'lb-cross-zone' }),
    finding({ id: 'f2', status: 'WARN', severity: 'low', checkId: 'vpc-flow-logs' }),
    finding({ id: 'f3', status: 'FAIL', severity: 'critical', checkId: 'tg-empty-az' }),
  ],
  stats: {
    durationMs: 4321,
    awsCalls: { 'APIGateway.GetRestApis': 2, 'CloudWatch.GetMetricData': 3 },
    retries: 0,
  },
};

const OUTCOME = { published: 1, changed: 1, resolved: 0, reminders: 0 };

const lambdaContext = (remainingMs = 300_000) => ({
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => remainingMs,
});

/** The EMF documents the handler wrote to stdout. */
function emfDocuments(writes: unknown[][]): Record<string, unknown>[] {
  return writes
    .flatMap(([chunk]) => String(chunk).split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('handler', () => {
  const savedEnvironment = process.env;
  let handlerModule: typeof import('../../lambda/handler');
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    process.env = { ...savedEnvironment, ...ENVIRONMENT };
    handlerModule = await import('../../lambda/handler');
  });

  afterAll(() => {
    process.env = savedEnvironment;
  });

  beforeEach(() => {
    runAuditMock.mockReset().mockResolvedValue(REPORT);
    notifyReportMock.mockReset().mockResolvedValue(OUTCOME);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stdout.mockRestore();
  });

  it('audits the deployed Regions and notifies on a scheduled event', async () => {
    // Arrange
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

    // Act
    const summary = await handlerModule.handler(event, lambdaContext());

    // Assert
    expect(runAuditMock).toHaveBeenCalledTimes(1);
    expect(runAuditMock.mock.calls[0]?.[0]).toMatchObject({
      regions: ['eu-west-1', 'us-east-1'],
      lookbackMinutes: 60,
      periodSeconds: 300,
      allChecks: false,
      thresholds: { highErrorRatio: 0.05, continuousPeriodShare: 0.5, minRequests: 100 },
    });
    expect(notifyReportMock).toHaveBeenCalledWith(
      REPORT,
      expect.objectContaining({
        topicArn: ENVIRONMENT.TOPIC_ARN,
        settings: { minSeverity: 'high', reminderIntervalHours: 24, sendAllClear: true },
        store: { tableName: 'auditor-state' },
      }),
    );
    expect(summary).toMatchObject({
      trigger: 'schedule',
      dryRun: false,
      stages: { 'no-traffic': 1, healthy: 0, 'low-frequency': 0, 'high-frequency': 1 },
      findings: { FAIL: 1, WARN: 1, PASS: 1, ERROR: 0, SKIPPED: 0 },
      notification: OUTCOME,
      awsCalls: 5,
      durationMs: 4321,
    });
    expect(summary.attention.map((item) => item.checkId)).toEqual(['tg-empty-az', 'vpc-flow-logs']);
  });

  it('passes the console event’s API ids, Regions, lookback and allChecks to the audit', async () => {
    // Arrange
    const event = { apiIds: ['a1b2c3d4e5'], regions: ['ap-south-1'], lookbackMinutes: 180, allChecks: true };

    // Act
    await handlerModule.handler(event, lambdaContext());

    // Assert
    expect(runAuditMock.mock.calls[0]?.[0]).toMatchObject({
      apiIds: ['a1b2c3d4e5'],
      regions: ['ap-south-1'],
      lookbackMinutes: 180,
      allChecks: true,
    });
  });

  it('rejects an invalid event before any audit or notification', async () => {
    // Arrange
    const event = { apiIds: ['NOT-AN-ID'], lookbackMinutes: 1 };

    // Act
    const run = handlerModule.handler(event, lambdaContext());

    // Assert
    await expect(run).rejects.toThrow(/apiIds\.0: .*lookbackMinutes: must be at least 5 minutes/);
    expect(runAuditMock).not.toHaveBeenCalled();
    expect(notifyReportMock).not.toHaveBeenCalled();
  });

  it('audits without notifying on a dry run', async () => {
    // Arrange
    const event = { dryRun: true };

    // Act
    const summary = await handlerModule.handler(event, lambdaContext());

    // Assert
    expect(runAuditMock).toHaveBeenCalledTimes(1);
    expect(notifyReportMock).not.toHaveBeenCalled();
    expect(summary.dryRun).toBe(true);
    expect(summary.notification).toBeNull();
  });

  it('audits without notifying when a manual run widens the checks without "commit"', async () => {
    // Act
    const summary = await handlerModule.handler({ allChecks: true }, lambdaContext());

    // Assert
    expect(runAuditMock).toHaveBeenCalledWith(expect.objectContaining({ allChecks: true }));
    expect(notifyReportMock).not.toHaveBeenCalled();
    expect(summary).toMatchObject({ dryRun: true, notification: null });
    expect(summary.dryRunReason).toContain('"commit": true');
  });

  it('notifies a widened manual run that says "commit": true', async () => {
    // Act
    const summary = await handlerModule.handler({ allChecks: true, commit: true }, lambdaContext());

    // Assert
    expect(notifyReportMock).toHaveBeenCalledTimes(1);
    expect(summary.dryRun).toBe(false);
  });

  it('fails the invocation when notifying fails, so the dead-letter queue and the alarm see it', async () => {
    // Arrange
    notifyReportMock.mockRejectedValue(new Error('AuthorizationError: not allowed to publish'));

    // Act
    const run = handlerModule.handler({}, lambdaContext());

    // Assert
    await expect(run).rejects.toThrow('AuthorizationError: not allowed to publish');
  });

  it('gives the audit a deadline that leaves time to notify before the function times out', async () => {
    // Arrange
    const before = Date.now();

    // Act
    await handlerModule.handler({}, lambdaContext(300_000));

    // Assert: 10% of the 300 s left is kept for notifying
    const deadline = runAuditMock.mock.calls[0]?.[0].deadline ?? 0;
    expect(deadline).toBeGreaterThanOrEqual(before + 270_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 270_000);
  });

  it("names the audited account from the function's own ARN, so no STS call is needed", async () => {
    // Act
    await handlerModule.handler(
      { dryRun: true },
      {
        ...lambdaContext(),
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:210987654321:function:auditor',
      },
    );

    // Assert
    expect(runAuditMock.mock.calls[0]?.[0].account).toBe('210987654321');
  });

  it('leaves the account to the audit when the context carries no function ARN', async () => {
    // Act
    await handlerModule.handler({ dryRun: true }, lambdaContext());

    // Assert
    expect(runAuditMock.mock.calls[0]?.[0]).not.toHaveProperty('account');
  });

  it('warns in its log of a mute rule that expired, as the CLI does, and not of one still in force', async () => {
    const mutes = [
      { findingId: 'f-old', reason: 'accepted until the migration', expires: '2020-01-31' },
      { findingId: 'f-new', reason: 'accepted risk', expires: '2999-01-31' },
    ];
    process.env.SUPPRESSIONS = JSON.stringify({ mutes });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    let calls: unknown[][] = [];
    try {
      await handlerModule.handler({ dryRun: true }, lambdaContext());
      calls = warn.mock.calls;
    } finally {
      delete process.env.SUPPRESSIONS;
      warn.mockRestore();
    }
    expect(calls).toEqual([
      [
        'A mute rule expired: its findings are reported again',
        { rule: expect.objectContaining({ findingId: 'f-old' }) },
      ],
    ]);
  });

  it('publishes the dashboard metrics: stages by classification, findings by severity, calls and duration', async () => {
    // Arrange / Act
    await handlerModule.handler({ dryRun: true }, lambdaContext());

    // Assert
    const documents = emfDocuments(stdout.mock.calls);
    const highFrequency = documents.find((doc) => doc.classification === 'high-frequency');
    const critical = documents.find((doc) => doc.severity === 'critical');
    const medium = documents.find((doc) => doc.severity === 'medium');
    const totals = documents.find((doc) => 'AwsCalls' in doc);
    expect(highFrequency).toMatchObject({ StagesAudited: 1, service: 'api-network-auditor' });
    expect(critical).toMatchObject({ Findings: 1 });
    expect(medium).toMatchObject({ Findings: 0 }); // a PASS is not a finding to act on
    expect(totals).toMatchObject({ AwsCalls: 5, AuditDurationMs: 4321 });
    expect(documents.filter((doc) => 'StagesAudited' in doc)).toHaveLength(4);
  });
});

describe('auditDeadline', () => {
  it('keeps at least 15 seconds for notifying', async () => {
    // Arrange
    const { auditDeadline } = await import('../../lambda/handler');

    // Act / Assert
    expect(auditDeadline(1_000_000, 60_000)).toBe(1_045_000);
  });

  it('never keeps more than half of a short remaining time', async () => {
    // Arrange
    const { auditDeadline } = await import('../../lambda/handler');

    // Act / Assert
    expect(auditDeadline(0, 20_000)).toBe(10_000);
  });
});
