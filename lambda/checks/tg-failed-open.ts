import { HEALTHY_HOSTS, type SeriesRecord, UNHEALTHY_HOSTS } from '../domain/load-balancer-series';
import type { CheckResult, TargetGroupFacts } from '../domain/types';
import { describeHop, type LoadBalancerPath, targetGroupResource } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  type ErrorWindow,
  evaluateErrorMinutesByTargetGroup,
  type Judgement,
  minutesEvidence,
  minutesText,
  periodsWhere,
  targetGroupSeries,
  valuesIn,
} from './error-minutes';

export interface FailedOpenInput {
  where: string;
  errorWindow: ErrorWindow;
  /** The group's fewest healthy targets per period (HealthyHostCount, Minimum). */
  healthy: readonly (number | null)[];
  /** The group's most unhealthy targets per period (UnHealthyHostCount, Maximum). */
  unhealthy: readonly (number | null)[];
}

/** Pure: in which of the stage's error minutes had the group no healthy target but unhealthy ones? */
export function judgeFailedOpen({ where, errorWindow, healthy, unhealthy }: FailedOpenInput): Judgement {
  if (
    valuesIn(healthy, errorWindow.periods).length === 0 &&
    valuesIn(unhealthy, errorWindow.periods).length === 0
  ) {
    return {
      status: 'SKIPPED',
      message: `${where} reported no HealthyHostCount or UnHealthyHostCount data in the stage's error minutes`,
    };
  }
  const open = errorWindow.periods.filter((index) => healthy[index] === 0 && (unhealthy[index] ?? 0) > 0);
  const evidence = {
    errorMinutes: minutesEvidence(errorWindow, errorWindow.periods),
    coincidedMinutes: minutesEvidence(errorWindow, open),
    eventMinutes: minutesEvidence(
      errorWindow,
      periodsWhere(healthy, (value, index) => value === 0 && (unhealthy[index] ?? 0) > 0),
    ),
    unhealthyMax: Math.max(0, ...valuesIn(unhealthy, open)),
  };
  if (open.length === 0) {
    return {
      status: 'PASS',
      message: `${where} had a healthy target in every error minute of the stage (${minutesText(errorWindow, errorWindow.periods)})`,
      evidence,
    };
  }
  return {
    status: 'FAIL',
    message: `${where} had no healthy target and up to ${evidence.unhealthyMax} unhealthy ones at ${minutesText(errorWindow, open)}, while the stage failed: the group failed open, so the load balancer sent the stage's traffic to unhealthy targets`,
    evidence,
  };
}

function evaluate(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  errorWindow: ErrorWindow,
  series: SeriesRecord | undefined,
): CheckResult {
  const healthy = targetGroupSeries(series, HEALTHY_HOSTS, path, targetGroup);
  if (!healthy.ok) return healthy.result;
  const unhealthy = targetGroupSeries(series, UNHEALTHY_HOSTS, path, targetGroup);
  if (!unhealthy.ok) return unhealthy.result;
  const judgement = judgeFailedOpen({
    where: `target group ${targetGroup.name} (${describeHop(path)})`,
    errorWindow,
    healthy: healthy.value,
    unhealthy: unhealthy.value,
  });
  return { ...targetGroupResource(targetGroup), apis: path.apis, ...judgement };
}

export const tgFailedOpen: CheckDefinition = {
  id: 'tg-failed-open',
  title: 'The target group did not fail open while the stage failed',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'When every target of a group fails its health checks, the load balancer fails open and sends traffic to all of them regardless of health: requests reach targets that cannot answer, and API Gateway reports network errors or 5xx.',
  remediation:
    'Find why every target failed its health checks in those minutes (a bad deploy, a dependency down, a health check path that fails under load) and fix it; make deploys keep healthy capacity, and alarm on HealthyHostCount reaching zero.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateErrorMinutesByTargetGroup(stages, inventory, (path, targetGroup, errorWindow) => [
      evaluate(path, targetGroup, errorWindow, inventory.loadBalancerSeries),
    ]),
};
