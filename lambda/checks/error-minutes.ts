/**
 * What the "coincided with the errors" checks share: a stage's error minutes as window period
 * indices, the series arithmetic over them, and the thin adapter from today's CheckContext to the
 * pure judgements (stage -> load balancers on its path -> target groups).
 */
import {
  describePeriods,
  errorsByPeriod,
  type LoadBalancerSeriesSpec,
  type SeriesRecord,
  seriesAt,
  windowPeriods,
} from '../domain/load-balancer-series';
import type {
  AuditWindow,
  CheckResult,
  Collected,
  Inventory,
  Severity,
  StageInventory,
  Status,
  TargetGroupFacts,
} from '../domain/types';
import {
  followStageToLoadBalancers,
  followToTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from '../path/query';
import { couldNotRead, notApplicable, stageKeyOf, stageLabel, stageResource } from './results';

/** What a pure judgement returns; the adapter adds the resource and the stages. */
export interface Judgement {
  status: Status;
  severity?: Severity;
  message: string;
  evidence?: Record<string, unknown>;
}

/** A failing stage's error minutes: the window, the periods with 5xx and their counts. */
export interface ErrorWindow {
  window: AuditWindow;
  /** Period indices with 5xx, ascending. */
  periods: number[];
  /** 5xx per period index. */
  errors: Map<number, number>;
}

export function errorWindowOf(stage: StageInventory, window: AuditWindow): ErrorWindow | null {
  const errors = errorsByPeriod(window, stage.stage.errorMinutes ?? []);
  if (errors.size === 0) return null;
  return { window, periods: [...errors.keys()].sort((a, b) => a - b), errors };
}

export const minutesText = (errorWindow: ErrorWindow, periods: readonly number[]): string =>
  describePeriods(errorWindow.window, periods);

export const minutesEvidence = (errorWindow: ErrorWindow, periods: readonly number[]): string[] =>
  periods.map((index) =>
    new Date(
      Date.parse(errorWindow.window.start) + index * errorWindow.window.periodSeconds * 1000,
    ).toISOString(),
  );

/** The periods of several lists, once each, ascending. */
export const unionOf = (lists: readonly (readonly number[])[]): number[] =>
  [...new Set(lists.flat())].sort((a, b) => a - b);

/** Every period of the window whose value satisfies `test` (periods without data never do). */
export const periodsWhere = (
  series: readonly (number | null)[],
  test: (value: number, index: number) => boolean,
): number[] =>
  series.flatMap((value, index) =>
    value !== null && value !== undefined && test(value, index) ? [index] : [],
  );

/** The values of the error periods that have data. */
export const valuesIn = (series: readonly (number | null)[], periods: readonly number[]): number[] =>
  periods.flatMap((index) => {
    const value = series[index];
    return value === null || value === undefined ? [] : [value];
  });

/** The periods outside `periods` (with data), for a baseline. */
export const valuesOutside = (series: readonly (number | null)[], periods: readonly number[]): number[] =>
  series.flatMap((value, index) => (value === null || periods.includes(index) ? [] : [value]));

export const total = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : total(values) / values.length;

/** Sums several per-period series (missing values count as none). */
export function sumSeries(
  series: readonly (readonly (number | null)[])[],
  length: number,
): (number | null)[] {
  return Array.from({ length }, (_, index) => {
    const values = series.map((one) => one[index]).filter((value) => value !== null && value !== undefined);
    return values.length === 0 ? null : total(values as number[]);
  });
}

/**
 * One series of the load balancer's target groups on the path, summed period by period; the first
 * unreadable group's error when any could not be read.
 */
export function pathGroupsSeries(
  path: LoadBalancerPath,
  inventory: Inventory,
  spec: LoadBalancerSeriesSpec,
): Collected<(number | null)[]> {
  const groups = followToTargetGroups(path, inventory).reached.map((group) =>
    seriesAt(inventory.loadBalancerSeries, spec, {
      loadBalancerArn: path.loadBalancer.arn,
      targetGroupArn: group.arn,
    }),
  );
  const failure = groups.find((group) => !group.ok);
  if (failure && !failure.ok) return failure;
  const read = groups.flatMap((group) => (group.ok ? [group.value] : []));
  return { ok: true, value: sumSeries(read, windowPeriods(inventory.window)) };
}

/**
 * One series of a target group on the path (in one zone when `zone` is given), or the ERROR on the
 * group that names it: `HealthyHostCount of orders-tg in us-east-1a`.
 */
export function targetGroupSeries(
  series: SeriesRecord | undefined,
  spec: LoadBalancerSeriesSpec,
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  zone?: string,
): { ok: true; value: (number | null)[] } | { ok: false; result: CheckResult } {
  const address = { loadBalancerArn: path.loadBalancer.arn, targetGroupArn: targetGroup.arn };
  const read = seriesAt(series, spec, zone === undefined ? address : { ...address, zone });
  if (read.ok) return read;
  const named = `${spec.metricName} of ${targetGroup.name}${zone === undefined ? '' : ` in ${zone}`}`;
  return { ok: false, result: couldNotRead(targetGroupResource(targetGroup), path.apis, named, read.error) };
}

/** SKIPPED on the stage: it had no 5xx in the window, so nothing can have coincided with them. */
const noErrorMinutes = (stage: StageInventory): CheckResult =>
  notApplicable(
    stageResource(stage.stage),
    [stageKeyOf(stage)],
    `${stageLabel(stage.stage)} had no 5xx in the window: no error minutes to compare the path's series with`,
  );

/** Runs `judge` for every load balancer on each failing stage's path, with the stage's error minutes. */
export function evaluateErrorMinutesByLoadBalancer(
  stages: readonly StageInventory[],
  inventory: Inventory,
  judge: (path: LoadBalancerPath, errorWindow: ErrorWindow, stage: StageInventory) => CheckResult[],
): CheckResult[] {
  return stages.flatMap((stage) => {
    const errorWindow = errorWindowOf(stage, inventory.window);
    if (!errorWindow) return [noErrorMinutes(stage)];
    const { reached, problems } = followStageToLoadBalancers(stage, inventory);
    return [...problems, ...reached.flatMap((path) => judge(path, errorWindow, stage))];
  });
}

/** Runs `judge` for every target group on each failing stage's path, with the stage's error minutes. */
export function evaluateErrorMinutesByTargetGroup(
  stages: readonly StageInventory[],
  inventory: Inventory,
  judge: (path: LoadBalancerPath, targetGroup: TargetGroupFacts, errorWindow: ErrorWindow) => CheckResult[],
): CheckResult[] {
  return evaluateErrorMinutesByLoadBalancer(stages, inventory, (path, errorWindow) => {
    const { reached, problems } = followToTargetGroups(path, inventory);
    return [...problems, ...reached.flatMap((group) => judge(path, group, errorWindow))];
  });
}
