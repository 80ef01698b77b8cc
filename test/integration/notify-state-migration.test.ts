/**
 * Finding ids now hold the account and Region. States a previous version wrote under the old ids
 * (sha256 of checkId|resourceArn) are moved to the new ids on the first run, keeping their history:
 * nothing is announced again as new, nothing open is lost (emulator: DynamoDB and SNS).
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { findingId, legacyFindingId } from '../../lambda/engine/finding-id';
import { DynamoDbStateStore } from '../../lambda/notify/dynamodb-state-store';
import type { FindingState } from '../../lambda/notify/finding-state';
import { notifyReport } from '../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { useEmulator } from '../support/emulator';
import { ACCOUNT, aFinding, aFindingState, aReport, REGION } from '../support/report-builders';
import { createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const HOUR_AGO = new Date(NOW.getTime() - 3_600_000).toISOString();
const WEEK_AGO = new Date(NOW.getTime() - 7 * 24 * 3_600_000).toISOString();

/** A finding as this version reports it: its id holds the account and Region. */
const current = (overrides: Parameters<typeof aFinding>[0] = {}) => {
  const finding = aFinding(overrides);
  expect(finding.id).toBe(findingId(finding.checkId, finding.resourceArn, ACCOUNT, REGION));
  return finding;
};

/** The state the previous version wrote for a finding: under the legacy id. */
function legacyState(finding: ReturnType<typeof current>): FindingState {
  return aFindingState(finding, WEEK_AGO, {
    findingId: legacyFindingId(finding.checkId, finding.resourceArn),
    lastSeen: HOUR_AGO,
    lastNotified: HOUR_AGO,
  });
}

describe('migrating notification state to finding ids with account and Region (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'migration');
  });

  it('moves open states to the new ids with their history, announcing nothing again', async () => {
    // Arrange: one finding still reported, one whose stage this run did not audit
    const reported = current();
    const elsewhere = current({
      checkId: 'lb-cross-zone',
      resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/other/1',
      apis: [{ apiId: 'zz9', stage: 'gone' }],
    });
    const clients = createClients(aws.target(), new CallStats());
    const store = new DynamoDbStateStore(clients.dynamodb, fixture.tableName);
    await store.put([legacyState(reported), legacyState(elsewhere)]);

    // Act
    const outcome = await notifyReport(aReport({ findings: [reported] }), {
      sns: clients.sns,
      topicArn: fixture.topicArn,
      store,
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: NOW,
    });

    // Assert
    expect(outcome).toMatchObject({ published: 0, changed: 0, newFindings: 0, resolved: 0 });
    expect(await drainQueue(fixture)).toEqual([]);
    const scan = await DynamoDBDocumentClient.from(aws.clients().dynamodb).send(
      new ScanCommand({ TableName: fixture.tableName, ConsistentRead: true }),
    );
    const byId = new Map((scan.Items ?? []).map((item) => [item.findingId as string, item]));
    expect([...byId.keys()].sort()).toEqual([reported.id, elsewhere.id].sort());
    expect(byId.get(reported.id)).toMatchObject({
      open: true,
      firstSeen: WEEK_AGO,
      lastNotified: HOUR_AGO,
      lastSeen: NOW.toISOString(),
    });
    expect(byId.get(elsewhere.id)).toMatchObject({ open: true, firstSeen: WEEK_AGO, lastSeen: HOUR_AGO });
  });
});
