import {
  ELB_502,
  ELB_504,
  ELB_RESETS,
  type SeriesRecord,
  seriesAt,
  TARGET_CONNECTION_ERRORS,
} from '../domain/load-balancer-series';
import type { CheckResult, Collected, Inventory, ListenerFacts } from '../domain/types';
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

/** The load balancer's idle timeout where the traffic enters, as AWS exposes it. */
export interface IdleTimeout {
  /** `listener TCP:80`, or `load balancer` for an ALB's attribute. */
  where: string;
  /** Absent when it could not be read. */
  seconds?: number;
  /** How it is known: the attribute read, or AWS's documented value. */
  source: string;
  /** The action that failed, when it could not be read. */
  unreadable?: string;
}

export interface ResetsInput {
  where: string;
  errorWindow: ErrorWindow;
  series: readonly ConnectionSeries[];
  /** The idle timeouts of the listeners on the path (or the ALB's): advice when keep-alive may be the cause. */
  idleTimeouts?: readonly IdleTimeout[];
}

/**
 * What a target closing a kept-alive connection first shows as: its resets (NLB), the NLB's own
 * resets on a flow it has already timed out, an ALB's 502 ("if the application closes the TCP
 * connection to the load balancer ungracefully, ... the load balancer sends an HTTP 502 Bad
 * Gateway", ALB guide, "Edit attributes": Connection idle timeout).
 */
const KEEP_ALIVE_SIGNS = new Set(['TCP_Target_Reset_Count', 'TCP_ELB_Reset_Count', 'HTTPCode_ELB_502_Count']);

/** NLB: "The default idle timeout value for TCP flows is 350 seconds." and "The connection idle timeout for TLS listeners is 350 seconds and can't be modified." (NLB guide, "Update the TCP idle timeout"). */
const NLB_IDLE_TIMEOUT_SECONDS = 350;
/** ALB: "By default, ELB sets the idle timeout value for your load balancer to 60 seconds." (ALB guide, "Edit attributes"). */
const ALB_IDLE_TIMEOUT_SECONDS = 60;

const secondsOr = (value: string | undefined, fallback: number): { seconds: number; set: boolean } => {
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds)
    ? { seconds, set: true }
    : { seconds: fallback, set: false };
};

/** One listener's idle timeout: read for an NLB's TCP listener, fixed for its TLS listeners; none for others or when not read. */
function listenerIdleTimeout(listener: ListenerFacts): IdleTimeout[] {
  const where = `listener ${listener.protocol}:${listener.port}`;
  if (listener.protocol === 'TLS')
    return [{ where, seconds: NLB_IDLE_TIMEOUT_SECONDS, source: 'fixed for TLS listeners' }];
  if (listener.protocol !== 'TCP' || listener.attributes === undefined) return [];
  if (!listener.attributes.ok)
    return [{ where, source: 'tcp.idle_timeout.seconds', unreadable: listener.attributes.error.action }];
  const { seconds, set } = secondsOr(
    listener.attributes.value['tcp.idle_timeout.seconds'],
    NLB_IDLE_TIMEOUT_SECONDS,
  );
  return [{ where, seconds, source: set ? 'tcp.idle_timeout.seconds' : 'the default for TCP listeners' }];
}

/** Pure: the idle timeouts the load balancer applies to the path's connections, as AWS exposes them. */
export function idleTimeoutsOf(path: Pick<LoadBalancerPath, 'loadBalancer' | 'listeners'>): IdleTimeout[] {
  const { loadBalancer } = path;
  if (loadBalancer.type === 'network')
    return path.listeners.flatMap((hop) => listenerIdleTimeout(hop.listener));
  if (loadBalancer.type !== 'application') return [];
  const where = 'load balancer';
  if (!loadBalancer.attributes.ok)
    return [
      { where, source: 'idle_timeout.timeout_seconds', unreadable: loadBalancer.attributes.error.action },
    ];
  const { seconds, set } = secondsOr(
    loadBalancer.attributes.value['idle_timeout.timeout_seconds'],
    ALB_IDLE_TIMEOUT_SECONDS,
  );
  return [{ where, seconds, source: set ? 'idle_timeout.timeout_seconds' : 'the default' }];
}

const describeIdleTimeout = (timeout: IdleTimeout): string =>
  timeout.seconds === undefined
    ? `unreadable (${timeout.where}: ${timeout.unreadable} failed)`
    : `${timeout.seconds} s (${timeout.where}, ${timeout.source})`;

/** The advice when what coincided may be targets closing kept-alive connections first; empty otherwise. */
function keepAliveAdvice(
  where: string,
  metricNames: readonly string[],
  idleTimeouts: readonly IdleTimeout[],
): string {
  if (!metricNames.some((name) => KEEP_ALIVE_SIGNS.has(name)) || idleTimeouts.length === 0) return '';
  return (
    `. Idle timeout of ${where}: ${idleTimeouts.map(describeIdleTimeout).join(', ')}; the targets must keep idle connections open longer than that ` +
    "(AWS recommends an application idle timeout larger than the load balancer's); the audit cannot read the targets' keep-alive timeout, so check it on them"
  );
}

/** Pure: did resets or connection errors happen in the stage's error minutes, and more than at other times? */
export function judgeResetsCoincide({
  where,
  errorWindow,
  series,
  idleTimeouts = [],
}: ResetsInput): Judgement {
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
  const advice = keepAliveAdvice(
    where,
    found.map((one) => one.metricName),
    idleTimeouts,
  );
  const withAdvice = advice ? { ...evidence, idleTimeouts } : evidence;
  const bunched = found.filter((one) => one.perErrorPeriod > one.perOtherPeriod);
  if (bunched.length > 0) {
    return {
      status: 'FAIL',
      message: `${where} recorded ${details}, while the stage failed, more than in its other periods: connections between the load balancer and the targets were reset or refused in the stage's error minutes${advice}`,
      evidence: withAdvice,
    };
  }
  return {
    status: 'WARN',
    severity: 'low',
    message: `${where} recorded ${details} while the stage failed, but as many in its other periods: a steady level, not what the error minutes add${advice}`,
    evidence: withAdvice,
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
    idleTimeouts: idleTimeoutsOf(path),
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
    'Look at the targets in those minutes: restarts and deploys, connection limits, and keep-alive timeouts shorter than the load balancer\'s idle timeout (the finding names it; NLB TCP listeners 350 s and ALBs 60 s by default): make the targets keep idle connections open longer than the load balancer does, as AWS recommends ("configure the idle timeout of your application to be larger than the idle timeout configured for the load balancer").',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateErrorMinutesByLoadBalancer(stages, inventory, (path, errorWindow) => [
      evaluate(path, errorWindow, inventory),
    ]),
};
