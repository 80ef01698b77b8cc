import fc from 'fast-check';
import { buildNotificationMessages } from '../../../lambda/notify/notification-messages';
import { type NotificationView, runIdOf } from '../../../lambda/notify/notification-view';
import { planNotification } from '../../../lambda/notify/plan-notification';
import { renderChatNotification } from '../../../lambda/notify/render-chat';
import { renderEmailBody, renderEmailSubject, SUBJECT_MAX_LENGTH } from '../../../lambda/notify/render-email';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import {
  aFinding,
  aFindingState,
  aReport,
  aReportThatReadNothing,
  aStage,
  manyFindings,
} from '../../support/report-builders';

const NOW = new Date('2026-11-29T12:00:00.000Z');

function viewOf(report = aReport()): NotificationView {
  return {
    report,
    plan: planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, NOW),
    runId: runIdOf(report),
  };
}

/** A report whose one failing API has the given name, on a stage with the given name. */
function reportNamed(apiName: string, stage = 'prod'): ReturnType<typeof aReport> {
  return aReport({
    apis: [aStage({ apiName, stage })],
    findings: [
      aFinding({
        apis: [{ apiId: 'a1b2c3', stage }],
        title: `Failing on ${apiName}`,
        message: `API ${apiName}\nfails`,
      }),
    ],
  });
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

describe('renderEmailSubject', () => {
  it('says the stage, 504s, the cause and its resource, the change, the highest severity, account and Region', () => {
    // Act
    const subject = renderEmailSubject(viewOf());

    // Assert
    expect(subject).toBe(
      '[HIGH] 504s on orders/prod: tg-unhealthy-az orders-tg, 1 new (123456789012 us-east-1)',
    );
  });

  it('never offers a logging gap as the cause: a stage with only hygiene FAILs has no network cause', () => {
    // Arrange: the healthy twin of the test above, the same stage failing with only an access-logging FAIL
    const report = aReport({
      findings: [aFinding({ checkId: 'stage-execution-logging', severity: 'medium' })],
    });

    // Act
    const subject = renderEmailSubject(viewOf(report));

    // Assert
    expect(subject).toBe(
      '[MEDIUM] 504s on orders/prod: no network cause found, 1 new (123456789012 us-east-1)',
    );
  });

  it('drops the counts, the other stages and the account before the stage name, the cause or its resource', () => {
    // Arrange: a long check id and resource, three more stages
    const blocked = aFinding({
      checkId: 'nlb-target-security-groups',
      resourceArn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0',
      apis: ['a1b2c3', 'b', 'c', 'd'].map((apiId) => ({ apiId, stage: 'prod' })),
    });
    const report = aReport({
      apis: ['a1b2c3', 'b', 'c', 'd'].map((apiId) => aStage({ apiId, apiName: `orders-http-${apiId}` })),
      findings: [blocked],
    });

    // Act
    const subject = renderEmailSubject(viewOf(report));

    // Assert
    expect(subject).toMatch(
      /^\[HIGH\] 504s on orders-http-\w+\/prod: nlb-target-security-groups sg-0123456789abcdef0 \(us-east-1\)$/,
    );
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
  });

  it('keeps an untrusted name from adding a link or a line to the subject', () => {
    const subject = renderEmailSubject(viewOf(reportNamed('https://evil.example/x\r\nBcc: a@b')));
    expect(subject).not.toContain('://');
    expect(subject).toMatch(PRINTABLE_ASCII);
  });

  it('names the worst of several failing stages, its top cause, and how many more stages fail', () => {
    // Arrange: payments fails more often, but orders has the more serious cause
    const report = aReport({
      apis: [
        aStage(),
        aStage({ apiId: 'z9y8x7', apiName: 'payments', apiType: 'HTTP', errorRatio: 0.5 }),
        aStage({ apiId: 'k1k1k1', apiName: 'search', errorRatio: 0.9 }),
      ],
      findings: [
        aFinding({
          checkId: 'lb-cross-zone',
          severity: 'medium',
          apis: [{ apiId: 'z9y8x7', stage: 'prod' }],
        }),
        aFinding({ checkId: 'tg-empty-az', severity: 'critical' }),
      ],
    });

    // Act
    const subject = renderEmailSubject(viewOf(report));

    // Assert
    expect(subject).toBe(
      '[CRITICAL] 504s on orders/prod: tg-empty-az orders-tg +2 stages, 2 new (123456789012 us-east-1)',
    );
  });

  it('names the stage that fails most often when the causes weigh the same', () => {
    const report = aReport({
      apis: [aStage(), aStage({ apiId: 'z9y8x7', apiName: 'payments', errorRatio: 0.5 })],
      findings: [
        aFinding({
          apis: [
            { apiId: 'a1b2c3', stage: 'prod' },
            { apiId: 'z9y8x7', stage: 'prod' },
          ],
        }),
      ],
    });
    expect(renderEmailSubject(viewOf(report))).toMatch(
      /^\[HIGH\] 504s on payments\/prod: tg-unhealthy-az orders-tg \+1 stage,/,
    );
  });

  it('cuts a long API name so the subject stays under 100 characters and keeps cause, account and Region', () => {
    // Act
    const subject = renderEmailSubject(viewOf(reportNamed('x'.repeat(300))));

    // Assert
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(
      /^\[HIGH\] 504s on x+\.\.\.: tg-unhealthy-az orders-tg, 1 new \(123456789012 us-east-1\)$/,
    );
  });

  it('turns accented and non-Latin names into printable ASCII', () => {
    // Act
    const subject = renderEmailSubject(viewOf(reportNamed('Café-注文\n🚀', 'prød')));

    // Assert
    expect(subject).toBe(
      '[HIGH] 504s on Cafe-?? ?/prod: tg-unhealthy-az orders-tg, 1 new (123456789012 us-east-1)',
    );
  });

  it('stays one printable ASCII line under 100 characters for any API and stage name', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (name, stage) => {
          // Act
          const subject = renderEmailSubject(viewOf(reportNamed(name, stage)));

          // Assert
          expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
          expect(subject).toMatch(PRINTABLE_ASCII);
          expect(subject).toContain('123456789012 us-east-1');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('renderEmailBody', () => {
  it('opens with the stages worst first, each with its cause and fix, then counts, links and each finding', () => {
    // Act
    const body = renderEmailBody(viewOf());

    // Assert
    const finding = aFinding();
    expect(body).toContain('=== Stages, worst first (1) ===\n1. orders / prod (REST a1b2c3, us-east-1)\n');
    expect(body).toContain(
      '   High-frequency 5xx: 340 errors in 12000 requests (2.83%), errors in 11 of 12 periods.',
    );
    expect(body).toContain(`   Cause:    tg-unhealthy-az: ${finding.message.replace(/\.$/, '')}`);
    expect(body).toContain(`   Resource: orders-tg (id ${finding.id})`);
    expect(body).toContain(`   Fix:      ${finding.remediation}`);
    // The first screen comes before the counts and the long console links.
    expect(body.indexOf('   Fix:')).toBeLessThan(body.indexOf('This run:'));
    expect(body.indexOf('This run:')).toBeLessThan(body.indexOf('5xx graph:'));
    expect(body).toContain('=== Findings for orders / prod (REST a1b2c3, us-east-1) ===');
    expect(body).toContain(
      "5xx graph: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#metricsV2:graph=~(metrics~(~(~'AWS*2fApiGateway~'5XXError~'ApiName~'orders~'Stage~'prod)",
    );
    expect(body).toContain(
      'Logs:      https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/API-Gateway-Execution-Logs_a1b2c3$252Fprod',
    );
    expect(body).toContain(
      `[NEW] FAIL (high) tg-unhealthy-az (id ${finding.id}): Expected: ${finding.title}`,
    );
    expect(body).toContain('  Found:    Zone us-east-1b is enabled');
    expect(body).toContain('  Do:       Register a healthy target in us-east-1b');
    expect(body).toContain('Passed: 0 checks; 0 skipped as not applicable.');
  });

  it('shows each stage once with its numbers and links, even when its findings fall in two groups', () => {
    // Arrange: one finding shared by orders and payments, one of orders alone
    const shared = aFinding({
      apis: [
        { apiId: 'a1b2c3', stage: 'prod' },
        { apiId: 'd4e5f6', stage: 'live' },
      ],
    });
    const report = aReport({
      apis: [aStage(), aStage({ apiId: 'd4e5f6', apiName: 'payments', stage: 'live', apiType: 'HTTP' })],
      findings: [shared, aFinding({ checkId: 'integration-timeout', severity: 'medium' })],
    });

    // Act
    const body = renderEmailBody(viewOf(report));

    // Assert
    expect(body.match(/ApiName~'orders~'Stage~'prod\)/g)).toHaveLength(1);
    expect(body.match(/ApiId~'d4e5f6~'Stage~'live\)/g)).toHaveLength(1);
    expect(body).toContain(
      '=== Findings shared by orders / prod (REST a1b2c3, us-east-1) and payments / live (HTTP d4e5f6, us-east-1) ===',
    );
    expect(body).toContain('=== Findings for orders / prod (REST a1b2c3, us-east-1) ===');
  });

  it('states open counts that add up to the report: announced here plus announced before or below the threshold', () => {
    // Arrange: 2 FAIL (one low, below the medium threshold), 1 WARN, 1 ERROR, 1 PASS
    const report = aReport({
      findings: [
        aFinding(),
        aFinding({ checkId: 'vpc-flow-logs', severity: 'low' }),
        aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' }),
        aFinding({ checkId: 'nlb-access-logs-tls', status: 'ERROR', severity: 'medium' }),
        aFinding({ checkId: 'vpc-link-status', status: 'PASS' }),
      ],
    });

    // Act
    const body = renderEmailBody(viewOf(report));

    // Assert
    expect(body).toContain(
      'Open findings: 4 (2 FAIL, 1 WARN, 1 ERROR): 3 announced below, 1 announced before or below the notification severity.',
    );
  });

  it('links an HTTP API stage to its 5xx metric by ApiId', () => {
    // Arrange
    const report = aReport({ apis: [aStage({ apiType: 'HTTP' })] });

    // Act
    const body = renderEmailBody(viewOf(report));

    // Assert
    expect(body).toContain("~(~'AWS*2fApiGateway~'5xx~'ApiId~'a1b2c3~'Stage~'prod)");
    expect(body).toContain('no log group known for this HTTP API stage');
  });

  it('summarises the passes in one line and says what could not be checked', () => {
    // Arrange
    const report = aReport({
      complete: false,
      incompleteReasons: ['time budget reached before us-east-1 stage payments/prod was collected'],
      findings: [
        aFinding(),
        aFinding({ checkId: 'lb-cross-zone', status: 'PASS' }),
        aFinding({
          checkId: 'vpc-link-status',
          status: 'PASS',
          resourceArn: 'arn:aws:apigateway:us-east-1::/vpclinks/v1',
        }),
        aFinding({
          checkId: 'vpc-flow-logs',
          status: 'ERROR',
          message: 'ec2:DescribeFlowLogs failed: AccessDenied',
        }),
      ],
    });

    // Act
    const body = renderEmailBody(viewOf(report));

    // Assert
    expect(body).toContain('Passed: 2 checks (lb-cross-zone, vpc-link-status); 0 skipped as not applicable.');
    expect(body).toContain('=== What could not be checked ===');
    expect(body).toContain('- time budget reached before us-east-1 stage payments/prod was collected');
    expect(body).toContain('ec2:DescribeFlowLogs failed: AccessDenied');
  });

  it('stays within its byte budget and says how much it left out for thousands of findings', () => {
    // Arrange
    const report = aReport({ findings: manyFindings(5000) });

    // Act
    const body = renderEmailBody(viewOf(report), 32 * 1024);

    // Assert
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(32 * 1024);
    expect(body).toMatch(/\.\.\. \d+ more sections not shown/);
  });

  it('keeps every line free of control characters for any API name, message and remediation', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 500 }),
        (name, text) => {
          // Arrange
          const report = aReport({
            apis: [aStage({ apiName: name })],
            findings: [aFinding({ title: text, message: text, remediation: text })],
          });

          // Act
          const body = renderEmailBody(viewOf(report));
          const chat = renderChatNotification(viewOf(report));

          // Assert
          expect(body.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
          expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
          expect(Buffer.from(body, 'utf8').toString('utf8')).toBe(body);
          expect(chat.content.title).not.toMatch(/\p{Cc}/u);
          expect(chat.content.title.length).toBeLessThanOrEqual(250);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('produces Publish requests under the SNS limits for any API name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (name) => {
        // Act
        const messages = buildNotificationMessages(
          viewOf(reportNamed(name)),
          'arn:aws:sns:us-east-1:123456789012:t',
        );

        // Assert
        expect(messages).toHaveLength(1);
        const [message] = messages;
        expect(message?.Subject).toMatch(PRINTABLE_ASCII);
        expect(JSON.parse(message?.Message ?? '')).toEqual({
          default: expect.any(String),
          email: expect.any(String),
          https: expect.any(String),
        });
      }),
      { numRuns: 100 },
    );
  });

  it('announces a finding whose stage vanished as no longer audited, not as resolved, and not as all clear', () => {
    // Arrange: the finding's stage is gone from every report; its state expires within two days
    const finding = aFinding();
    const state = aFindingState(finding, '2026-11-02T12:00:00.000Z', {
      expiresAt: NOW.getTime() / 1000 + 24 * 3600,
    });
    const report = aReport({ apis: [aStage({ stage: 'other' })], findings: [] });
    const plan = planNotification(report, new Map([[state.findingId, state]]), DEFAULT_NOTIFY_SETTINGS, NOW);

    // Act
    const view = { report, plan, runId: runIdOf(report) };
    const body = renderEmailBody(view);
    const chat = renderChatNotification(view);

    // Assert
    expect(body).toContain('[NO LONGER AUDITED] tg-unhealthy-az (was FAIL high)');
    expect(body).toContain('no longer audited: no run has seen its API stages for weeks');
    expect(body).not.toContain('All clear');
    expect(chat.content.description).toContain('• NO LONGER AUDITED `tg-unhealthy-az`');
    expect(renderEmailSubject(view)).not.toContain('[ALL CLEAR]');
  });
});

describe('renderChatNotification stage headers', () => {
  it('prints every finding under the header of its own stages, whatever the order of the changes', () => {
    // Arrange: orders' own finding comes after one shared with payments, then payments' own
    const report = aReport({
      apis: [aStage(), aStage({ apiId: 'd4e5f6', apiName: 'payments', stage: 'live', apiType: 'HTTP' })],
      findings: [
        aFinding({
          checkId: 'tg-empty-az',
          severity: 'critical',
          apis: [
            { apiId: 'a1b2c3', stage: 'prod' },
            { apiId: 'd4e5f6', stage: 'live' },
          ],
        }),
        aFinding({ checkId: 'integration-timeout', severity: 'high' }),
        aFinding({
          checkId: 'lb-cross-zone',
          severity: 'medium',
          apis: [{ apiId: 'd4e5f6', stage: 'live' }],
        }),
      ],
    });

    // Act
    const lines = renderChatNotification(viewOf(report)).content.description.split('\n');

    // Assert: the headers right above each finding name exactly that finding's stages
    const headersAbove = (index: number): string[] => {
      const headers: string[] = [];
      let at = index - 1;
      while (at >= 0 && (lines[at] ?? '').startsWith('•')) at -= 1;
      while (at >= 0 && (lines[at] ?? '').startsWith('*`')) headers.unshift(lines[at--] ?? '');
      return headers.map((header) => (/^\*`([^`]+)`/.exec(header) ?? [])[1] ?? '');
    };
    const expected: Record<string, string[]> = {
      'tg-empty-az': ['orders', 'payments'],
      'integration-timeout': ['orders'],
      'lb-cross-zone': ['payments'],
    };
    for (const [checkId, stages] of Object.entries(expected)) {
      const index = lines.findIndex((line) => line.includes(`\`${checkId}\``));
      expect({ checkId, stages: headersAbove(index) }).toEqual({ checkId, stages });
    }
  });
});

describe('the first screen of an email and a chat message', () => {
  const command =
    'aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=10.0.0.0/16}]';
  const withFix = () =>
    aReport({
      findings: [
        aFinding({
          checkId: 'nlb-target-security-groups',
          fix: { commands: [command], cloudFormation: ['AWS::EC2::SecurityGroup SecurityGroupIngress'] },
        }),
      ],
    });

  it('gives the cause its exact fix command, before the counts', () => {
    // Act
    const body = renderEmailBody(viewOf(withFix()));
    const chat = renderChatNotification(viewOf(withFix()));

    // Assert
    expect(body).toContain(`   Fix:      ${command}\n`);
    expect(body.indexOf(command)).toBeLessThan(body.indexOf('This run:'));
    expect(body).toContain(`  Do:       ${command}`);
    expect(chat.content.description.split('\n')[1]).toBe(`  Fix: \`${command}\``);
    expect(chat.content.nextSteps?.[0]).toBe(command.replace(/[_[\]]/g, (char) => `\\${char}`));
  });

  it('twin: without a fix command the remediation stands in', () => {
    const finding = aFinding();
    const body = renderEmailBody(viewOf(aReport({ findings: [finding] })));
    expect(body).toContain(`   Fix:      ${finding.remediation}\n`);
  });

  it('names what an incomplete audit could not read in the first lines of the email and the chat message', () => {
    // Act
    const report = aReportThatReadNothing();
    const view = viewOf(report);
    const body = renderEmailBody(view);
    const chat = renderChatNotification(view);

    // Assert
    const [, , third = '', fourth = ''] = body.split('\n');
    expect(third).toMatch(/^INCOMPLETE AUDIT: nothing could be read/);
    expect(fourth).toBe(
      '- apigateway:GetRestApis failed in us-east-1 (AccessDeniedException): not authorized',
    );
    expect(chat.content.title).toMatch(
      /^:warning: Incomplete audit: could not read everything, not an all-clear/,
    );
    expect(chat.content.description.split('\n')[0]).toMatch(
      /^:warning: \*Incomplete audit, not an all-clear\.\* Could not read: `apigateway:GetRestApis failed/,
    );
  });

  it('twin: a complete audit opens with its stages, not with an incompleteness notice', () => {
    const body = renderEmailBody(viewOf(withFix()));
    expect(body).not.toContain('INCOMPLETE AUDIT');
    expect(body.split('\n')[2]).toBe('=== Stages, worst first (1) ===');
  });
});
