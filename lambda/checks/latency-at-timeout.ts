import { seriesAt, TARGET_RESPONSE_TIME } from '../domain/load-balancer-series';
import type { CheckResult, Inventory, StageInventory } from '../domain/types';
import { describeHop, followStageToLoadBalancers, followToTargetGroups } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  type ErrorWindow,
  errorWindowOf,
  type Judgement,
  minutesEvidence,
  minutesText,
  periodsWhere,
  valuesIn,
} from './error-minutes';
import { LATENCY_HEADROOM_SHARE } from './integration-timeout';
import {
  couldNotRead,
  integrationsUnreadable,
  notApplicable,
  stageKeyOf,
  stageLabel,
  stageResource,
} from './results';

export interface LatencyAtTimeoutInput {
  where: string;
  errorWindow: ErrorWindow;
  /** The stage's maximum IntegrationLatency (ms) per period. */
  latencyMs: readonly (number | null)[];
  /** The timeouts (ms) of the stage's integrations that have an endpoint. */
  timeoutsMs: readonly number[];
  /** The largest ALB TargetResponseTime (s) in the error minutes, per ALB hop on the path. */
  targetResponseTimeS?: Record<string, number>;
}

/** Pure: in which error minutes did the stage's latency reach its integrations' timeout? */
export function judgeLatencyAtTimeout(input: LatencyAtTimeoutInput): Judgement {
  const { where, errorWindow, latencyMs, timeoutsMs } = input;
  const during = valuesIn(latencyMs, errorWindow.periods);
  const shortest = Math.min(...timeoutsMs);
  const evidence = {
    errorMinutes: minutesEvidence(errorWindow, errorWindow.periods),
    timeoutsMs: [...new Set(timeoutsMs)],
    latencyMaxMsInErrorMinutes: during.length > 0 ? Math.max(...during) : null,
    ...(input.targetResponseTimeS ? { targetResponseTimeMaxS: input.targetResponseTimeS } : {}),
  };
  if (during.length === 0) {
    return {
      status: 'SKIPPED',
      message: `${where} has no IntegrationLatency data in its error minutes (${minutesText(errorWindow, errorWindow.periods)})`,
      evidence,
    };
  }
  const atTimeout = errorWindow.periods.filter(
    (index) => (latencyMs[index] ?? 0) >= LATENCY_HEADROOM_SHARE * shortest,
  );
  if (atTimeout.length === 0) {
    return {
      status: 'PASS',
      message: `${where}'s IntegrationLatency stayed below ${Math.round(LATENCY_HEADROOM_SHARE * 100)}% of its ${shortest} ms timeout in its error minutes (at most ${evidence.latencyMaxMsInErrorMinutes} ms)`,
      evidence,
    };
  }
  const message = `${where}'s IntegrationLatency reached its integration timeout in the error minutes ${minutesText(errorWindow, atTimeout)} (up to ${Math.max(...valuesIn(latencyMs, atTimeout))} ms against ${shortest} ms): the targets did not answer in time`;
  const withEvidence = {
    ...evidence,
    coincidedMinutes: minutesEvidence(errorWindow, atTimeout),
    eventMinutes: minutesEvidence(
      errorWindow,
      periodsWhere(latencyMs, (value) => value >= LATENCY_HEADROOM_SHARE * shortest),
    ),
  };
  if (new Set(timeoutsMs).size > 1) {
    return {
      status: 'WARN',
      severity: 'medium',
      message: `${message}; the stage's integrations have different timeouts (${evidence.timeoutsMs.join(', ')} ms) and only the stage-wide latency is read per minute, so it may be another integration's`,
      evidence: withEvidence,
    };
  }
  return { status: 'FAIL', message, evidence: withEvidence };
}

/** The largest TargetResponseTime of each ALB on the stage's path in its error minutes (where read). */
function targetResponseTimes(
  stage: StageInventory,
  inventory: Inventory,
  errorWindow: ErrorWindow,
): Record<string, number> {
  const times: Record<string, number> = {};
  for (const path of followStageToLoadBalancers(stage, inventory).reached) {
    if (path.loadBalancer.type !== 'application') continue;
    for (const group of followToTargetGroups(path, inventory).reached) {
      const read = seriesAt(inventory.loadBalancerSeries, TARGET_RESPONSE_TIME, {
        loadBalancerArn: path.loadBalancer.arn,
        targetGroupArn: group.arn,
      });
      const values = read.ok ? valuesIn(read.value, errorWindow.periods) : [];
      if (values.length > 0) times[`${describeHop(path)} ${group.name}`] = Math.max(...values);
    }
  }
  return times;
}

function evaluateStage(stage: StageInventory, inventory: Inventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const where = stageLabel(stage.stage);
  if (!stage.integrations.ok) return integrationsUnreadable(stage, stage.integrations.error);
  const errorWindow = errorWindowOf(stage, inventory.window);
  if (!errorWindow) return notApplicable(resource, apis, `${where} had no 5xx in the window`);
  const timeouts = stage.integrations.value.filter((i) => i.type !== 'MOCK').map((i) => i.timeoutMs);
  if (timeouts.length === 0)
    return notApplicable(resource, apis, `${where} has no integration with an endpoint`);
  const latency = stage.integrationLatencyByPeriod;
  if (!latency)
    return couldNotRead(resource, apis, `the IntegrationLatency of ${where}`, {
      action: 'cloudwatch:GetMetricData',
      code: 'NotCollected',
      message: 'the per-period latency was not collected',
    });
  if (!latency.ok) return couldNotRead(resource, apis, `the IntegrationLatency of ${where}`, latency.error);
  const times = targetResponseTimes(stage, inventory, errorWindow);
  const judgement = judgeLatencyAtTimeout({
    where,
    errorWindow,
    latencyMs: latency.value,
    timeoutsMs: timeouts,
    ...(Object.keys(times).length > 0 ? { targetResponseTimeS: times } : {}),
  });
  return { ...resource, apis, ...judgement };
}

export const latencyAtTimeout: CheckDefinition = {
  id: 'latency-at-timeout',
  title: 'Latency did not reach the integration timeout in the minutes the stage failed',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "When the stage's IntegrationLatency reaches the integration timeout in the very minutes it returns 5xx, API Gateway gave up waiting: the errors are timeouts of slow targets, not a broken network path.",
  remediation:
    'Find what made the targets slow in those minutes (load, a slow dependency, cold starts after a deploy), scale them or speed them up, and keep the timeout clear of their latency.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) => stages.map((stage) => evaluateStage(stage, inventory)),
};
