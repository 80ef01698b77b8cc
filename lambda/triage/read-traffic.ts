/**
 * Triage reads: which API stages had requests in the window, and how many of them failed with 5xx,
 * from CloudWatch alone (no per-API stage calls), so a Region with hundreds of APIs costs a few calls.
 */
import { GetStagesCommand, paginateGetRestApis } from '@aws-sdk/client-api-gateway';
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { paginateListMetrics } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../collect/clients';
import { toCollectionError } from '../collect/collect-error';
import { mapBounded } from '../collect/memo';
import { type MetricRequest, readMetricSeries, zeroFilled } from '../collect/metrics';

import type { ApiType, AuditWindow, CollectionError, StageTraffic } from '../domain/types';

export const IAM_ACTIONS = ['apigateway:GET', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'] as const;

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';

/** GetStages calls in flight for same-named REST APIs (the API Gateway quota is shared). */
const NAMESAKE_CONCURRENCY = 5;

interface ApiSummary {
  id: string;
  name: string;
  type: ApiType;
}

/** A stage CloudWatch has a `Count` series for: REST keyed by API name, HTTP by API id. */
export interface StageMetricKey {
  apiType: ApiType;
  /** ApiName (REST) or ApiId (HTTP). */
  apiKey: string;
  stage: string;
}

export interface TrafficFilter {
  apiIds?: string[];
  /**
   * Only these stages, as CloudWatch names them (an alarm contributor's attributes). No ListMetrics
   * call then, and only the API listing (REST or HTTP) these stages need.
   */
  stages?: StageMetricKey[];
}

const metricKeyId = (key: StageMetricKey): string => `${key.apiType}|${key.apiKey}|${key.stage}`;

async function listRestApis(clients: AwsClients): Promise<ApiSummary[]> {
  const apis: ApiSummary[] = [];
  for await (const page of paginateGetRestApis({ client: clients.apiGateway }, { limit: 500 })) {
    for (const api of page.items ?? []) {
      if (api.id) apis.push({ id: api.id, name: api.name ?? api.id, type: 'REST' });
    }
  }
  return apis;
}

/** apigatewayv2 ships no paginator: follow NextToken by hand. WebSocket APIs are not audited. */
async function listHttpApis(clients: AwsClients): Promise<ApiSummary[]> {
  const apis: ApiSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.apiGatewayV2.send(
      new GetApisCommand({ MaxResults: '500', ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    for (const api of page.Items ?? []) {
      if (api.ApiId && api.ProtocolType === 'HTTP')
        apis.push({ id: api.ApiId, name: api.Name ?? api.ApiId, type: 'HTTP' });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return apis;
}

/** Stage-level `Count` series: dimensions exactly ApiName+Stage (REST) or ApiId+Stage (HTTP). */
export async function listStageMetricKeys(clients: AwsClients): Promise<StageMetricKey[]> {
  const keys = new Map<string, StageMetricKey>();
  const pages = paginateListMetrics(
    { client: clients.cloudWatch },
    { Namespace: API_GATEWAY_NAMESPACE, MetricName: 'Count' },
  );
  for await (const page of pages) {
    for (const metric of page.Metrics ?? []) {
      const dimensions = new Map((metric.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
      const stage = dimensions.get('Stage');
      if (dimensions.size !== 2 || stage === undefined) continue;
      const apiName = dimensions.get('ApiName');
      const apiId = dimensions.get('ApiId');
      const key: StageMetricKey | null =
        apiName !== undefined
          ? { apiType: 'REST', apiKey: apiName, stage }
          : apiId !== undefined
            ? { apiType: 'HTTP', apiKey: apiId, stage }
            : null;
      if (key) keys.set(`${key.apiType}|${key.apiKey}|${key.stage}`, key);
    }
  }
  return [...keys.values()];
}

function stageDimensions(key: StageMetricKey): Record<string, string> {
  return key.apiType === 'REST'
    ? { ApiName: key.apiKey, Stage: key.stage }
    : { ApiId: key.apiKey, Stage: key.stage };
}

const seriesKey = (key: StageMetricKey, metric: string) => `${metricKeyId(key)}|${metric}`;

/** The triage's metric requests for one stage: requests (Count) and 5xx (5XXError for REST, 5xx for HTTP). */
export function trafficMetricRequests(key: StageMetricKey): MetricRequest[] {
  const errorsMetric = key.apiType === 'REST' ? '5XXError' : '5xx';
  return ['Count', errorsMetric].map((metricName) => ({
    key: seriesKey(key, metricName === 'Count' ? 'requests' : 'errors'),
    namespace: API_GATEWAY_NAMESPACE,
    metricName,
    dimensions: stageDimensions(key),
    stat: 'Sum' as const,
  }));
}

async function listing<T>(action: string, read: () => Promise<T[]>, errors: CollectionError[]): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    errors.push(toCollectionError(action, error));
    return [];
  }
}

/**
 * REST metrics are keyed by API name: when several REST APIs share a name, a metric's stage may
 * exist in only some of them. Reads the stages of those APIs (one GetStages each, only for names
 * that collide and have traffic) so a stage is listed only where it exists. An API whose stages
 * could not be read keeps every stage of its name, and the failure is reported.
 */
async function stagesOfNamesakes(
  clients: AwsClients,
  namesakes: ApiSummary[],
  errors: CollectionError[],
): Promise<Map<string, Set<string> | null>> {
  const read = await mapBounded(namesakes, NAMESAKE_CONCURRENCY, async (api) => {
    try {
      const output = await clients.apiGateway.send(new GetStagesCommand({ restApiId: api.id }));
      return new Set((output.item ?? []).flatMap((stage) => (stage.stageName ? [stage.stageName] : [])));
    } catch (error) {
      errors.push(toCollectionError('apigateway:GetStages', error));
      return null;
    }
  });
  return new Map(namesakes.map((api, index) => [api.id, read[index] ?? null]));
}

function byStageOrder(a: StageTraffic, b: StageTraffic): number {
  return (
    a.apiType.localeCompare(b.apiType) ||
    a.apiName.localeCompare(b.apiName) ||
    a.apiId.localeCompare(b.apiId) ||
    a.stage.localeCompare(b.stage)
  );
}

export async function readTraffic(
  clients: AwsClients,
  window: AuditWindow,
  filter: TrafficFilter = {},
): Promise<{ traffic: StageTraffic[]; errors: CollectionError[] }> {
  const errors: CollectionError[] = [];
  const named = filter.stages;
  const needs = (type: ApiType) => !named || named.some((key) => key.apiType === type);
  const [restApis, httpApis, metricKeys] = await Promise.all([
    needs('REST') ? listing('apigateway:GetRestApis', () => listRestApis(clients), errors) : [],
    needs('HTTP') ? listing('apigateway:GetApis', () => listHttpApis(clients), errors) : [],
    named
      ? [...new Map(named.map((key) => [metricKeyId(key), key])).values()]
      : listing('cloudwatch:ListMetrics', () => listStageMetricKeys(clients), errors),
  ]);
  const wanted = (api: ApiSummary) =>
    !filter.apiIds?.length || filter.apiIds.includes(api.id) || filter.apiIds.includes(api.name);

  const restByName = new Map<string, ApiSummary[]>();
  for (const api of restApis) restByName.set(api.name, [...(restByName.get(api.name) ?? []), api]);
  const httpById = new Map(httpApis.map((api) => [api.id, api]));

  const apisFor = (key: StageMetricKey): ApiSummary[] =>
    key.apiType === 'REST'
      ? (restByName.get(key.apiKey) ?? [])
      : [httpById.get(key.apiKey)].filter((a) => !!a);
  const relevant = metricKeys.filter((key) => apisFor(key).some(wanted));
  const namesakes = [
    ...new Set(
      relevant.filter((key) => key.apiType === 'REST' && apisFor(key).length > 1).map((key) => key.apiKey),
    ),
  ].flatMap((name) => restByName.get(name) ?? []);
  const namesakeStages = await stagesOfNamesakes(clients, namesakes, errors);
  const hasStage = (api: ApiSummary, stage: string): boolean => {
    const stages = namesakeStages.get(api.id);
    return stages === undefined || stages === null || stages.has(stage);
  };

  const series = await readMetricSeries(clients.cloudWatch, relevant.flatMap(trafficMetricRequests), window);
  const traffic: StageTraffic[] = [];
  for (const key of relevant) {
    const requests = series.get(seriesKey(key, 'requests'));
    const errors5xx = series.get(seriesKey(key, 'errors'));
    if (!requests?.ok || !errors5xx?.ok) {
      const failure = [requests, errors5xx].find((result) => result && !result.ok);
      if (failure && !failure.ok && !errors.includes(failure.error)) errors.push(failure.error);
      continue;
    }
    const sharing = apisFor(key).filter((api) => hasStage(api, key.stage));
    for (const api of sharing.filter(wanted)) {
      const others = sharing.filter((other) => other.id !== api.id).map((other) => other.id);
      traffic.push({
        region: clients.region,
        apiId: api.id,
        apiName: api.name,
        apiType: api.type,
        stage: key.stage,
        requests: zeroFilled(requests.value),
        errors5xx: zeroFilled(errors5xx.value),
        ...(others.length > 0 ? { sharesMetricsWith: others.sort() } : {}),
      });
    }
  }
  return { traffic: traffic.sort(byStageOrder), errors };
}
