/** Small builders for Report objects in notification tests: sensible defaults, override what matters. */
import type { ClassifiedStage, Finding, Report } from '../../lambda/domain/types';
import { findingId } from '../../lambda/engine/finding-id';
import type { FindingState } from '../../lambda/notify/finding-state';
import { stateOf } from '../../lambda/notify/plan-notification';
import { buildReport } from '../../lambda/report/build-report';
import { CHECK_CATALOGUE } from '../../lambda/verdict/check-catalogue';
import { withVerdicts } from '../../lambda/verdict/stage-verdict';
import { aClassifiedStage } from './inventory-builders';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export type ReportStage = ClassifiedStage & { region: string };

/** A stage of the report: the inventory builders' stage with the numbers these tests read. */
export function aStage(overrides: Partial<ReportStage> = {}): ReportStage {
  return aClassifiedStage({ errors5xx: 340, errorRatio: 340 / 12_000, periodsWithErrors: 11, ...overrides });
}

export function aFinding(overrides: Partial<Finding> = {}): Finding {
  const checkId = overrides.checkId ?? 'tg-unhealthy-az';
  const resourceArn =
    overrides.resourceArn ??
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/orders-tg/0123456789abcdef`;
  return {
    id: findingId(checkId, resourceArn, ACCOUNT, overrides.region ?? REGION),
    checkId,
    status: 'FAIL',
    severity: 'high',
    region: REGION,
    resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    resourceArn,
    apis: [{ apiId: 'a1b2c3', stage: 'prod' }],
    title: 'A zone has no healthy target',
    message:
      'Zone us-east-1b is enabled on net/orders-nlb/abc but target group orders-tg has no healthy target there.',
    remediation: 'Register a healthy target in us-east-1b, or disable the zone on the load balancer.',
    docs: ['https://repost.aws/knowledge-center/api-gateway-vpc-link-504-errors'],
    evidence: { zone: 'us-east-1b', healthy: 0 },
    ...overrides,
  };
}

export function aReport(overrides: Partial<Report> = {}): Report {
  const base = buildReport({
    tool: { name: 'api-network-auditor', version: '0.1.0' },
    generatedAt: '2026-11-29T12:00:00.000Z',
    account: ACCOUNT,
    regions: [REGION],
    window: { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 300 },
    thresholds: { highErrorRatio: 0.05, continuousPeriodShare: 0.5, minRequests: 100 },
    stages: [aStage()],
    findings: [aFinding()],
    stats: { durationMs: 8123, awsCalls: { 'CloudWatch.GetMetricData': 2 }, retries: 0 },
    incompleteReasons: [],
  });
  const report = { ...base, ...overrides };
  // Stages given here get the verdicts of the findings given here, as buildReport gives them.
  return {
    ...report,
    apis: withVerdicts(report.apis, report.findings, report.account, CHECK_CATALOGUE),
  };
}

/** `count` distinct FAIL findings on one stage, each on its own target group. */
export function manyFindings(count: number, overrides: Partial<Finding> = {}): Finding[] {
  return Array.from({ length: count }, (_, index) =>
    aFinding({
      resourceArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-${index}/${index.toString(16).padStart(16, '0')}`,
      message: `Target group tg-${index} has no healthy target in us-east-1b (0 of 2 registered targets healthy).`,
      evidence: { zone: 'us-east-1b', healthy: 0, registered: 2, index },
      ...overrides,
    }),
  );
}

/** What a run that announced `finding` at `at` remembered of it (open, expiring in 29 days from then). */
export function aFindingState(
  finding: Finding,
  at: string,
  overrides: Partial<FindingState> = {},
): FindingState {
  return { ...stateOf(finding, undefined, at, Date.parse(at) / 1000 + 29 * 24 * 3600), ...overrides };
}

/** A resource ARN the account-isolation tests put in every account (names carry no account). */
export const SHARED_TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/orders-tg/0123456789abcdef';

/**
 * One account and Region's part of an organization audit, as auditTarget returns it: the same stage
 * and the same target-group finding in every account, each keyed (id) and stamped with its account.
 */
export function anAccountPart(account: string, region = REGION, overrides: Partial<Report> = {}): Report {
  const finding = aFinding({
    region,
    resourceArn: SHARED_TARGET_GROUP_ARN,
    id: findingId('tg-unhealthy-az', SHARED_TARGET_GROUP_ARN, account, region),
    account,
  });
  return aReport({
    account,
    regions: [region],
    apis: [{ ...aStage({ region }), account }],
    findings: [finding],
    stats: { durationMs: 1000, awsCalls: { 'STS.AssumeRole': 1, 'CloudWatch.GetMetricData': 2 }, retries: 1 },
    ...overrides,
  });
}

/** The usual first run with the wrong profile: every call refused but STS GetCallerIdentity. */
export function aReportThatReadNothing(): Report {
  return aReport({
    apis: [],
    findings: [],
    complete: false,
    incompleteReasons: [
      'apigateway:GetRestApis failed in us-east-1 (AccessDeniedException): not authorized',
      'apigateway:GetApis failed in us-east-1 (AccessDeniedException): not authorized',
    ],
  });
}
