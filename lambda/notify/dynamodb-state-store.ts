/**
 * Finding states in a DynamoDB table: partition key `findingId` (S), TTL attribute `expiresAt`
 * (epoch seconds). Reads batch 100 keys per BatchGetItem, writes 25 items per BatchWriteItem, and
 * both retry what DynamoDB leaves unprocessed (with backoff) until it is done or attempts run out.
 * An item that does not parse as a state is treated as absent: its finding is announced again,
 * which loses nothing. One more item, `#notify-lock`, is the lease that keeps overlapping runs from
 * announcing the same finding twice (`exclusively`); it parses as no state.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { SEVERITIES, STATUSES } from '../domain/types';
import type { FindingState, FindingStateStore } from './finding-state';

export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;
/** The key of the item that holds the notifier's lease. */
export const NOTIFY_LOCK_ID = '#notify-lock';

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
  /** How long a run holds the notifier's lease at most (a run that dies frees it then). @default 120000 */
  lockLeaseMs?: number;
  /** How long a run waits for another run's lease before notifying anyway. @default 60000 */
  lockWaitMs?: number;
  /** Between two attempts to take the lease. @default 250 */
  lockPollMs?: number;
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
  private readonly lock: { leaseMs: number; waitMs: number; pollMs: number };

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
    this.lock = {
      leaseMs: options.lockLeaseMs ?? 120_000,
      waitMs: options.lockWaitMs ?? 60_000,
      pollMs: options.lockPollMs ?? 250,
    };
  }

  /**
   * The lease is a conditional put of `#notify-lock` (absent, or its lease ran out). When it cannot be
   * had in `lockWaitMs`, or DynamoDB fails on it, the run notifies anyway: a repeated announcement is
   * better than a lost one, and a failing table is reported by the state read that follows.
   */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const held = await this.takeLease(owner);
    try {
      return await work();
    } finally {
      if (held) await this.releaseLease(owner);
    }
  }

  private async takeLease(owner: string): Promise<boolean> {
    const giveUpAt = Date.now() + this.lock.waitMs;
    for (;;) {
      const now = Date.now();
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              findingId: NOTIFY_LOCK_ID,
              owner,
              expiresAt: Math.ceil((now + this.lock.leaseMs) / 1000),
            },
            ConditionExpression: 'attribute_not_exists(findingId) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error | undefined)?.name !== 'ConditionalCheckFailedException') return false;
        if (Date.now() + this.lock.pollMs > giveUpAt) return false;
        await sleep(this.lock.pollMs);
      }
    }
  }

  /** Frees the lease if this run still holds it (it may have run out and passed to another run). */
  private async releaseLease(owner: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { findingId: NOTIFY_LOCK_ID },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch {
      // Another run holds it now, or the table failed: the lease runs out on its own.
    }
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
