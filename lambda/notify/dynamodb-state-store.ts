/**
 * Finding states in a DynamoDB table: partition key `findingId` (S), TTL attribute `expiresAt`
 * (epoch seconds). Reads batch 100 keys per BatchGetItem, writes 25 items per BatchWriteItem, and
 * both retry what DynamoDB leaves unprocessed (with backoff) until it is done or attempts run out.
 * An item that does not parse as a state is treated as absent: its finding is announced again,
 * which loses nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { SEVERITIES, STATUSES } from '../domain/types';
import type { FindingState, FindingStateStore } from './finding-state';

export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;

const findingStateSchema = z.object({
  findingId: z.string(),
  open: z.boolean(),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  checkId: z.string(),
  title: z.string(),
  account: z.string().optional(),
  region: z.string(),
  resourceArn: z.string(),
  apis: z.array(z.object({ apiId: z.string(), stage: z.string() })),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lastNotified: z.string(),
  resolvedAt: z.string().optional(),
  expiresAt: z.number(),
});

export class StateStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
  }
}

export interface DynamoDbStateStoreOptions {
  /** Rounds of retrying unprocessed keys/items. @default 8 */
  maxUnprocessedRetries?: number;
  /** First backoff delay, doubled each round. @default 50 */
  retryBaseDelayMs?: number;
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseStates(items: readonly Record<string, unknown>[] | undefined): FindingState[] {
  return (items ?? []).flatMap((item) => {
    const parsed = findingStateSchema.safeParse(item);
    return parsed.success ? [parsed.data as FindingState] : [];
  });
}

export class DynamoDbStateStore implements FindingStateStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoDbStateStoreOptions = {},
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.maxRetries = options.maxUnprocessedRetries ?? 8;
    this.baseDelayMs = options.retryBaseDelayMs ?? 50;
  }

  async get(findingIds: readonly string[]): Promise<Map<string, FindingState>> {
    const found = new Map<string, FindingState>();
    for (const ids of chunks([...new Set(findingIds)], BATCH_GET_MAX_KEYS)) {
      let keys: Record<string, unknown>[] = ids.map((findingId) => ({ findingId }));
      for (let round = 0; keys.length > 0; round += 1) {
        if (round > this.maxRetries)
          throw new StateStoreError(
            `dynamodb:BatchGetItem left ${keys.length} key(s) unprocessed on ${this.tableName}`,
          );
        if (round > 0) await sleep(this.baseDelayMs * 2 ** (round - 1));
        const response = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const state of parseStates(response.Responses?.[this.tableName]))
          found.set(state.findingId, state);
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  async listOpen(): Promise<FindingState[]> {
    const states: FindingState[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await this.documents.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#open = :open',
          ExpressionAttributeNames: { '#open': 'open' },
          ExpressionAttributeValues: { ':open': true },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      states.push(...parseStates(response.Items));
      startKey = response.LastEvaluatedKey;
    } while (startKey);
    return states;
  }

  async put(states: readonly FindingState[]): Promise<void> {
    await this.batchWrite(states.map((state) => ({ PutRequest: { Item: { ...state } } })));
  }

  async remove(findingIds: readonly string[]): Promise<void> {
    await this.batchWrite(findingIds.map((findingId) => ({ DeleteRequest: { Key: { findingId } } })));
  }

  /** BatchWriteItem in batches of 25, retrying what DynamoDB leaves unprocessed. */
  private async batchWrite(all: readonly WriteRequest[]): Promise<void> {
    for (const batch of chunks(all, BATCH_WRITE_MAX_ITEMS)) {
      let requests: WriteRequest[] = batch;
      for (let round = 0; requests.length > 0; round += 1) {
        if (round > this.maxRetries)
          throw new StateStoreError(
            `dynamodb:BatchWriteItem left ${requests.length} item(s) unprocessed on ${this.tableName}`,
          );
        if (round > 0) await sleep(this.baseDelayMs * 2 ** (round - 1));
        const response = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (response.UnprocessedItems?.[this.tableName] ?? []) as WriteRequest[];
      }
    }
  }
}
