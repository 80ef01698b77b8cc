import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStateStore, StateStoreError } from '../../../lambda/notify/dynamodb-state-store';
import type { FindingState } from '../../../lambda/notify/finding-state';

const state = (findingId: string): FindingState => ({
  findingId,
  open: true,
  status: 'FAIL',
  severity: 'high',
  checkId: 'tg-unhealthy-az',
  title: 't',
  region: 'us-east-1',
  resourceArn: `arn:${findingId}`,
  apis: [],
  firstSeen: '2026-11-29T12:00:00.000Z',
  lastSeen: '2026-11-29T12:00:00.000Z',
  lastNotified: '2026-11-29T12:00:00.000Z',
  expiresAt: 1,
});

describe('DynamoDbStateStore (unprocessed items, which the emulator never returns)', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  afterEach(() => documents.reset());
  const store = () =>
    new DynamoDbStateStore(new DynamoDBClient({ region: 'us-east-1' }), 'states', {
      retryBaseDelayMs: 1,
      maxUnprocessedRetries: 2,
    });

  it('writes again the items DynamoDB left unprocessed until none are left', async () => {
    // Arrange
    documents
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { states: [{ PutRequest: { Item: state('b') } }] } })
      .resolves({});

    // Act
    await store().put([state('a'), state('b')]);

    // Assert
    const calls = documents.commandCalls(BatchWriteCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.states?.length)).toEqual([2, 1]);
  });

  it('reads again the keys DynamoDB left unprocessed and ignores items that are not states', async () => {
    // Arrange
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { states: [state('a'), { findingId: 'junk' }] },
        UnprocessedKeys: { states: { Keys: [{ findingId: 'b' }] } },
      })
      .resolves({ Responses: { states: [state('b')] } });

    // Act
    const read = await store().get(['a', 'b', 'junk']);

    // Assert
    expect([...read.keys()].sort()).toEqual(['a', 'b']);
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('fails with StateStoreError naming the action when items stay unprocessed', async () => {
    // Arrange
    documents
      .on(BatchWriteCommand)
      .resolves({ UnprocessedItems: { states: [{ PutRequest: { Item: state('a') } }] } });

    // Act
    const attempt = store().put([state('a')]);

    // Assert
    await expect(attempt).rejects.toThrow(StateStoreError);
    await expect(store().put([state('a')])).rejects.toThrow(
      /dynamodb:BatchWriteItem left 1 item\(s\) unprocessed/,
    );
  });
});
