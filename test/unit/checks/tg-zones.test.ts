import { tgEmptyAz } from '../../../lambda/checks/tg-empty-az';
import { tgUnhealthyAz } from '../../../lambda/checks/tg-unhealthy-az';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aRestIntegration,
  aTarget,
  nlbScenario,
  onlyResult,
  TG_ARN,
} from '../../support/inventory-builders';

const withTargets = (targets: ReturnType<typeof aTarget>[], crossZone = 'false') =>
  nlbScenario({
    targetGroup: {
      targets: collected(targets),
      attributes: collected({ 'load_balancing.cross_zone.enabled': crossZone }),
    },
  });
const lambdaOnly = () =>
  nlbScenario({
    stage: {
      integrations: collected([
        aRestIntegration({ type: 'AWS_PROXY', connectionType: 'INTERNET', vpcLinkId: undefined }),
      ]),
    },
  });
const unreadableTargets = () =>
  nlbScenario({
    targetGroup: { targets: failed(accessDenied('elasticloadbalancing:DescribeTargetHealth')) },
  });

describe('tg-empty-az', () => {
  it('passes when every enabled zone has a registered target', () => {
    expect(onlyResult(tgEmptyAz, nlbScenario().build())).toMatchObject({
      status: 'PASS',
      resourceArn: TG_ARN,
    });
  });

  it('fails a zone with no registered target when cross-zone is off', () => {
    // Arrange
    const inventory = withTargets([aTarget({ id: 'i-0a1' }), aTarget({ id: 'i-0a3' })]).build();
    // Act
    const result = onlyResult(tgEmptyAz, inventory);
    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'target group orders-tg (NLB orders-nlb) has no registered target in us-east-1b (2 targets registered across us-east-1a, us-east-1b)',
    );
    expect(result.evidence).toMatchObject({ emptyZones: ['us-east-1b'] });
  });

  it('only warns about an empty zone when cross-zone load balancing is on', () => {
    const result = onlyResult(tgEmptyAz, withTargets([aTarget({ id: 'i-0a1' })], 'true').build());
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
  });

  it('fails a target group with no target at all, cross-zone or not: no zone can serve', () => {
    const result = onlyResult(tgEmptyAz, withTargets([], 'true').build());
    expect(result.status).toBe('FAIL');
  });

  it("places instance targets by their instance's zone when the target has none", () => {
    const targets = [
      aTarget({ id: 'i-0a1', availabilityZone: undefined }),
      aTarget({ id: 'i-0b2', availabilityZone: undefined }),
    ];
    expect(onlyResult(tgEmptyAz, withTargets(targets).build()).status).toBe('PASS');
  });

  it('counts IP targets in zone "all" for every zone', () => {
    const result = onlyResult(
      tgEmptyAz,
      withTargets([aTarget({ id: '192.168.0.9', availabilityZone: 'all' })]).build(),
    );
    expect(result.status).toBe('PASS');
  });

  it('skips a Lambda target group and a stage without a load balancer', () => {
    expect(onlyResult(tgEmptyAz, nlbScenario({ targetGroup: { targetType: 'lambda' } }).build()).status).toBe(
      'SKIPPED',
    );
    expect(onlyResult(tgEmptyAz, lambdaOnly().build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when the targets could not be read', () => {
    const result = onlyResult(tgEmptyAz, unreadableTargets().build());
    expect(result).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'elasticloadbalancing:DescribeTargetHealth' },
    });
  });
});

describe('tg-unhealthy-az', () => {
  it('passes when every enabled zone has a healthy target', () => {
    expect(onlyResult(tgUnhealthyAz, albScenario().build()).status).toBe('PASS');
  });

  it('fails a zone whose registered targets are all not healthy, listing them with their states', () => {
    // Arrange
    const inventory = withTargets([
      aTarget({ id: 'i-0a1' }),
      aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b', state: 'unused', reason: 'Target.NotInUse' }),
      aTarget({ id: 'i-0b3', availabilityZone: 'us-east-1b', state: 'unhealthy' }),
    ]).build();
    // Act
    const result = onlyResult(tgUnhealthyAz, inventory);
    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'target group orders-tg (NLB orders-nlb) has no healthy target in us-east-1b (2 targets registered: i-0b2 unused (Target.NotInUse), i-0b3 unhealthy)',
    );
    expect(result.evidence).toMatchObject({ healthyByZone: { 'us-east-1a': 1, 'us-east-1b': 0 } });
  });

  it('only warns about a zone without a healthy target when cross-zone is on and another zone serves', () => {
    // The same rule as tg-empty-az: other zones' healthy targets take the zone's share.
    const result = onlyResult(
      tgUnhealthyAz,
      withTargets(
        [
          aTarget({ id: 'i-0a1' }),
          aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b', state: 'unhealthy' }),
        ],
        'true',
      ).build(),
    );
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
    expect(result.message).toContain('cross-zone load balancing is on');
  });

  it('fails every zone when no target anywhere is healthy, even with cross-zone on', () => {
    const result = onlyResult(
      tgUnhealthyAz,
      withTargets(
        [
          aTarget({ id: 'i-0a1', state: 'unhealthy' }),
          aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b', state: 'unhealthy' }),
        ],
        'true',
      ).build(),
    );
    expect(result.status).toBe('FAIL');
  });

  it('fails a zone with no target registered at all', () => {
    const result = onlyResult(
      tgUnhealthyAz,
      withTargets([aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b' })]).build(),
    );
    expect(result.message).toContain('us-east-1a (no target registered)');
  });

  it('skips a Lambda target group and a stage without a load balancer', () => {
    expect(
      onlyResult(tgUnhealthyAz, nlbScenario({ targetGroup: { targetType: 'lambda' } }).build()).status,
    ).toBe('SKIPPED');
    expect(onlyResult(tgUnhealthyAz, lambdaOnly().build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when target health could not be read', () => {
    const result = onlyResult(tgUnhealthyAz, unreadableTargets().build());
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('elasticloadbalancing:DescribeTargetHealth failed');
  });
});
