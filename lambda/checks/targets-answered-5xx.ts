import { ELB_5XX, seriesAt, TARGET_5XX } from '../domain/load-balancer-series';
import type { CheckResult, Inventory } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  type ErrorWindow,
  evaluateErrorMinutesByLoadBalancer,
  type Judgement,
  minutesEvidence,
  minutesText,
  pathGroupsSeries,
  periodsWhere,
  total,
  valuesIn,
} from './error-minutes';
import { couldNotRead, notApplicable } from './results';

/** The targets' 5xx account for the stage's errors when they match at least this share of them. */
export const ACCOUNTS_FOR_SHARE = 0.8;

export interface Targets5xxInput {
  where: string;
  errorWindow: ErrorWindow;
  /** HTTPCode_Target_5XX_Count per period, summed over the path's target groups of this ALB. */
  target5xx: readonly (number | null)[];
  /** HTTPCode_ELB_5XX_Count per period: the ALB's own 5xx, for contrast. */
  elb5xx: readonly (number | null)[];
}

/**
 * Pure: how many of the stage's 5xx, minute by minute, the targets answered themselves. A target's
 * 5xx reaches the client through API Gateway as it is: it is not a network error.
 */
export function judgeTargetsAnswered5xx({
  where,
  errorWindow,
  target5xx,
  elb5xx,
}: Targets5xxInput): Judgement {
  const stageErrors = total(errorWindow.periods.map((index) => errorWindow.errors.get(index) ?? 0));
  const answered = total(
    errorWindow.periods.map((index) => Math.min(target5xx[index] ?? 0, errorWindow.errors.get(index) ?? 0)),
  );
  const periods = errorWindow.periods.filter((index) => (target5xx[index] ?? 0) > 0);
  const share = stageErrors > 0 ? answered / stageErrors : 0;
  const accounts = share >= ACCOUNTS_FOR_SHARE;
  const evidence = {
    errorMinutes: minutesEvidence(errorWindow, errorWindow.periods),
    stageErrors,
    target5xxInErrorMinutes: total(valuesIn(target5xx, errorWindow.periods)),
    elb5xxInErrorMinutes: total(valuesIn(elb5xx, errorWindow.periods)),
    answeredShare: Math.round(share * 100) / 100,
    coincidedMinutes: minutesEvidence(errorWindow, periods),
    eventMinutes: minutesEvidence(
      errorWindow,
      periodsWhere(target5xx, (value) => value > 0),
    ),
    notNetworkCause: accounts,
  };
  if (answered === 0) {
    return {
      status: 'PASS',
      message: `the targets behind ${where} answered no 5xx in the stage's error minutes (${minutesText(errorWindow, errorWindow.periods)}): its errors did not come from them`,
      evidence,
    };
  }
  const counted = `${where} counted ${evidence.target5xxInErrorMinutes} HTTPCode_Target_5XX_Count at ${minutesText(errorWindow, periods)}, against the stage's ${stageErrors} 5xx in its error minutes`;
  if (accounts) {
    return {
      status: 'WARN',
      severity: 'high',
      message: `no network cause: the targets answered 5xx themselves. ${counted} (${Math.round(share * 100)}% accounted for); fix the application, not the network`,
      evidence,
    };
  }
  return {
    status: 'WARN',
    severity: 'medium',
    message: `the targets answered part of the stage's 5xx themselves: ${counted} (${Math.round(share * 100)}% accounted for); the rest came from elsewhere`,
    evidence,
  };
}

function evaluate(path: LoadBalancerPath, errorWindow: ErrorWindow, inventory: Inventory): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  if (loadBalancer.type !== 'application') {
    return notApplicable(
      resource,
      apis,
      `${describeHop(path)} is not an application load balancer: it does not see HTTP status codes`,
    );
  }
  const target5xx = pathGroupsSeries(path, inventory, TARGET_5XX);
  const elb5xx = seriesAt(inventory.loadBalancerSeries, ELB_5XX, { loadBalancerArn: loadBalancer.arn });
  const failure = [target5xx, elb5xx].find((one) => !one.ok);
  if (failure && !failure.ok)
    return couldNotRead(resource, apis, `HTTPCode_Target_5XX_Count of ${describeHop(path)}`, failure.error);
  const judgement = judgeTargetsAnswered5xx({
    where: describeHop(path),
    errorWindow,
    target5xx: target5xx.ok ? target5xx.value : [],
    elb5xx: elb5xx.ok ? elb5xx.value : [],
  });
  return { ...resource, apis, ...judgement };
}

export const targetsAnswered5xx: CheckDefinition = {
  id: 'targets-answered-5xx',
  title: "The stage's 5xx did not come from the targets themselves",
  group: 'beyond-the-article',
  severity: 'high',
  role: 'evidence',
  runsFor: ['high-frequency'],
  risk: "When an ALB's targets answer 5xx (HTTPCode_Target_5XX_Count) in the very minutes the stage fails and as many as its errors, the network delivered the requests: the application failed. Looking for a network cause would be wasted effort.",
  remediation:
    "Look at the application's own logs and errors in those minutes (exceptions, dependencies, overload); the load balancer and the VPC link carried the requests and responses as they should.",
  docs: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
    ARTICLE,
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateErrorMinutesByLoadBalancer(stages, inventory, (path, errorWindow) => [
      evaluate(path, errorWindow, inventory),
    ]),
};
