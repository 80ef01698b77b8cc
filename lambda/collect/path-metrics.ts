/**
 * The CloudWatch series of the path, read in one batch: each stage's IntegrationLatency, each
 * integration's (detailed metrics), each network load balancer's TCP_Target_Reset_Count, and the
 * load balancers' and their target groups' own series (lambda/domain/load-balancer-series.ts).
 */
import {
  ELB_NAMESPACES,
  type LoadBalancerSeriesSpec,
  loadBalancerSeriesKey,
  SERIES_BY_TYPE,
  type SeriesAddress,
  type SeriesRecord,
} from '../domain/load-balancer-series';
import {
  type ClassifiedStage,
  type Collected,
  collected,
  type IntegrationFacts,
  type StageInventory,
  type TargetGroupFacts,
} from '../domain/types';
import { type LoadBalancerDescription, loadBalancerMetricDimension } from './load-balancers';
import { hasData, type MetricRequest, type PeriodSeries } from './metrics';
import { type StagePath, stageKey } from './stage-path';

export type SeriesByKey = Map<string, Collected<PeriodSeries>>;

function stageMetricRequests(stages: ClassifiedStage[]): MetricRequest[] {
  return stages.map(
    (stage): MetricRequest => ({
      key: `latency|${stageKey(stage)}`,
      namespace: 'AWS/ApiGateway',
      metricName: 'IntegrationLatency',
      dimensions:
        stage.apiType === 'REST'
          ? { ApiName: stage.apiName, Stage: stage.stage }
          : { ApiId: stage.apiId, Stage: stage.stage },
      stat: 'Maximum' as const,
    }),
  );
}

/**
 * Per-integration latency, from the series detailed metrics write: REST `ApiName, Method, Resource,
 * Stage`; HTTP `ApiId, Stage, Route` (an integration may serve several routes).
 */
function integrationLatencyDimensions(
  stage: ClassifiedStage,
  integration: IntegrationFacts,
): Record<string, string>[] {
  if (stage.apiType === 'HTTP') {
    return (integration.routeKeys ?? []).map((route) => ({
      ApiId: stage.apiId,
      Stage: stage.stage,
      Route: route,
    }));
  }
  const { method } = integration;
  return method
    ? [{ ApiName: stage.apiName, Method: method.httpMethod, Resource: method.path, Stage: stage.stage }]
    : [];
}

const integrationLatencyKey = (stage: ClassifiedStage, integration: IntegrationFacts, index: number) =>
  `latency|${stageKey(stage)}|${integration.id}|${index}`;

function integrationLatencyRequests(paths: StagePath[]): MetricRequest[] {
  return paths.flatMap(({ stage, integrations }) =>
    (integrations.ok ? integrations.value : []).flatMap((integration) =>
      integrationLatencyDimensions(stage, integration).map(
        (dimensions, index): MetricRequest => ({
          key: integrationLatencyKey(stage, integration, index),
          namespace: 'AWS/ApiGateway',
          metricName: 'IntegrationLatency',
          dimensions,
          stat: 'Maximum',
        }),
      ),
    ),
  );
}

function resetMetricRequests(lbs: LoadBalancerDescription[]): MetricRequest[] {
  return lbs
    .filter((lb) => lb.type === 'network')
    .map((lb) => ({
      key: `resets|${lb.arn}`,
      namespace: 'AWS/NetworkELB',
      metricName: 'TCP_Target_Reset_Count',
      dimensions: { LoadBalancer: loadBalancerMetricDimension(lb) },
      stat: 'Sum' as const,
    }));
}

/** The CloudWatch `TargetGroup` dimension: `targetgroup/<name>/<id>`, the ARN's resource part. */
export function targetGroupMetricDimension(targetGroupArn: string): string {
  const at = targetGroupArn.indexOf('targetgroup/');
  return at >= 0 ? targetGroupArn.slice(at) : targetGroupArn;
}

/** Where one spec is read for a load balancer: itself, each of its target groups, each of those per zone. */
function seriesAddresses(
  spec: LoadBalancerSeriesSpec,
  lb: LoadBalancerDescription,
  groupArns: readonly string[],
): SeriesAddress[] {
  if (spec.scope === 'load-balancer') return [{ loadBalancerArn: lb.arn }];
  const groups = groupArns.map((targetGroupArn) => ({ loadBalancerArn: lb.arn, targetGroupArn }));
  if (spec.scope === 'target-group') return groups;
  return groups.flatMap((group) => lb.zones.map((zone) => ({ ...group, zone: zone.zoneName })));
}

function seriesDimensions(lb: LoadBalancerDescription, address: SeriesAddress): Record<string, string> {
  return {
    LoadBalancer: loadBalancerMetricDimension(lb),
    ...(address.targetGroupArn ? { TargetGroup: targetGroupMetricDimension(address.targetGroupArn) } : {}),
    ...(address.zone ? { AvailabilityZone: address.zone } : {}),
  };
}

/**
 * The load balancers' and target groups' series over the window: for each load balancer on a path,
 * the series of its type, for it and for each of its target groups on a path (and per zone).
 */
export function loadBalancerSeriesRequests(
  lbs: readonly LoadBalancerDescription[],
  targetGroups: Record<string, Collected<TargetGroupFacts>>,
): MetricRequest[] {
  const groups = Object.values(targetGroups).flatMap((group) => (group.ok ? [group.value] : []));
  return lbs.flatMap((lb) => {
    const type = lb.type;
    if (type === 'gateway') return [];
    const groupArns = groups.filter((group) => group.loadBalancerArns.includes(lb.arn)).map((g) => g.arn);
    return SERIES_BY_TYPE[type].flatMap((spec) =>
      seriesAddresses(spec, lb, groupArns).map(
        (address): MetricRequest => ({
          key: loadBalancerSeriesKey(spec.metricName, address),
          namespace: ELB_NAMESPACES[type],
          metricName: spec.metricName,
          dimensions: seriesDimensions(lb, address),
          stat: spec.stat,
        }),
      ),
    );
  });
}

/** The series `loadBalancerSeriesRequests` asked for, as read (a failed batch fails its series). */
export function loadBalancerSeries(series: SeriesByKey, requests: readonly MetricRequest[]): SeriesRecord {
  return Object.fromEntries(
    requests.flatMap((request) => {
      const read = series.get(request.key);
      return read ? [[request.key, read]] : [];
    }),
  );
}

/** Every series the path needs, for one `readMetricSeries`. */
export const pathMetricRequests = (
  stages: ClassifiedStage[],
  paths: StagePath[],
  lbs: LoadBalancerDescription[],
  targetGroups: Record<string, Collected<TargetGroupFacts>> = {},
): MetricRequest[] => [
  ...stageMetricRequests(stages),
  ...integrationLatencyRequests(paths),
  ...resetMetricRequests(lbs),
  ...loadBalancerSeriesRequests(lbs, targetGroups),
];

/** The largest value over several series (null when none has data); the first failure wins. */
function maxOverSeries(series: (Collected<PeriodSeries> | undefined)[]): Collected<number | null> {
  let max: number | null = null;
  for (const one of series) {
    if (!one) continue;
    if (!one.ok) return one;
    if (hasData(one.value)) max = Math.max(max ?? 0, ...one.value.map((value) => value ?? 0));
  }
  return collected(max);
}

/** A stage's maximum IntegrationLatency, stage-wide (overall and per period) and per integration. */
export function stageLatency(
  series: SeriesByKey,
  path: StagePath,
): Pick<
  StageInventory,
  'integrationLatencyMaxMs' | 'integrationLatencyMaxMsByIntegration' | 'integrationLatencyByPeriod'
> {
  const latency = series.get(`latency|${stageKey(path.stage)}`);
  const maxLatency: Collected<number | null> = !latency
    ? collected(null)
    : latency.ok
      ? collected(hasData(latency.value) ? Math.max(...latency.value.map((value) => value ?? 0)) : null)
      : latency;
  const byIntegration = Object.fromEntries(
    (path.integrations.ok ? path.integrations.value : []).map((integration) => {
      const mine = integrationLatencyDimensions(path.stage, integration).map((_, index) =>
        series.get(integrationLatencyKey(path.stage, integration, index)),
      );
      return [integration.id, maxOverSeries(mine)];
    }),
  );
  return {
    integrationLatencyMaxMs: maxLatency,
    integrationLatencyMaxMsByIntegration: byIntegration,
    ...(latency ? { integrationLatencyByPeriod: latency } : {}),
  };
}

const seriesOrNull = (series: PeriodSeries): number[] | null =>
  hasData(series) ? series.map((value) => value ?? 0) : null;

/**
 * A network load balancer's TCP_Target_Reset_Count per period; null for other types or no data.
 * Looked up under the ARN the request was made for (`resetMetricRequests`), whatever ARN the path held.
 */
export function tcpTargetResets(
  series: SeriesByKey,
  lb: LoadBalancerDescription,
): Collected<number[] | null> {
  const resets = series.get(`resets|${lb.arn}`);
  if (lb.type !== 'network' || !resets) return collected(null);
  return resets.ok ? collected(seriesOrNull(resets.value)) : resets;
}
