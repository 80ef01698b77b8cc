import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { DynamoDbStateStore, NOTIFY_LOCK_ID } from '../../lambda/notify/dynamodb-state-store';
import { notifyReport } from '../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { useEmulator } from '../support/emulator';
import { aFinding, aReport } from '../support/report-builders';
import { createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const NOW = new Date('2026-11-29T12:00:00.000Z');

describe('overlapping runs announce a finding once (emulator: SNS, DynamoDB conditional writes)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;
  let fixtures = 0;

  const depsFor = (options: ConstructorParameters<typeof DynamoDbStateStore>[2] = {}) => {
    const clients = createClients(aws.target(), new CallStats());
    return {
      sns: clients.sns,
      topicArn: fixture.topicArn,
      store: new DynamoDbStateStore(clients.dynamodb, fixture.tableName, options),
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: NOW,
    };
  };
  const documents = () => DynamoDBDocumentClient.from(aws.clients().dynamodb);
  const lease = async () =>
    (
      await documents().send(
        new GetCommand({ TableName: fixture.tableName, Key: { findingId: NOTIFY_LOCK_ID } }),
      )
    ).Item;
  const holdLease = (owner: string, expiresAt: number) =>
    documents().send(
      new PutCommand({ TableName: fixture.tableName, Item: { findingId: NOTIFY_LOCK_ID, owner, expiresAt } }),
    );

  beforeEach(async () => {
    fixtures += 1;
    fixture = await createNotifyFixture(aws.clients(), aws.target(), `overlap-${fixtures}`);
  });

  it('publishes once when two runs of the same report notify at the same time, and frees the lease', async () => {
    // Arrange
    const report = aReport({ findings: [aFinding()] });

    // Act
    const outcomes = await Promise.all([notifyReport(report, depsFor()), notifyReport(report, depsFor())]);

    // Assert
    expect(outcomes.map((outcome) => outcome.published).sort()).toEqual([0, 1]);
    expect(await drainQueue(fixture)).toHaveLength(1);
    expect(await lease()).toBeUndefined();
  });

  it('takes over a lease whose run died (its time ran out) without waiting', async () => {
    // Arrange
    await holdLease('a-run-that-died', Math.floor(NOW.getTime() / 1000) - 60);
    const started = Date.now();

    // Act
    const outcome = await notifyReport(aReport({ findings: [aFinding()] }), depsFor({ lockWaitMs: 30_000 }));

    // Assert
    expect(outcome.published).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await lease()).toBeUndefined();
  });

  it('notifies anyway once it has waited its time for a live lease, and leaves that lease alone', async () => {
    // Arrange: a lease held for an hour from now by another run.
    await holdLease('another-run', Math.floor(Date.now() / 1000) + 3_600);

    // Act
    const outcome = await notifyReport(
      aReport({ findings: [aFinding()] }),
      depsFor({ lockWaitMs: 600, lockPollMs: 100 }),
    );

    // Assert: a repeated announcement is better than a lost one.
    expect(outcome.published).toBe(1);
    expect(await drainQueue(fixture)).toHaveLength(1);
    expect((await lease())?.owner).toBe('another-run');
  });
});
