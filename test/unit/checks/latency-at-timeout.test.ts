import { latencyAtTimeout } from '../../../lambda/checks/latency-at-timeout';
import { TARGET_RESPONSE_TIME } from '../../../lambda/domain/load-balancer-series';
import { type Collected, collected, failed, type StageInventory } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  aRestIntegration,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  TG_ARN,
} from '../../support/inventory-builders';
import { BURST_MINUTES, series, withSeries } from './error-minute-scenarios';

type StageOverrides = Partial<Omit<StageInventory, 'stage'>>;
/** The REST stage (one integration, 29 000 ms timeout) failing in the burst, with this per-period latency. */
const stageWith = (latency: Collected<(number | null)[]> | undefined, overrides: StageOverrides = {}) =>
  nlbScenario({
    stage: {
      stage: { errorMinutes: BURST_MINUTES },
      ...(latency ? { integrationLatencyByPeriod: latency } : {}),
      ...overrides,
    },
  }).build();

describe('latency-at-timeout', () => {
  it('fails a stage whose latency reached its timeout in its error minutes, naming minutes and numbers', () => {
    const result = onlyResult(latencyAtTimeout, stageWith(collected(series({ 6: 28_900, 9: 27_000 }, 300))));
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      "orders/prod's IntegrationLatency reached its integration timeout in the error minutes 11:30 (up to 28900 ms against 29000 ms): the targets did not answer in time",
    );
    expect(result.evidence).toMatchObject({
      timeoutsMs: [29_000],
      latencyMaxMsInErrorMinutes: 28_900,
      coincidedMinutes: ['2026-11-29T11:30:00.000Z'],
      eventMinutes: ['2026-11-29T11:30:00.000Z', '2026-11-29T11:45:00.000Z'],
    });
  });

  it('passes the healthy twin: latency well below the timeout in the error minutes', () => {
    const result = onlyResult(latencyAtTimeout, stageWith(collected(series({ 5: 1_500 }, 300))));
    expect(result.status).toBe('PASS');
    expect(result.message).toBe(
      "orders/prod's IntegrationLatency stayed below 90% of its 29000 ms timeout in its error minutes (at most 1500 ms)",
    );
  });

  it('skips, never passes, when the latency has no point in the error minutes', () => {
    const result = onlyResult(latencyAtTimeout, stageWith(collected(series({ 0: 100 }, null))));
    expect(result).toMatchObject({ status: 'SKIPPED', evidence: { latencyMaxMsInErrorMinutes: null } });
    expect(result.message).toContain('has no IntegrationLatency data in its error minutes (11:25-11:30)');
  });

  it('reports ERROR when the per-period latency was refused or never collected', () => {
    const refused = onlyResult(latencyAtTimeout, stageWith(failed(accessDenied('cloudwatch:GetMetricData'))));
    expect(refused).toMatchObject({ status: 'ERROR', evidence: { action: 'cloudwatch:GetMetricData' } });
    expect(refused.message).toContain('could not read the IntegrationLatency of orders/prod');
    expect(onlyResult(latencyAtTimeout, stageWith(undefined))).toMatchObject({
      status: 'ERROR',
      evidence: { code: 'NotCollected' },
    });
  });

  it('reports ERROR when the integrations could not be read', () => {
    const inventory = stageWith(collected(series({})), {
      integrations: failed(accessDenied('apigateway:GET')),
    });
    expect(onlyResult(latencyAtTimeout, inventory)).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'apigateway:GET' },
    });
  });

  it('skips a stage without 5xx, and one whose only integrations are mocks', () => {
    expect(onlyResult(latencyAtTimeout, nlbScenario().build()).message).toBe(
      'orders/prod had no 5xx in the window',
    );
    const mocks = stageWith(collected(series({ 5: 28_000 })), {
      integrations: collected([
        aRestIntegration({ type: 'MOCK', connectionType: 'INTERNET', vpcLinkId: undefined }),
      ]),
    });
    expect(onlyResult(latencyAtTimeout, mocks)).toMatchObject({
      status: 'SKIPPED',
      message: 'orders/prod has no integration with an endpoint',
    });
  });

  it("adds each ALB group's largest TargetResponseTime in the error minutes as evidence", () => {
    const inventory = withSeries(
      albScenario({
        stage: {
          stage: { errorMinutes: BURST_MINUTES },
          integrationLatencyByPeriod: collected(series({ 5: 29_500 }, 200)),
        },
      }).build(),
      [
        {
          spec: TARGET_RESPONSE_TIME,
          address: { loadBalancerArn: ALB_ARN, targetGroupArn: TG_ARN },
          values: series({ 5: 29.4, 6: 3.1, 0: 45 }),
        },
      ],
    );
    const result = onlyResult(latencyAtTimeout, inventory);
    expect(result.status).toBe('FAIL');
    expect(result.evidence).toMatchObject({ targetResponseTimeMaxS: { 'ALB orders-alb orders-tg': 29.4 } });
  });

  it('leaves TargetResponseTime out where it was not read, and never reads it of an NLB', () => {
    const alb = albScenario({
      stage: {
        stage: { errorMinutes: BURST_MINUTES },
        integrationLatencyByPeriod: collected(series({ 5: 29_500 }, 200)),
      },
    }).build();
    expect(onlyResult(latencyAtTimeout, alb).evidence).not.toHaveProperty('targetResponseTimeMaxS');
    const nlbPath = withSeries(stageWith(collected(series({ 5: 29_500 }))), [
      {
        spec: TARGET_RESPONSE_TIME,
        address: { loadBalancerArn: NLB_ARN, targetGroupArn: TG_ARN },
        values: series({ 5: 29.4 }),
      },
    ]);
    const nlb = onlyResult(latencyAtTimeout, nlbPath);
    expect(nlb.evidence).not.toHaveProperty('targetResponseTimeMaxS');
  });
});
