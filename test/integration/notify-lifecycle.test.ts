import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { DynamoDbStateStore } from '../../lambda/notify/dynamodb-state-store';
import type { MachineNotification } from '../../lambda/notify/notification-messages';
import { runIdOf } from '../../lambda/notify/notification-view';
import { planNotification } from '../../lambda/notify/plan-notification';
import { NotifyError, notifyReport } from '../../lambda/notify/publish-report';
import { renderEmailBody } from '../../lambda/notify/render-email';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { useEmulator } from '../support/emulator';
import { aFinding, aReport, aStage } from '../support/report-builders';
import { capturePublishes, createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const T0 = new Date('2026-11-29T12:00:00.000Z');
const hoursLater = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const settings = { ...DEFAULT_NOTIFY_SETTINGS, minSeverity: 'medium' as const, reminderIntervalHours: 24 };

describe('notifying a report through SNS with state in DynamoDB (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;
  const captured = capturePublishes();

  const deps = (now: Date, topicArn = fixture.topicArn) => {
    const clients = createClients(aws.target({ plugins: [captured.plugin] }), new CallStats());
    return {
      sns: clients.sns,
      topicArn,
      store: new DynamoDbStateStore(clients.dynamodb, fixture.tableName),
      settings,
      now,
    };
  };

  const storedStates = async () => {
    const documents = DynamoDBDocumentClient.from(aws.clients().dynamodb);
    const scan = await documents.send(
      new ScanCommand({ TableName: fixture.tableName, ConsistentRead: true }),
    );
    return (scan.Items ?? []).sort((a, b) => String(a.findingId).localeCompare(String(b.findingId)));
  };

  const unhealthy = aFinding();
  const crossZone = aFinding({
    checkId: 'lb-cross-zone',
    status: 'WARN',
    severity: 'medium',
    title: 'Cross-zone load balancing is off',
  });
  const report = (findings = [unhealthy, crossZone], generatedAt = T0) =>
    aReport({ findings, generatedAt: generatedAt.toISOString() });

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'lifecycle');
  });

  it('publishes every finding of a first run once, with subject, attributes and each protocol body', async () => {
    // Arrange
    const first = report();

    // Act
    const outcome = await notifyReport(first, deps(T0));

    // Assert
    expect(outcome).toMatchObject({ published: 1, changed: 2, newFindings: 2, resolved: 0, reminders: 0 });
    const [envelope, ...others] = await drainQueue(fixture);
    expect(others).toEqual([]);
    expect(envelope?.Subject).toBe(
      '[HIGH] 504s on orders/prod: tg-unhealthy-az orders-tg, 2 new (123456789012 us-east-1)',
    );
    expect(envelope?.MessageAttributes).toMatchObject({
      highestSeverity: { Type: 'String', Value: 'high' },
      account: { Type: 'String', Value: '123456789012' },
      region: { Type: 'String', Value: 'us-east-1' },
      failCount: { Type: 'Number', Value: '1' },
      findingCount: { Type: 'Number', Value: '2' },
    });
    const payload = JSON.parse(envelope?.Message ?? '{}') as MachineNotification;
    expect(payload.notification).toMatchObject({
      runId: runIdOf(first),
      part: 1,
      parts: 1,
      changes: { new: 2 },
    });
    expect(payload.changes.map((change) => [change.kind, change.findingId])).toEqual([
      ['new', unhealthy.id],
      ['new', crossZone.id],
    ]);
    const sent = JSON.parse(captured.inputs.at(-1)?.Message ?? '{}') as { email: string; https: string };
    const plan = planNotification(first, new Map(), settings, T0);
    expect(sent.email).toBe(renderEmailBody({ report: first, plan, runId: runIdOf(first) }));
    expect(sent.email).toContain('[NEW] FAIL (high) tg-unhealthy-az');
    expect(JSON.parse(sent.https)).toMatchObject({ version: '1.0', source: 'custom' });
    expect((await storedStates()).map((state) => [state.findingId, state.open, state.lastNotified])).toEqual(
      [unhealthy.id, crossZone.id].sort().map((id) => [id, true, T0.toISOString()]),
    );
  });

  it('sends nothing when an hour later the same findings are reported again', async () => {
    // Act
    const outcome = await notifyReport(report(undefined, hoursLater(1)), deps(hoursLater(1)));

    // Assert
    expect(outcome).toMatchObject({ published: 0, changed: 0, resolved: 0, reminders: 0 });
    expect(outcome.skippedReason).toMatch(/nothing new/);
    expect(await drainQueue(fixture)).toEqual([]);
    expect((await storedStates()).map((state) => state.lastSeen)).toEqual([
      hoursLater(1).toISOString(),
      hoursLater(1).toISOString(),
    ]);
  });

  it('raises NotifyError and leaves the state as it was when the topic refuses the publish', async () => {
    // Arrange
    const before = await storedStates();
    const missingTopic = `${fixture.topicArn}-that-does-not-exist`;

    // Act
    const attempt = notifyReport(
      report([aFinding({ status: 'PASS' }), crossZone], hoursLater(2)),
      deps(hoursLater(2), missingTopic),
    );

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(NotifyError);
    await expect(attempt).rejects.toMatchObject({
      step: 'publish',
      publishedParts: 0,
      cause: expect.any(Error),
    });
    expect(await storedStates()).toEqual(before);
    expect(await drainQueue(fixture)).toEqual([]);
  });

  it('announces the resolution of a finding that now passes, and only that', async () => {
    // Act
    const outcome = await notifyReport(
      report([aFinding({ status: 'PASS' }), crossZone], hoursLater(3)),
      deps(hoursLater(3)),
    );

    // Assert
    expect(outcome).toMatchObject({ published: 1, changed: 0, resolved: 1, reminders: 0, allClear: false });
    const [envelope] = await drainQueue(fixture);
    expect(envelope?.Subject).toBe(
      '[RESOLVED] 504s on orders/prod: no network cause found, 1 resolved (123456789012 us-east-1)',
    );
    const payload = JSON.parse(envelope?.Message ?? '{}') as MachineNotification;
    expect(payload.changes).toEqual([
      expect.objectContaining({
        kind: 'resolved',
        findingId: unhealthy.id,
        resolution: 'passed',
        previous: expect.objectContaining({ status: 'FAIL' }),
      }),
    ]);
    expect((await storedStates()).find((state) => state.findingId === unhealthy.id)).toMatchObject({
      open: false,
      status: 'PASS',
    });
  });

  it('reminds of the still-open finding once the reminder interval has passed', async () => {
    // Act
    const outcome = await notifyReport(
      report([aFinding({ status: 'PASS' }), crossZone], hoursLater(25)),
      deps(hoursLater(25)),
    );

    // Assert
    expect(outcome).toMatchObject({ published: 1, changed: 0, resolved: 0, reminders: 1 });
    const [envelope] = await drainQueue(fixture);
    expect(envelope?.Subject).toBe(
      '[MEDIUM] 504s on orders/prod: no network cause found, 1 still open (123456789012 us-east-1)',
    );
    const payload = JSON.parse(envelope?.Message ?? '{}') as MachineNotification;
    expect(payload.changes.map((change) => [change.kind, change.findingId])).toEqual([
      ['reminder', crossZone.id],
    ]);
  });

  it('says all clear when the stage recovered and its last open finding is no longer reported', async () => {
    // Arrange
    const recovered = aReport({
      generatedAt: hoursLater(26).toISOString(),
      apis: [aStage({ classification: 'healthy', errors5xx: 0, errorRatio: 0, periodsWithErrors: 0 })],
      findings: [],
    });

    // Act
    const outcome = await notifyReport(recovered, deps(hoursLater(26)));

    // Assert
    expect(outcome).toMatchObject({ published: 1, resolved: 1, allClear: true });
    const [envelope] = await drainQueue(fixture);
    expect(envelope?.Subject).toBe('[ALL CLEAR] no open findings, 1 resolved (123456789012 us-east-1)');
    expect(envelope?.MessageAttributes?.notificationType?.Value).toBe('all-clear');
    const payload = JSON.parse(envelope?.Message ?? '{}') as MachineNotification;
    expect(payload.changes).toEqual([
      expect.objectContaining({
        kind: 'resolved',
        resolution: 'stage-recovered',
        lastKnown: expect.objectContaining({ checkId: 'lb-cross-zone' }),
      }),
    ]);
    expect((await storedStates()).every((state) => state.open === false)).toBe(true);
  });

  it('computes but neither sends nor records anything on a dry run', async () => {
    // Arrange
    const before = await storedStates();

    // Act
    const outcome = await notifyReport(report(undefined, hoursLater(27)), {
      ...deps(hoursLater(27)),
      dryRun: true,
    });

    // Assert
    expect(outcome).toMatchObject({ published: 0, changed: 2 });
    expect(outcome.wouldPublish).toHaveLength(1);
    expect(await drainQueue(fixture)).toEqual([]);
    expect(await storedStates()).toEqual(before);
  });
});

describe('notifying incomplete runs through SNS with state in DynamoDB (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;
  const captured = capturePublishes();

  const deps = (now: Date) => {
    const clients = createClients(aws.target({ plugins: [captured.plugin] }), new CallStats());
    return {
      sns: clients.sns,
      topicArn: fixture.topicArn,
      store: new DynamoDbStateStore(clients.dynamodb, fixture.tableName),
      settings,
      now,
    };
  };

  /** A run whose first reads were refused: no stage, no finding, only the reasons. */
  const refused = (at: Date, action = 'apigateway:GetRestApis') =>
    aReport({
      generatedAt: at.toISOString(),
      apis: [],
      findings: [],
      complete: false,
      incompleteReasons: [
        `${action} failed in us-east-1 (AccessDeniedException): denied by a service control policy at ${at.toISOString()}`,
      ],
    });
  const healthy = (at: Date) =>
    aReport({
      generatedAt: at.toISOString(),
      apis: [aStage({ classification: 'healthy', errors5xx: 0, errorRatio: 0, periodsWithErrors: 0 })],
      findings: [],
    });

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'incomplete');
  });

  it('announces a run that could read nothing, saying what could not be read, though no finding changed', async () => {
    // Arrange
    const report = refused(T0);

    // Act
    const outcome = await notifyReport(report, deps(T0));

    // Assert
    expect(outcome).toMatchObject({ published: 1, changed: 0, resolved: 0 });
    const [envelope, ...others] = await drainQueue(fixture);
    expect(others).toEqual([]);
    expect(envelope?.Subject).toBe(
      '[INCOMPLETE] could not read: apigateway:GetRestApis (123456789012 us-east-1)',
    );
    expect(envelope?.MessageAttributes?.notificationType?.Value).toBe('incomplete');
    const sent = JSON.parse(captured.inputs.at(-1)?.Message ?? '{}') as { email: string };
    expect(sent.email).toContain('INCOMPLETE AUDIT: nothing could be read, so nothing was checked.');
    expect(sent.email).toContain('apigateway:GetRestApis failed in us-east-1 (AccessDeniedException)');
    expect(envelope?.Message).toContain('denied by a service control policy');
  });

  it('says nothing when the next run fails on the same reads (only times and counts differ)', async () => {
    // Arrange / Act
    const outcome = await notifyReport(refused(hoursLater(1)), deps(hoursLater(1)));

    // Assert
    expect(outcome.published).toBe(0);
    expect(await drainQueue(fixture)).toEqual([]);
  });

  it('announces again when a run fails on other reads', async () => {
    // Arrange / Act
    const outcome = await notifyReport(refused(hoursLater(2), 'cloudwatch:ListMetrics'), deps(hoursLater(2)));

    // Assert
    expect(outcome.published).toBe(1);
    const [envelope] = await drainQueue(fixture);
    expect(envelope?.Message).toContain('cloudwatch:ListMetrics failed');
  });

  it('closes the incompleteness silently on a complete run, and announces the next incomplete run as new', async () => {
    // Arrange / Act
    const complete = await notifyReport(healthy(hoursLater(3)), deps(hoursLater(3)));
    const afterComplete = await drainQueue(fixture);
    const again = await notifyReport(refused(hoursLater(4)), deps(hoursLater(4)));

    // Assert
    expect(complete.published).toBe(0);
    expect(afterComplete).toEqual([]);
    expect(again.published).toBe(1);
    expect((await drainQueue(fixture)).map((envelope) => envelope.Subject)).toEqual([
      '[INCOMPLETE] could not read: apigateway:GetRestApis (123456789012 us-east-1)',
    ]);
  });
});
