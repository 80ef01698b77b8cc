/**
 * Notifications of a merged report of several accounts, through SNS and the DynamoDB state table of
 * the emulator: one resource ARN in two accounts is two announcements and two states, each naming its
 * account, and states of the single-account version (legacy ids) are left alone by a report that
 * cannot tell which account they belong to.
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CallStats, createClients } from '../../lambda/collect/clients';
import type { Report } from '../../lambda/domain/types';
import { legacyFindingId } from '../../lambda/engine/finding-id';
import { DynamoDbStateStore } from '../../lambda/notify/dynamodb-state-store';
import { notifyReport } from '../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { mergeReports } from '../../lambda/org/merge-reports';
import { useEmulator } from '../support/emulator';
import { aFinding, aFindingState, anAccountPart, SHARED_TARGET_GROUP_ARN } from '../support/report-builders';
import { createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const NOW = new Date('2026-11-29T12:05:00.000Z');
const ACCOUNTS = ['111111111111', '222222222222'];

const twoAccounts = (): Report =>
  mergeReports(
    ACCOUNTS.map((account) => ({ target: { account, region: 'us-east-1' }, report: anAccountPart(account) })),
    { generatedAt: NOW },
  );

describe('notifying a merged report of two accounts (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'accounts');
  });

  const scanStates = async () =>
    (
      await DynamoDBDocumentClient.from(aws.clients().dynamodb).send(
        new ScanCommand({ TableName: fixture.tableName, ConsistentRead: true }),
      )
    ).Items ?? [];

  it('announces one resource ARN in two accounts twice and keeps two states, then nothing on the next run', async () => {
    // Arrange
    const clients = createClients(aws.target(), new CallStats());
    const store = new DynamoDbStateStore(clients.dynamodb, fixture.tableName);
    const deps = { sns: clients.sns, topicArn: fixture.topicArn, store, settings: DEFAULT_NOTIFY_SETTINGS };

    // Act
    const first = await notifyReport(twoAccounts(), { ...deps, now: NOW });
    const messages = await drainQueue(fixture);
    const again = await notifyReport(twoAccounts(), { ...deps, now: new Date(NOW.getTime() + 3_600_000) });

    // Assert
    expect(first).toMatchObject({ newFindings: 2 });
    expect(messages).toHaveLength(1);
    const states = (await scanStates()).filter((item) => item.resourceArn === SHARED_TARGET_GROUP_ARN);
    expect(states.map((item) => item.account).sort()).toEqual(ACCOUNTS);
    expect(new Set(states.map((item) => item.findingId)).size).toBe(2);
    expect(again).toMatchObject({ published: 0, changed: 0, newFindings: 0 });
  });

  it('leaves the single-account version’s states (legacy ids) where they are', async () => {
    // Arrange
    const clients = createClients(aws.target(), new CallStats());
    const store = new DynamoDbStateStore(clients.dynamodb, fixture.tableName);
    const legacy = aFindingState(aFinding({ checkId: 'vpc-flow-logs' }), NOW.toISOString(), {
      findingId: legacyFindingId('vpc-flow-logs', aFinding().resourceArn),
      checkId: 'vpc-flow-logs',
    });
    await store.put([legacy]);

    // Act
    await notifyReport(twoAccounts(), {
      sns: clients.sns,
      topicArn: fixture.topicArn,
      store,
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: new Date(NOW.getTime() + 7_200_000),
    });

    // Assert
    const ids = (await scanStates()).map((item) => item.findingId);
    expect(ids).toContain(legacy.findingId);
    expect(ids).toHaveLength(3);
  });
});
