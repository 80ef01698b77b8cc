import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../../lambda/cli/main';
import { MemoryStateStore } from '../../../lambda/cli/memory-state-store';
import type { FindingState } from '../../../lambda/notify/finding-state';
import { notifyReport } from '../../../lambda/notify/publish-report';
import { aFinding, aReport } from './fixtures/report';

const state = (findingId: string, open: boolean): FindingState => ({
  findingId,
  open,
  status: open ? 'FAIL' : 'PASS',
  severity: 'high',
  checkId: 'tg-unhealthy-az',
  title: 'Every enabled zone has a healthy target',
  region: 'us-east-1',
  resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/abc',
  apis: [{ apiId: 'a1b2c3', stage: 'prod' }],
  firstSeen: '2026-11-29T12:00:00.000Z',
  lastSeen: '2026-11-29T12:00:00.000Z',
  lastNotified: '2026-11-29T12:00:00.000Z',
  expiresAt: 1_800_000_000,
});

describe('MemoryStateStore', () => {
  it('starts empty, so every finding is new to it', async () => {
    // Arrange
    const store = new MemoryStateStore();

    // Act
    const known = await store.get(['a', 'b']);

    // Assert
    expect(known.size).toBe(0);
    expect(await store.listOpen()).toEqual([]);
  });

  it('gives back what was put, and lists only the open states', async () => {
    // Arrange
    const store = new MemoryStateStore();
    await store.put([state('open-1', true), state('resolved-1', false)]);

    // Act
    const known = await store.get(['open-1', 'resolved-1', 'unknown']);
    const open = await store.listOpen();

    // Assert
    expect([...known.keys()].sort()).toEqual(['open-1', 'resolved-1']);
    expect(open.map((s) => s.findingId)).toEqual(['open-1']);
  });
});

describe('runCli --publish without --state-table', () => {
  const sns = mockClient(SNSClient);
  afterAll(() => sns.restore());

  it('publishes the failing findings to the topic through the real notifier', async () => {
    // Arrange
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:audit';
    const report = aReport({
      findings: [aFinding({ severity: 'critical' }), aFinding({ checkId: 'x', status: 'PASS' })],
    });
    let stderr = '';

    // Act
    const code = await runCli(
      ['--publish', '--topic-arn', topicArn, '--format', 'json'],
      {
        stdout: { write: () => true },
        stderr: {
          write: (text: string) => {
            stderr += text;
          },
        },
        env: { AWS_REGION: 'us-east-1' },
        isTTY: { stdout: false, stderr: false },
      },
      {
        runAudit: async () => report,
        verifyCredentials: async () => '123456789012',
        notifyReport,
        createSnsClient: async () => new SNSClient({ region: 'us-east-1' }),
        now: () => new Date('2026-11-29T12:00:00Z'),
      },
    );

    // Assert
    expect(code).toBe(1);
    const published = sns.commandCalls(PublishCommand);
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((call) => call.args[0].input.TopicArn === topicArn)).toBe(true);
    expect(stderr).toContain(`published ${published.length} message(s) to ${topicArn}: 1 new or changed`);
  });
});
