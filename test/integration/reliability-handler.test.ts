/**
 * The Lambda handler end to end against the emulator when SNS refuses the publish: the invocation
 * fails (so the dead-letter queue and the error alarm see it), the de-duplication state in DynamoDB
 * is left as it was, and the next successful run announces what the failed one could not: nothing
 * is lost. (notifyReport's own refusal case is in notify-lifecycle.test.ts; this is the handler.)
 */
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../lambda/collect/clients';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';

const TEST_TIMEOUT_MS = 60_000;
const TABLE = 'auditor-finding-state';
const TOPIC_NAME = 'auditor-findings';
const TOPIC_ARN = `arn:aws:sns:${TEST_REGION}:123456789012:${TOPIC_NAME}`;

const lambdaContext = () => ({ awsRequestId: 'reliability-test', getRemainingTimeInMillis: () => 120_000 });

describe('the handler when SNS refuses the publish', () => {
  const aws = useEmulator();
  const savedEnv = { ...process.env };
  let clients: AwsClients;
  let handler: typeof import('../../lambda/handler').handler;

  const stateItems = async (): Promise<number> =>
    (await clients.dynamodb.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Count ?? 0;

  beforeAll(async () => {
    clients = aws.clients({ rateLimits: false });
    await seedAccount(clients, BROKEN_ACCOUNT, new Date());
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'findingId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    Object.assign(process.env, {
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: aws.emulator().endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOPIC_ARN,
      STATE_TABLE_NAME: TABLE,
      POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
      POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorReliabilityTest',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = await import('../../lambda/handler'));
  }, TEST_TIMEOUT_MS);

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it(
    'fails the invocation and leaves the state untouched, then announces everything on the next run',
    async () => {
      // Arrange: the topic does not exist (deleted, or a wrong ARN): SNS answers NotFound.
      jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

      // Act
      const refused = handler({ source: 'aws.events' }, lambdaContext());

      // Assert
      await expect(refused).rejects.toThrow(/sns:Publish.*the notification state was not updated/);
      expect(await stateItems()).toBe(0);

      // Arrange: the topic is back, with a queue subscribed to read what it sends.
      await clients.sns.send(new CreateTopicCommand({ Name: TOPIC_NAME }));
      const sqs = new SQSClient({
        region: TEST_REGION,
        endpoint: aws.emulator().endpoint,
        credentials: TEST_CREDENTIALS,
      });
      const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'auditor-inbox' }));
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn: TOPIC_ARN,
          Protocol: 'sqs',
          Endpoint: attributes.Attributes?.QueueArn,
        }),
      );

      // Act
      const summary = await handler({ source: 'aws.events' }, lambdaContext());
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      sqs.destroy();

      // Assert
      expect(summary.notification?.published).toBeGreaterThan(0);
      expect(summary.notification?.newFindings).toBeGreaterThan(0);
      expect(received.Messages?.length).toBe(summary.notification?.published);
      expect(await stateItems()).toBeGreaterThanOrEqual(summary.notification?.newFindings ?? 1);
    },
    TEST_TIMEOUT_MS,
  );
});
