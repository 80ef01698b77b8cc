import { HEALTHY_HOSTS, HEALTHY_HOSTS_IN_ZONE, type SeriesRecord } from '../domain/load-balancer-series';
import type { CheckResult, HealthCheckFacts, TargetGroupFacts } from '../domain/types';
import { effectiveCrossZone } from '../path/cross-zone';
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
  unionOf,
  valuesIn,
  valuesOutside,
} from './error-minutes';
import { notApplicable, plural } from './results';

export const DEREGISTRATION_DELAY_ATTRIBUTE = 'deregistration_delay.timeout_seconds';

/** One HealthyHostCount series: the group's (`zone` absent) or one zone's. */
export interface HealthySeries {
  zone?: string;
  values: readonly (number | null)[];
}

export interface HealthyDipInput {
  where: string;
  errorWindow: ErrorWindow;
  group: HealthySeries;
  zones: readonly HealthySeries[];
  /** Registered targets now, and how many of them are healthy. */
  registeredNow: number;
  healthyNow: number;
  /** Cross-zone load balancing on: another zone's healthy targets serve a zone that has none. */
  crossZone: boolean;
  deregistrationDelaySeconds: number | null;
  healthCheck?: HealthCheckFacts;
}

interface Dip {
  zone: string;
  before: number;
  lowest: number;
  periods: number[];
  /** Every period of the window below `before`, whether the stage failed then or not. */
  everywhere: number[];
}

/** The error periods in which the series fell below its level in the other periods (or the window's peak). */
function dipOf(series: HealthySeries, errorWindow: ErrorWindow): Dip | null {
  const outside = valuesOutside(series.values, errorWindow.periods);
  const during = valuesIn(series.values, errorWindow.periods);
  if (during.length === 0) return null;
  const before = Math.max(...(outside.length > 0 ? outside : during));
  const periods = errorWindow.periods.filter((index) => {
    const value = series.values[index];
    return value !== null && value !== undefined && value < before;
  });
  if (periods.length === 0) return null;
  const everywhere = periodsWhere(series.values, (value) => value < before);
  return { zone: series.zone ?? 'the whole group', before, lowest: Math.min(...during), periods, everywhere };
}

function timing(input: HealthyDipInput): string {
  const parts = [
    input.deregistrationDelaySeconds === null
      ? null
      : `deregistration delay ${input.deregistrationDelaySeconds} s`,
    input.healthCheck
      ? `a new target is healthy after ${input.healthCheck.healthyThreshold} ${input.healthCheck.protocol} checks ${input.healthCheck.intervalSeconds} s apart (${input.healthCheck.healthyThreshold * input.healthCheck.intervalSeconds} s)`
      : null,
  ].filter((part) => part !== null);
  return `${parts.join('; ')}${parts.length > 0 ? '; ' : ''}AWS documents that registration and deregistration each take a few minutes`;
}

/** Pure: did healthy targets in a zone or the group fall while the stage failed? */
export function judgeHealthyDip(input: HealthyDipInput): Judgement {
  const all = [input.group, ...input.zones];
  if (all.every((series) => series.values.every((value) => value === null))) {
    return {
      status: 'SKIPPED',
      message: `${input.where} reported no HealthyHostCount data in the window (ELB publishes it only while health checks run and requests flow)`,
    };
  }
  const dips = all.flatMap((series) => {
    const dip = dipOf(series, input.errorWindow);
    return dip ? [dip] : [];
  });
  const timings = {
    deregistrationDelaySeconds: input.deregistrationDelaySeconds,
    healthCheck: input.healthCheck ?? null,
  };
  if (dips.length === 0) {
    return {
      status: 'PASS',
      message: `healthy targets of ${input.where} held steady in the stage's error minutes (${minutesText(input.errorWindow, input.errorWindow.periods)})`,
      evidence: { errorMinutes: minutesEvidence(input.errorWindow, input.errorWindow.periods), ...timings },
    };
  }
  const toZero = dips.filter((dip) => dip.lowest === 0);
  const groupEmptied = toZero.some((dip) => dip.zone === 'the whole group');
  const details = dips.map(
    (dip) =>
      `${dip.zone === 'the whole group' ? 'the whole group' : `zone ${dip.zone}`} fell to ${dip.lowest} (from ${dip.before}) at ${minutesText(input.errorWindow, dip.periods)}`,
  );
  const now =
    input.registeredNow > 0 && input.healthyNow === input.registeredNow
      ? `all ${plural(input.registeredNow, 'registered target')} are healthy now: a deploy, scale-in or cut-over that took targets out faster than new ones turned healthy`
      : `${input.healthyNow} of ${plural(input.registeredNow, 'registered target')} are healthy now`;
  const message = `healthy targets of ${input.where} dipped while the stage failed: ${details.join('; ')}; ${now} (${timing(input)})`;
  const evidence = {
    dips: dips.map(({ everywhere: _, ...dip }) => ({
      ...dip,
      periods: minutesEvidence(input.errorWindow, dip.periods),
    })),
    eventMinutes: minutesEvidence(input.errorWindow, unionOf(dips.map((dip) => dip.everywhere))),
    errorMinutes: minutesEvidence(input.errorWindow, input.errorWindow.periods),
    coincidedMinutes: minutesEvidence(input.errorWindow, unionOf(dips.map((dip) => dip.periods))),
    healthyNow: input.healthyNow,
    registeredNow: input.registeredNow,
    crossZone: input.crossZone,
    ...timings,
  };
  if (groupEmptied || (toZero.length > 0 && !input.crossZone)) {
    return { status: 'FAIL', message, evidence };
  }
  const softened =
    toZero.length > 0 ? '; cross-zone load balancing is on, so other zones served that share' : '';
  return { status: 'WARN', severity: 'medium', message: `${message}${softened}`, evidence };
}

function evaluate(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  errorWindow: ErrorWindow,
  series: SeriesRecord | undefined,
): CheckResult {
  const resource = targetGroupResource(targetGroup);
  const { apis, loadBalancer } = path;
  if (targetGroup.targetType === 'lambda') {
    return notApplicable(
      resource,
      apis,
      `target group ${targetGroup.name} targets a Lambda function: it has no zones`,
    );
  }
  const group = targetGroupSeries(series, HEALTHY_HOSTS, path, targetGroup);
  if (!group.ok) return group.result;
  const zones: HealthySeries[] = [];
  for (const { zoneName } of loadBalancer.zones) {
    const zone = targetGroupSeries(series, HEALTHY_HOSTS_IN_ZONE, path, targetGroup, zoneName);
    if (!zone.ok) return zone.result;
    zones.push({ zone: zoneName, values: zone.value });
  }
  const targets = targetGroup.targets.ok ? targetGroup.targets.value : [];
  const crossZone = effectiveCrossZone(loadBalancer, targetGroup);
  const delay = targetGroup.attributes.ok
    ? Number(targetGroup.attributes.value[DEREGISTRATION_DELAY_ATTRIBUTE] ?? Number.NaN)
    : Number.NaN;
  const judgement = judgeHealthyDip({
    where: `target group ${targetGroup.name} (${describeHop(path)})`,
    errorWindow,
    group: { values: group.value },
    zones,
    registeredNow: targets.length,
    healthyNow: targets.filter((target) => target.state === 'healthy').length,
    crossZone: crossZone.ok && crossZone.value.enabled,
    deregistrationDelaySeconds: Number.isFinite(delay) ? delay : null,
    ...(targetGroup.healthCheck ? { healthCheck: targetGroup.healthCheck } : {}),
  });
  return { ...resource, apis, ...judgement };
}

export const tgHealthyDip: CheckDefinition = {
  id: 'tg-healthy-dip',
  title: 'Healthy targets held steady while the stage failed',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'Healthy targets in a zone (or the whole group) fell in the very minutes the stage returned 5xx, though they may all be healthy by audit time: a deploy, scale-in or blue/green cut-over deregistered targets before their replacements passed health checks, so connections went to draining or missing targets.',
  remediation:
    'Roll out so that healthy capacity never drops: register new targets and wait until they are healthy before deregistering old ones (minimum healthy percent 100 or more), keep the deregistration delay at least as long as the longest request, and shorten the health check interval or healthy threshold so new targets serve sooner.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateErrorMinutesByTargetGroup(stages, inventory, (path, targetGroup, errorWindow) => [
      evaluate(path, targetGroup, errorWindow, inventory.loadBalancerSeries),
    ]),
};
