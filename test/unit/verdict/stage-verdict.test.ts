/**
 * The verdict per stage: which findings explain a stage's errors, in which order, and what it says
 * when none does. Each "finds a cause" case has a twin that must not.
 */
import type { Finding } from '../../../lambda/domain/types';
import { buildReport } from '../../../lambda/report/build-report';
import { CHECK_CATALOGUE } from '../../../lambda/verdict/check-catalogue';
import { verdictOf, withVerdicts } from '../../../lambda/verdict/stage-verdict';
import { aFinding, aStage } from '../../support/report-builders';
import { expectValidReport } from '../../support/report-schema';

const failing = aStage();
const verdict = (findings: Finding[], stage = failing) => verdictOf(stage, findings, CHECK_CATALOGUE);

const finding = (checkId: string, overrides: Partial<Finding> = {}) =>
  aFinding({
    checkId,
    resourceArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${checkId}/0123456789abcdef`,
    ...overrides,
  });

describe('verdictOf', () => {
  it('ranks a cause that stops traffic above a condition that makes it worse, whatever their severities', () => {
    // Arrange
    const condition = finding('nlb-tcp-target-resets', { severity: 'critical' });
    const cause = finding('integration-timeout', { severity: 'medium' });

    // Act
    const result = verdict([condition, cause]);

    // Assert
    expect(result).toMatchObject({ kind: 'cause', causes: [cause.id, condition.id] });
    expect(result.summary).toMatch(/^integration-timeout: .*; 1 more cause$/);
  });

  it('orders causes by severity, then what stops all traffic before what stops a zone, then resource', () => {
    const empty = finding('tg-empty-az', { severity: 'high' });
    const blocked = finding('nlb-target-security-groups', { severity: 'high' });
    const critical = finding('integration-timeout', { severity: 'critical' });
    expect(verdict([empty, blocked, critical]).causes).toEqual([critical.id, blocked.id, empty.id]);
  });

  it.each([
    'stage-access-logging',
    'stage-execution-logging',
    'vpc-flow-logs',
    'nlb-access-logs-tls',
    'client-retries',
  ])('never names the observability gap or advice %s as the cause', (checkId) => {
    const result = verdict([finding(checkId, { severity: 'critical' })]);
    expect(result).toMatchObject({ kind: 'no-network-cause', causes: [] });
    expect(result.summary).toMatch(
      /^no network cause found \(340 5xx in 12000 requests\): the path checks pass/,
    );
  });

  it('takes a WARN ("may reach") of a cause check for no cause on its own', () => {
    expect(verdict([finding('nlb-target-security-groups', { status: 'WARN' })]).causes).toEqual([]);
  });

  it('says the logs show network errors when only the log evidence fails, without calling it the cause', () => {
    const result = verdict([finding('execution-log-network-errors', { severity: 'medium' })]);
    expect(result).toMatchObject({ kind: 'no-network-cause', causes: [] });
    expect(result.summary).toMatch(/^the logs show network errors .* no check on the path explains them/);
  });

  it('says the targets answered the 5xx themselves when the ALB counted them, not a network cause', () => {
    const answered = finding('targets-answered-5xx', {
      status: 'WARN',
      message: 'no network cause: the targets answered 5xx themselves. 340 target 5xx.',
      evidence: { notNetworkCause: true },
    });
    const result = verdict([answered]);
    expect(result).toMatchObject({ kind: 'no-network-cause', causes: [] });
    expect(result.summary).toMatch(
      /^no network cause found \(340 5xx in 12000 requests\): the targets answered 5xx themselves/,
    );
  });

  it("twin: the same check saying the 5xx were the load balancer's own does not blame the targets", () => {
    const own = finding('targets-answered-5xx', { status: 'PASS', evidence: { notNetworkCause: false } });
    expect(verdict([own]).summary).not.toMatch(/targets answered 5xx themselves \(/);
  });

  it('puts what happened in the minutes of a burst before a configuration that would fail every period', () => {
    // Arrange: 5xx in 2 of 12 periods; the healthy targets fell to zero in those very minutes
    const burst = aStage({ periodsWithErrors: 2 });
    const blocked = finding('nlb-target-security-groups', { severity: 'high' });
    const dip = finding('tg-healthy-dip', {
      severity: 'high',
      evidence: { eventMinutes: ['2026-11-29T11:30:00.000Z'] },
    });

    // Act
    const result = verdict([blocked, dip], burst);

    // Assert
    expect(result.causes).toEqual([dip.id, blocked.id]);
  });

  it('twin: for errors in most periods, the configuration that stops traffic comes first', () => {
    const blocked = finding('nlb-target-security-groups', { severity: 'high' });
    const dip = finding('tg-healthy-dip', {
      severity: 'high',
      evidence: { eventMinutes: ['2026-11-29T11:30:00.000Z'] },
    });
    expect(verdict([dip, blocked]).causes).toEqual([blocked.id, dip.id]);
  });

  it('says errors are transient for a low-frequency stage nothing explains', () => {
    const trickle = aStage({ classification: 'low-frequency', errors5xx: 12, requests: 1_000_008 });
    const result = verdict([finding('client-retries', { status: 'WARN', severity: 'low' })], trickle);
    expect(result).toEqual({
      kind: 'transient',
      causes: [],
      summary: 'errors are transient (12 5xx in 1000008 requests): clients should retry with backoff',
    });
  });

  it('twin: a low-frequency stage with a cause gets the cause, not "transient"', () => {
    const trickle = aStage({ classification: 'low-frequency' });
    const link = finding('vpc-link-status', { severity: 'critical' });
    expect(verdict([link], trickle)).toMatchObject({ kind: 'cause', causes: [link.id] });
  });

  it('never reads as an all-clear when a check could not read its data and nothing else explains the errors', () => {
    const result = verdict([
      finding('tg-unhealthy-az', { status: 'ERROR' }),
      finding('vpc-link-status', { status: 'PASS' }),
    ]);
    expect(result.kind).toBe('unreadable');
    expect(result.summary).toBe(
      'no cause found, but 1 check could not read their data (tg-unhealthy-az): not an all-clear',
    );
  });

  it('cuts a long first sentence for the summary: at a word where it can, else mid-word', () => {
    const words = `${'target i-0a1 refused '.repeat(15)}the connection. More detail.`;
    const atWord = verdict([finding('integration-timeout', { message: words })]).summary;
    expect(atWord).toMatch(/^integration-timeout: (target i-0a1 refused )+target…$/);
    expect(atWord.length).toBeLessThanOrEqual('integration-timeout: '.length + 221);
    const oneWord = verdict([finding('integration-timeout', { message: 'x'.repeat(300) })]).summary;
    expect(oneWord).toBe(`integration-timeout: ${'x'.repeat(220)}…`);
  });

  it('never takes a check the catalogue does not know for a cause, and orders it after every known one', () => {
    expect(verdict([finding('check-of-a-newer-version', { severity: 'critical' })]).causes).toEqual([]);
    expect(CHECK_CATALOGUE.order('check-of-a-newer-version')).toBeGreaterThan(
      CHECK_CATALOGUE.order('integration-timeout'),
    );
  });

  it('says a failing stage whose path was never checked is not an all-clear', () => {
    expect(verdict([])).toMatchObject({ kind: 'unreadable', causes: [] });
  });

  it('says healthy and idle stages have nothing to explain', () => {
    const healthy = aStage({ classification: 'healthy', errors5xx: 0 });
    const idle = aStage({ classification: 'no-traffic', requests: 0, errors5xx: 0 });
    expect(verdict([], healthy)).toEqual({ kind: 'healthy', causes: [], summary: 'no 5xx in the window' });
    expect(verdict([], idle)).toEqual({
      kind: 'no-traffic',
      causes: [],
      summary: 'no requests in the window',
    });
  });
});

describe('withVerdicts', () => {
  it('gives each stage the findings of its own account and Region only', () => {
    // Arrange: the same API id and stage in another account
    const here = finding('tg-empty-az');
    const elsewhere = finding('vpc-link-status', { account: '210987654321' });

    // Act
    const [stage] = withVerdicts([aStage()], [here, elsewhere], '123456789012', CHECK_CATALOGUE);

    // Assert
    expect(stage?.verdict.causes).toEqual([here.id]);
  });
});

describe('buildReport', () => {
  it('writes every stage verdict into apis[].verdict, valid against the shipped schema', () => {
    // Arrange
    const cause = finding('tg-unhealthy-az');

    // Act
    const report = buildReport({
      tool: { name: 'api-network-auditor', version: '0.1.0' },
      generatedAt: '2026-11-29T12:00:00.000Z',
      account: '123456789012',
      regions: ['us-east-1'],
      window: { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 300 },
      thresholds: { highErrorRatio: 0.05, continuousPeriodShare: 0.5, minRequests: 100 },
      stages: [aStage(), aStage({ apiId: 'q1', classification: 'healthy', errors5xx: 0 })],
      findings: [cause],
      stats: { durationMs: 1, awsCalls: {}, retries: 0 },
      incompleteReasons: [],
    });

    // Assert
    expectValidReport(report);
    expect(report.apis.map((stage) => stage.verdict?.causes)).toEqual([[cause.id], []]);
    expect(report.thresholds.transientErrorRatio).toBe(0.001);
  });
});
