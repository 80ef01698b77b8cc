/**
 * What the notification integration tests need in the emulator: an SNS topic, an SQS queue subscribed
 * to it (RawMessageDelivery false, so each message arrives in SNS's JSON envelope with its subject and
 * attributes) and the DynamoDB state table as the CDK construct creates it.
 */
import { CreateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { AnyPlugin, AwsClients } from '../../lambda/collect/clients';

export interface SnsEnvelope {
  Type: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

export interface NotifyFixture {
  topicArn: string;
  tableName: string;
  sqs: SQSClient;
  queueUrl: string;
}

export async function createNotifyFixture(
  clients: AwsClients,
  sqsConfig: SQSClientConfig,
  name: string,
): Promise<NotifyFixture> {
  const sqs = new SQSClient(sqsConfig);
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: `${name}-topic` }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-queue` }));
  const queueUrl = queue.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'false' },
    }),
  );
  const tableName = `${name}-state`;
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'findingId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await clients.dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
  return { topicArn: topic.TopicArn ?? '', tableName, sqs, queueUrl };
}

/** Every message waiting in the queue (deleted once read), as SNS envelopes. */
export async function drainQueue(fixture: NotifyFixture): Promise<SnsEnvelope[]> {
  const envelopes: SnsEnvelope[] = [];
  for (;;) {
    const received = await fixture.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: fixture.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return envelopes;
    for (const message of messages) envelopes.push(JSON.parse(message.Body ?? '{}') as SnsEnvelope);
    await fixture.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: fixture.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
}

/** Records the input of every SNS Publish the client sends (to read the email and chat bodies SQS never gets). */
export function capturePublishes(): { plugin: AnyPlugin; inputs: { Message?: string; Subject?: string }[] } {
  const inputs: { Message?: string; Subject?: string }[] = [];
  return {
    inputs,
    plugin: {
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'PublishCommand')
              inputs.push(args.input as { Message?: string; Subject?: string });
            return next(args);
          },
          { step: 'initialize', name: 'capturePublishes' },
        );
      },
    },
  };
}
