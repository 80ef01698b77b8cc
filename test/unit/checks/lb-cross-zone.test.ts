import { lbCrossZone } from '../../../lambda/checks/lb-cross-zone';
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

const tgAttribute = (value: string) => ({
  targetGroup: { attributes: collected({ 'load_balancing.cross_zone.enabled': value }) },
});

describe('lb-cross-zone', () => {
  it('passes a target group that inherits cross-zone on from the NLB', () => {
    const result = onlyResult(lbCrossZone, nlbScenario().build());
    expect(result).toMatchObject({
      status: 'PASS',
      resourceArn: TG_ARN,
      resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    });
    expect(result.evidence).toMatchObject({ enabled: true, source: 'load balancer attribute' });
  });

  it('does not fail an NLB left at its default (off) when every zone has a healthy target: advice only', () => {
    const result = onlyResult(
      lbCrossZone,
      nlbScenario({ loadBalancer: { attributes: collected({}) } }).build(),
    );
    expect(result).toMatchObject({ status: 'WARN', severity: 'info' });
    expect(result.message).toContain(
      'off for target group orders-tg of NLB orders-nlb (load balancer default)',
    );
    expect(result.message).toContain('every zone it sends to (us-east-1a, us-east-1b) has a healthy target');
  });

  it('fails an NLB left at its default (off) when a zone that receives traffic has no healthy target, naming it', () => {
    const oneZoneDown = nlbScenario({
      loadBalancer: { attributes: collected({}) },
      targetGroup: {
        targets: collected([
          aTarget({ id: 'i-0a1', availabilityZone: 'us-east-1a' }),
          aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b', state: 'unhealthy' }),
        ]),
      },
    });
    const result = onlyResult(lbCrossZone, oneZoneDown.build());
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('nodes in us-east-1b receive their share');
    expect(result.evidence).toMatchObject({ zonesWithoutHealthyTarget: ['us-east-1b'] });
  });

  it('skips an NLB target group of type alb, off or not: the ALB has nodes in every zone it serves', () => {
    const result = onlyResult(
      lbCrossZone,
      nlbScenario({
        loadBalancer: { attributes: collected({}) },
        targetGroup: { targetType: 'alb', targets: collected([]) },
      }).build(),
    );
    expect(result).toMatchObject({ status: 'SKIPPED', resourceArn: TG_ARN });
    expect(result.message).toContain('forwards to an ALB');
  });

  it('lets the target group attribute win over the load balancer', () => {
    expect(onlyResult(lbCrossZone, nlbScenario(tgAttribute('false')).build()).status).toBe('WARN');
    const on = nlbScenario({
      ...tgAttribute('true'),
      loadBalancer: { attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }) },
    });
    expect(onlyResult(lbCrossZone, on.build()).evidence).toMatchObject({
      enabled: true,
      source: 'target group attribute',
    });
  });

  it('treats an ALB as on at the load balancer level', () => {
    const result = onlyResult(lbCrossZone, albScenario().build());
    expect(result).toMatchObject({ status: 'PASS', evidence: { source: 'load balancer default' } });
  });

  it('warns (does not fail) on an ALB target group that turns cross-zone off while every zone serves', () => {
    expect(onlyResult(lbCrossZone, albScenario(tgAttribute('false')).build()).status).toBe('WARN');
  });

  it('skips a stage without a load balancer and a gateway load balancer', () => {
    const lambdaOnly = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({ type: 'AWS_PROXY', connectionType: 'INTERNET', vpcLinkId: undefined }),
        ]),
      },
    });
    expect(onlyResult(lbCrossZone, lambdaOnly.build()).status).toBe('SKIPPED');
    expect(onlyResult(lbCrossZone, nlbScenario({ loadBalancer: { type: 'gateway' } }).build()).status).toBe(
      'SKIPPED',
    );
  });

  it('reports ERROR naming the action when the attributes could not be read', () => {
    const tgFailing = nlbScenario({
      targetGroup: { attributes: failed(accessDenied('elasticloadbalancing:DescribeTargetGroupAttributes')) },
    });
    expect(onlyResult(lbCrossZone, tgFailing.build()).evidence).toEqual({
      action: 'elasticloadbalancing:DescribeTargetGroupAttributes',
      code: 'AccessDenied',
    });
    const lbFailing = nlbScenario({
      loadBalancer: {
        attributes: failed(accessDenied('elasticloadbalancing:DescribeLoadBalancerAttributes')),
      },
    });
    expect(onlyResult(lbCrossZone, lbFailing.build())).toMatchObject({
      status: 'ERROR',
      resourceArn: TG_ARN,
    });
  });
});
