import { DynamoDbStateStore } from '../../lambda/notify/dynamodb-state-store';
import type { FindingState } from '../../lambda/notify/finding-state';
import { useEmulator } from '../support/emulator';
import { createNotifyFixture, type NotifyFixture } from './notify-fixtures';

const state = (index: number, open: boolean): FindingState => ({
  findingId: `finding-${index.toString().padStart(4, '0')}`,
  open,
  status: open ? 'FAIL' : 'PASS',
  severity: 'high',
  checkId: 'tg-unhealthy-az',
  title: 'A zone has no healthy target',
  region: 'us-east-1',
  resourceArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-${index}/abc`,
  apis: [{ apiId: 'a1b2c3', stage: 'prod' }],
  firstSeen: '2026-11-29T12:00:00.000Z',
  lastSeen: '2026-11-29T12:00:00.000Z',
  lastNotified: '2026-11-29T12:00:00.000Z',
  ...(open ? {} : { resolvedAt: '2026-11-29T13:00:00.000Z' }),
  expiresAt: 1_800_000_000,
});

describe('the DynamoDB finding state store (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'store');
  });

  it('writes in batches of 25, reads back in batches of 100 and lists only the open states', async () => {
    // Arrange
    const clients = aws.clients();
    const store = new DynamoDbStateStore(clients.dynamodb, fixture.tableName);
    const states = Array.from({ length: 260 }, (_, index) => state(index, index % 2 === 0));

    // Act
    await store.put(states);
    const read = await store.get([...states.map((item) => item.findingId), 'never-stored']);
    const open = await store.listOpen();

    // Assert
    expect(clients.stats.calls['DynamoDB.BatchWriteItem']).toBe(11);
    expect(clients.stats.calls['DynamoDB.BatchGetItem']).toBe(3);
    expect(read.size).toBe(260);
    expect(read.get('finding-0003')).toEqual(states[3]);
    expect(read.has('never-stored')).toBe(false);
    expect(open.map((item) => item.findingId).sort()).toEqual(
      states.filter((item) => item.open).map((item) => item.findingId),
    );
  });
});
