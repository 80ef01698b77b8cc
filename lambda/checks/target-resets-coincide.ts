import {
  ELB_502,
  ELB_504,
  ELB_RESETS,
  type SeriesRecord,
  seriesAt,
  TARGET_CONNECTION_ERRORS,
} from '../domain/load-balancer-series';
import type { CheckResult, Collected, Inventory } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  type ErrorWindow,
  evaluateErrorMinutesByLoadBalancer,
  type Judgement,
  mean,
  minutesEvidence,
  minutesText,
  pathGroupsSeries,
  periodsWhere,
  total,
  unionOf,
  valuesIn,
  valuesOutside,
} from './error-minutes';
import { couldNotRead } from './results';

/** One connection-failure series of the load balancer (counts, reported only when non-zero). */
export interface ConnectionSeries {
  metricName: string;
  values: readonly (number | null)[];
}

export interface ResetsInput {
  where: string;
  errorWindow: ErrorWindow;
  series: readonly ConnectionSeries[];
}

/** Pure: did resets or connection errors happen in the stage's error minutes, and more than at other times? */
export function judgeResetsCoincide({ where, errorWindow, series }: ResetsInput): Judgement {
  const found = series.flatMap((one) => {
    const periods = errorWindow.periods.filter((index) => (one.values[index] ?? 0) > 0);
    if (periods.length === 0) return [];
    const during = valuesIn(one.values, errorWindow.periods);
    // A period without a data point had none: these counts are reported only when non-zero.
    const others = valuesOutside(
      one.values.map((value) => value ?? 0),
      errorWindow.periods,
    );
    return [
      {
        metricName: one.metricName,
        periods,
        inErrorMinutes: total(during),
        perErrorPeriod: mean(errorWindow.periods.map((index) => one.values[index] ?? 0)),
        perOtherPeriod: mean(others),
      },
    ];
  });
  const evidence = {
    errorMinutes: minutesEvidence(errorWindow, errorWindow.periods),
    metrics: series.map((one) => one.metricName),
    coincided: found.map((one) => ({ ...one, periods: minutesEvidence(errorWindow, one.periods) })),
    coincidedMinutes: minutesEvidence(errorWindow, unionOf(found.map((one) => one.periods))),
    eventMinutes: minutesEvidence(
      errorWindow,
      unionOf(
        series
          .filter((one) => found.some((f) => f.metricName === one.metricName))
          .map((one) => periodsWhere(one.values, (value) => value > 0)),
      ),
    ),
  };
  if (found.length === 0) {
    return {
      status: 'PASS',
      message: `${where} recorded no ${series.map((one) => one.metricName).join(', ')} in the stage's error minutes (${minutesText(errorWindow, errorWindow.periods)})`,
      evidence,
    };
  }
  const details = found
    .map((one) => `${one.inErrorMinutes} ${one.metricName} at ${minutesText(errorWindow, one.periods)}`)
    .join('; ');
  const bunched = found.filter((one) => one.perErrorPeriod > one.perOtherPeriod);
  if (bunched.length > 0) {
    return {
      status: 'FAIL',
      message: `${where} recorded ${details}, while the stage failed, more than in its other periods: connections between the load balancer and the targets were reset or refused in the stage's error minutes`,
      evidence,
    };
  }
  return {
    status: 'WARN',
    severity: 'low',
    message: `${where} recorded ${details} while the stage failed, but as many in its other periods: a steady level, not what the error minutes add`,
    evidence,
  };
}

function lbSeries(
  series: SeriesRecord | undefined,
  spec: typeof ELB_RESETS,
  path: LoadBalancerPath,
): Collected<ConnectionSeries> {
  const read = seriesAt(series, spec, { loadBalancerArn: path.loadBalancer.arn });
  return read.ok ? { ok: true, value: { metricName: spec.metricName, values: read.value } } : read;
}

/** The series of the load balancer's type: NLB resets; ALB connection errors (its target groups on the path) and 502/504. */
function connectionSeries(path: LoadBalancerPath, inventory: Inventory): Collected<ConnectionSeries>[] {
  const series = inventory.loadBalancerSeries;
  const { loadBalancer } = path;
  if (loadBalancer.type === 'network') {
    const resets = loadBalancer.tcpTargetResets;
    return [
      resets.ok
        ? { ok: true, value: { metricName: 'TCP_Target_Reset_Count', values: resets.value ?? [] } }
        : resets,
      lbSeries(series, ELB_RESETS, path),
    ];
  }
  const summed = pathGroupsSeries(path, inventory, TARGET_CONNECTION_ERRORS);
  const connectionErrors: Collected<ConnectionSeries> = summed.ok
    ? { ok: true, value: { metricName: TARGET_CONNECTION_ERRORS.metricName, values: summed.value } }
    : summed;
  return [connectionErrors, lbSeries(series, ELB_502, path), lbSeries(series, ELB_504, path)];
}

function evaluate(path: LoadBalancerPath, errorWindow: ErrorWindow, inventory: Inventory): CheckResult {
  const resource = loadBalancerResource(path.loadBalancer);
  const read = connectionSeries(path, inventory);
  const failure = read.find((one) => !one.ok);
  if (failure && !failure.ok)
    return couldNotRead(resource, path.apis, `the connection errors of ${describeHop(path)}`, failure.error);
  const judgement = judgeResetsCoincide({
    where: describeHop(path),
    errorWindow,
    series: read.flatMap((one) => (one.ok ? [one.value] : [])),
  });
  return { ...resource, apis: path.apis, ...judgement };
}

export const targetResetsCoincide: CheckDefinition = {
  id: 'target-resets-coincide',
  title: 'No resets or connection errors in the minutes the stage failed',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'Resets (NLB TCP_Target_Reset_Count, TCP_ELB_Reset_Count) or failed connections to targets (ALB TargetConnectionErrorCount, HTTPCode_ELB_502/504) in the same minutes as the stage\'s 5xx are what API Gateway reports as "Network error communicating with endpoint": targets restarting, closing kept-alive connections early, or refusing them.',
  remediation:
    "Look at the targets in those minutes: restarts and deploys, connection limits, and keep-alive timeouts shorter than the load balancer's idle timeout (NLB 350 s, ALB 60 s by default): make the targets keep idle connections open longer than the load balancer does.",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateErrorMinutesByLoadBalancer(stages, inventory, (path, errorWindow) => [
      evaluate(path, errorWindow, inventory),
    ]),
};
