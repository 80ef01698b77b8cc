/**
 * Keeps docs/notification-samples.md in step with the renderers: the test renders a sample report and
 * compares it with the document. Regenerate with `UPDATE_NOTIFICATION_SAMPLES=1 npx jest notification-samples`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../../lambda/checks/index';
import type { Finding } from '../../../lambda/domain/types';
import { findingId } from '../../../lambda/engine/finding-id';
import { buildNotificationMessages } from '../../../lambda/notify/notification-messages';
import { runIdOf } from '../../../lambda/notify/notification-view';
import { planNotification } from '../../../lambda/notify/plan-notification';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import { ACCOUNT, aFinding, aReport, aStage } from '../../support/report-builders';

const SAMPLES = join(__dirname, '../../../docs/notification-samples.md');
const NOW = new Date('2026-11-29T12:00:00.000Z');

/**
 * A finding as the engine builds it for a real check: title, severity, remediation and docs come
 * from the check's definition (lambda/checks/), never from the sample.
 */
function checkFinding(
  checkId: string,
  result: Omit<Partial<Finding>, 'checkId' | 'title' | 'severity' | 'remediation' | 'docs'>,
): Finding {
  const check = CHECKS.find((candidate) => candidate.id === checkId);
  if (!check) throw new Error(`no check ${checkId}`);
  const finding = aFinding({ ...result, checkId });
  return {
    ...finding,
    id: findingId(checkId, finding.resourceArn, ACCOUNT, finding.region),
    title: check.title,
    severity: check.severity,
    remediation: check.remediation,
    docs: [...check.docs],
  };
}

function sampleDocument(): string {
  const tgArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/6d0ecf831eec9f09';
  const nlbArn =
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/50dc6c495c0c9188';
  const resolvedBefore = checkFinding('vpc-link-status', {
    resourceArn: 'arn:aws:apigateway:us-east-1::/vpclinks/9xk2lm',
  });
  const report = aReport({
    apis: [
      aStage(),
      aStage({
        apiId: 'h7t6r5',
        apiName: 'payments',
        apiType: 'HTTP',
        stage: '$default',
        requests: 48_210,
        errors5xx: 12,
        errorRatio: 12 / 48_210,
        periodsWithErrors: 3,
        classification: 'low-frequency',
      }),
    ],
    findings: [
      checkFinding('tg-unhealthy-az', {
        resourceArn: tgArn,
        message:
          'target group orders-tg (NLB orders-nlb) has no healthy target in us-east-1b (2 targets registered: i-0a1b2c3d4e5f60718 unused (Target.InvalidState), i-0f1e2d3c4b5a69788 draining)',
      }),
      checkFinding('lb-cross-zone', {
        resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        resourceArn: tgArn,
        message:
          'cross-zone load balancing is off for target group orders-tg of NLB orders-nlb (load balancer attribute): each of us-east-1a, us-east-1b serves only its own targets',
      }),
      checkFinding('stage-access-logging', {
        resourceType: 'AWS::ApiGatewayV2::Stage',
        resourceArn: 'arn:aws:apigateway:us-east-1::/apis/h7t6r5/stages/$default',
        apis: [{ apiId: 'h7t6r5', stage: '$default' }],
        message: 'the access log format of payments/$default lacks $context.integrationErrorMessage',
        evidence: {
          destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/payments-access',
        },
      }),
      checkFinding('vpc-flow-logs', {
        status: 'ERROR',
        resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        resourceArn: nlbArn,
        message:
          'ec2:DescribeFlowLogs could not be read (UnauthorizedOperation): the check was not evaluated',
        evidence: { action: 'ec2:DescribeFlowLogs', code: 'UnauthorizedOperation' },
      }),
      checkFinding('vpc-link-status', { status: 'PASS', resourceArn: resolvedBefore.resourceArn }),
      checkFinding('integration-listener', { status: 'PASS', resourceArn: nlbArn }),
    ],
  });
  const previous = new Map([
    [
      resolvedBefore.id,
      {
        findingId: resolvedBefore.id,
        open: true,
        status: 'FAIL' as const,
        severity: resolvedBefore.severity,
        checkId: resolvedBefore.checkId,
        title: resolvedBefore.title,
        region: 'us-east-1',
        resourceArn: resolvedBefore.resourceArn,
        apis: resolvedBefore.apis,
        firstSeen: '2026-11-29T09:00:00.000Z',
        lastSeen: '2026-11-29T11:00:00.000Z',
        lastNotified: '2026-11-29T09:00:00.000Z',
        expiresAt: 0,
      },
    ],
  ]);
  const plan = planNotification(report, previous, DEFAULT_NOTIFY_SETTINGS, NOW);
  const [message] = buildNotificationMessages(
    { report, plan, runId: runIdOf(report) },
    'arn:aws:sns:us-east-1:123456789012:api-network-auditor',
  );
  const bodies = JSON.parse(message?.Message ?? '{}') as { email: string; https: string; default: string };
  return [
    '# Notification samples',
    '',
    'Generated by `test/unit/notify/notification-samples.test.ts` from a sample report (two failing stages,',
    'one finding resolved since the previous run, one check that could not run). One SNS Publish carries',
    'all three bodies (`MessageStructure: json`): `email`, `https` (Amazon Q Developer in chat applications)',
    'and `default` (every other protocol: SQS, Lambda, Firehose...).',
    '',
    '## Email',
    '',
    `Subject: \`${message?.Subject ?? ''}\``,
    '',
    '```text',
    bodies.email,
    '```',
    '',
    '## Chat (Amazon Q Developer custom notification)',
    '',
    '```json',
    JSON.stringify(JSON.parse(bodies.https), null, 2),
    '```',
    '',
    '## Message attributes (for subscription filter policies)',
    '',
    '```json',
    JSON.stringify(message?.MessageAttributes, null, 2),
    '```',
    '',
  ].join('\n');
}

describe('docs/notification-samples.md', () => {
  it('shows what the renderers produce today', () => {
    // Arrange
    const expected = sampleDocument();
    if (process.env.UPDATE_NOTIFICATION_SAMPLES) writeFileSync(SAMPLES, expected);

    // Act
    const actual = readFileSync(SAMPLES, 'utf8');

    // Assert
    expect(actual).toBe(expected);
  });

  it('cites only real checks, with their own titles and severities', () => {
    // Arrange: every finding line of the sample email, `[NEW] FAIL (high) tg-unhealthy-az (id 0123...): <title>`
    const sample = readFileSync(SAMPLES, 'utf8');
    const cited = [
      ...sample.matchAll(
        /^\[(?:NEW|CHANGED|STILL OPEN)\] \w+ \((\w+)\) ([a-z0-9-]+)(?: \(id [0-9a-f]{16}\))?: (?:Expected: )?(.+)$/gm,
      ),
    ];

    // Assert
    expect(cited.length).toBeGreaterThanOrEqual(2);
    for (const [, severity, checkId, title] of cited) {
      const check = CHECKS.find((candidate) => candidate.id === checkId);
      expect({ checkId, severity, title }).toEqual({
        checkId,
        severity: check?.severity,
        title: check?.title,
      });
    }
    expect(sample).not.toContain('api-gateway-vpc-link-504-errors');
  });
});
