/**
 * The audit under AWS faults, against the emulator: throttling, a missing permission, broken
 * connections, a time budget. Faults come from test/support/faults.ts, injected below the SDK's
 * retry middleware, so the SDK's own retry strategy decides what to retry.
 */
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type AuditRequest, runAudit } from '../../lambda/audit';
import { MemoryStateStore } from '../../lambda/cli/memory-state-store';
import type { Finding, Report } from '../../lambda/domain/types';
import { notifyReport } from '../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import {
  breakConnections,
  denyAction,
  FaultLog,
  faultInjector,
  slowDown,
  throttleSome,
} from '../support/faults';
import { expectValidReport } from '../support/report-schema';

const TEST_TIMEOUT_MS = 60_000;

const findingKeys = (report: Report, exceptCheck?: string): string[] =>
  report.findings
    .filter((finding) => finding.checkId !== exceptCheck)
    .map((finding) => `${finding.checkId}|${finding.resourceArn}|${finding.status}`)
    .sort();

const findingsOf = (report: Report, checkId: string) =>
  report.findings.filter((finding) => finding.checkId === checkId);

describe('the audit under AWS faults', () => {
  const aws = useEmulator();
  const now = new Date();
  let request: AuditRequest;
  let clean: Report;

  beforeAll(async () => {
    await seedAccount(aws.clients({ rateLimits: false }), BROKEN_ACCOUNT, now);
    request = aws.auditRequest(now);
    clean = await runAudit(request);
  }, TEST_TIMEOUT_MS);

  it('audits the seeded account when nothing goes wrong, short only of what the emulator drops (the baseline)', () => {
    // Assert: moto drops a REST integration's connectionId, so that VPC link is the one thing unread.
    expect(
      clean.findings
        .filter((finding) => finding.status === 'ERROR')
        .map((finding) => [finding.checkId, finding.resourceType, finding.evidence.code]),
    ).toEqual([['vpc-link-status', 'AWS::ApiGateway::Method', 'Unresolved']]);
    expect(findingsOf(clean, 'vpc-flow-logs').map((finding) => finding.status)).toContain('FAIL');
    expect(clean.stats.retries).toBe(0);
  });

  it(
    'finds exactly what a clean run finds when 30% of calls are throttled, by retrying',
    async () => {
      // Arrange
      const log = new FaultLog();
      const plugins = [faultInjector([throttleSome(0.3, 20261129)], log)];

      // Act
      const report = await runAudit({ ...request, plugins });

      // Assert
      expect(findingKeys(report)).toEqual(findingKeys(clean));
      expect(report.incompleteReasons).toEqual(clean.incompleteReasons);
      expect(log.count('respond')).toBeGreaterThan(5);
      expect(report.stats.retries).toBe(log.count('respond'));
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports ERROR naming ec2:DescribeFlowLogs when it is denied, completes every other check and says the report is incomplete',
    async () => {
      // Arrange
      const plugins = [faultInjector([denyAction('ec2:DescribeFlowLogs')])];

      // Act
      const report = await runAudit({ ...request, plugins });

      // Assert
      const flowLogFindings = findingsOf(report, 'vpc-flow-logs');
      expect(flowLogFindings.length).toBeGreaterThan(0);
      for (const finding of flowLogFindings) {
        expect(finding.status).toBe('ERROR');
        expect(finding.message).toContain('ec2:DescribeFlowLogs');
        expect(finding.message).toContain('UnauthorizedOperation');
      }
      expect(findingKeys(report, 'vpc-flow-logs')).toEqual(findingKeys(clean, 'vpc-flow-logs'));
      expect(report.complete).toBe(false);
      expect(report.incompleteReasons).toEqual([
        ...clean.incompleteReasons,
        'ec2:DescribeFlowLogs could not be read: vpc-flow-logs not evaluated',
      ]);
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'still notifies when a permission is missing, and the notification says what could not be checked',
    async () => {
      // Arrange
      const clients = aws.clients({ rateLimits: false });
      const sqs = new SQSClient({
        region: TEST_REGION,
        endpoint: aws.emulator().endpoint,
        credentials: TEST_CREDENTIALS,
      });
      const topic = await clients.sns.send(new CreateTopicCommand({ Name: 'auditor-findings' }));
      const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'auditor-findings-inbox' }));
      const queueArn = (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
        )
      ).Attributes?.QueueArn;
      await clients.sns.send(
        new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: queueArn }),
      );
      const report = await runAudit({
        ...request,
        plugins: [faultInjector([denyAction('ec2:DescribeFlowLogs')])],
      });

      // Act
      const outcome = await notifyReport(report, {
        sns: clients.sns,
        topicArn: topic.TopicArn ?? '',
        store: new MemoryStateStore(),
        settings: DEFAULT_NOTIFY_SETTINGS,
        now,
      });
      const dryRun = await notifyReport(report, {
        sns: clients.sns,
        topicArn: topic.TopicArn ?? '',
        store: new MemoryStateStore(),
        settings: DEFAULT_NOTIFY_SETTINGS,
        now,
        dryRun: true,
      });
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );

      // Assert
      expect(outcome.published).toBeGreaterThan(0);
      expect(received.Messages?.length).toBe(outcome.published);
      const envelope = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { Message: string };
      const machine = JSON.parse(envelope.Message) as { report: Report };
      expect(machine.report.complete).toBe(false);
      expect(machine.report.incompleteReasons).toEqual(report.incompleteReasons);
      const email = (JSON.parse(dryRun.wouldPublish?.[0]?.Message ?? '{}') as { email: string }).email;
      expect(email).toContain('=== What could not be checked ===');
      expect(email).toContain('ec2:DescribeFlowLogs could not be read: vpc-flow-logs not evaluated');
      sqs.destroy();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'retries a connection reset within maxAttempts, then reports ERROR for what it could not read, in bounded time',
    async () => {
      // Arrange
      const log = new FaultLog();
      const resetHealth = breakConnections('ECONNRESET', (a) => a.operation === 'DescribeTargetHealth');
      const plugins = [faultInjector([resetHealth], log)];
      const started = Date.now();

      // Act
      const report = await runAudit({ ...request, plugins });
      const elapsedMs = Date.now() - started;

      // Assert
      const calls = report.stats.awsCalls['ElasticLoadBalancingV2.DescribeTargetHealth'] ?? 0;
      expect(calls).toBe(2);
      expect(log.count('throw')).toBe(calls * 5);
      for (const checkId of ['tg-empty-az', 'tg-unhealthy-az']) {
        const findings = findingsOf(report, checkId);
        expect(findings.length).toBeGreaterThan(0);
        expect(
          findings.every((f) => f.status === 'ERROR' && /DescribeTargetHealth.*ECONNRESET/.test(f.message)),
        ).toBe(true);
      }
      expect(report.complete).toBe(false);
      expect(elapsedMs).toBeLessThan(15_000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'retries timeouts, then reports the VPC link it could not read as ERROR and the rest as a clean run does',
    async () => {
      // Arrange
      const log = new FaultLog();
      const timeOut = breakConnections('TimeoutError', (a) => a.action === 'apigateway:GetVpcLinks');
      const started = Date.now();

      // Act
      const report = await runAudit({ ...request, plugins: [faultInjector([timeOut], log)] });
      const elapsedMs = Date.now() - started;

      // Assert: every check on the path reports the unread HTTP VPC links; all else is as in a clean run.
      const onHttpLinks = report.findings.filter((finding) => finding.resourceArn.includes('::/vpclinks/'));
      expect(new Set(onHttpLinks.map((finding) => finding.checkId))).toContain('vpc-link-status');
      expect(
        onHttpLinks.every((f) => f.status === 'ERROR' && /GetVpcLinks.*TimeoutError/.test(f.message)),
      ).toBe(true);
      // The ALB behind an HTTP VPC link is judged against the link's subnets: unknown, so ERROR, not a guess.
      const albBehindLink = report.findings.filter(
        (f) =>
          f.checkId === 'alb-security-group-sources' &&
          f.resourceArn.includes(':loadbalancer/app/catalog-alb/'),
      );
      expect(albBehindLink.map((f) => f.status)).toEqual(['ERROR']);
      expect(albBehindLink[0]?.message).toMatch(/GetVpcLinks/);
      const dependsOnLinks = (f: Finding) =>
        f.resourceArn.includes('::/vpclinks/') || albBehindLink.some((alb) => alb.id === f.id);
      const elsewhere = (of: Report) =>
        findingKeys({ ...of, findings: of.findings.filter((f) => !dependsOnLinks(f)) });
      expect(elsewhere(report)).toEqual(elsewhere(clean));
      expect(log.count('throw')).toBe(5);
      expect(elapsedMs).toBeLessThan(15_000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops collecting at the deadline on a slow network and delivers a partial report marked incomplete',
    async () => {
      // Arrange
      const started = Date.now();
      const deadline = started + 1_500;
      const plugins = [faultInjector([slowDown(250)])];

      // Act
      const report = await runAudit({ ...request, deadline, plugins });
      const finished = Date.now();

      // Assert
      expect(finished).toBeLessThan(deadline + 1_000);
      expect(report.complete).toBe(false);
      expect(report.incompleteReasons.join('\n')).toMatch(
        /time budget ran out: \d+ AWS call\(s\) were not made/,
      );
      const baselineErrors = new Set(clean.findings.filter((f) => f.status === 'ERROR').map((f) => f.id));
      const errors = report.findings.filter((f) => f.status === 'ERROR' && !baselineErrors.has(f.id));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((finding) => finding.evidence.code === 'DeadlineExceeded')).toBe(true);
      expect(report.findings.filter((finding) => finding.status === 'PASS').length).toBeLessThan(
        clean.findings.filter((finding) => finding.status === 'PASS').length,
      );
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );
});
