/**
 * The CloudWatch series of the path, read in one batch: each stage's IntegrationLatency, each
 * integration's (detailed metrics), and each network load balancer's TCP_Target_Reset_Count.
 */
import {
  type ClassifiedStage,
  type Collected,
  collected,
  type IntegrationFacts,
  type StageInventory,
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

/** Every series the path needs, for one `readMetricSeries`. */
export const pathMetricRequests = (
  stages: ClassifiedStage[],
  paths: StagePath[],
  lbs: LoadBalancerDescription[],
): MetricRequest[] => [
  ...stageMetricRequests(stages),
  ...integrationLatencyRequests(paths),
  ...resetMetricRequests(lbs),
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

/** A stage's maximum IntegrationLatency, stage-wide and per integration. */
export function stageLatency(
  series: SeriesByKey,
  path: StagePath,
): Pick<StageInventory, 'integrationLatencyMaxMs' | 'integrationLatencyMaxMsByIntegration'> {
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
  return { integrationLatencyMaxMs: maxLatency, integrationLatencyMaxMsByIntegration: byIntegration };
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
