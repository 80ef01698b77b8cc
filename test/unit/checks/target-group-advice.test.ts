/** The target group configuration advice: tg-health-check-port, tg-tcp-health-check, tg-proxy-protocol-v2. */
import { tgHealthCheckPort } from '../../../lambda/checks/tg-health-check-port';
import { PROXY_PROTOCOL_ATTRIBUTE, tgProxyProtocolV2 } from '../../../lambda/checks/tg-proxy-protocol-v2';
import { tgTcpHealthCheck } from '../../../lambda/checks/tg-tcp-health-check';
import { collected, failed, type HealthCheckFacts } from '../../../lambda/domain/types';
import { accessDenied, albScenario, nlbScenario, onlyResult, TG_ARN } from '../../support/inventory-builders';

/** DescribeTargetGroups' HealthCheck* fields as the collector keeps them, at CreateTargetGroup's documented defaults for a TCP group (interval 30 s, healthy 5, unhealthy 2). */
const aHealthCheck = (overrides: Partial<HealthCheckFacts> = {}): HealthCheckFacts => ({
  protocol: 'TCP',
  port: 'traffic-port',
  intervalSeconds: 30,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  ...overrides,
});
const withHealthCheck = (healthCheck: HealthCheckFacts) =>
  nlbScenario({ targetGroup: { healthCheck } }).build();

describe('tg-health-check-port', () => {
  it('warns when the health check tests another port than the one that serves, naming both', () => {
    const result = onlyResult(tgHealthCheckPort, withHealthCheck(aHealthCheck({ port: '9000' })));
    expect(result).toMatchObject({ status: 'WARN', severity: 'low', resourceArn: TG_ARN });
    expect(result.message).toContain(
      'target group orders-tg (NLB orders-nlb) checks health on port 9000, not on the traffic port 8080',
    );
    expect(result.evidence).toEqual({ healthCheckPort: '9000', trafficPort: 8080 });
  });

  it('passes traffic-port and the traffic port given by number (the healthy twins)', () => {
    expect(onlyResult(tgHealthCheckPort, withHealthCheck(aHealthCheck())).status).toBe('PASS');
    expect(onlyResult(tgHealthCheckPort, withHealthCheck(aHealthCheck({ port: '8080' }))).status).toBe(
      'PASS',
    );
  });

  it('skips a group whose description has no health check settings', () => {
    const result = onlyResult(tgHealthCheckPort, nlbScenario().build());
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'target group orders-tg (NLB orders-nlb) has no health check settings to judge',
    });
  });
});

describe('tg-tcp-health-check', () => {
  it('warns of a TCP health check in front of targets that serve HTTP', () => {
    const result = onlyResult(tgTcpHealthCheck, withHealthCheck(aHealthCheck()));
    expect(result).toMatchObject({ status: 'WARN', evidence: { healthCheckProtocol: 'TCP' } });
    expect(result.message).toContain(
      "target group orders-tg (NLB orders-nlb) checks its targets' health over TCP",
    );
  });

  it('passes an HTTP health check (the healthy twin)', () => {
    const result = onlyResult(tgTcpHealthCheck, withHealthCheck(aHealthCheck({ protocol: 'HTTP' })));
    expect(result).toMatchObject({ status: 'PASS', evidence: { healthCheckProtocol: 'HTTP' } });
  });

  it('skips a group without health check settings', () => {
    expect(onlyResult(tgTcpHealthCheck, nlbScenario().build()).status).toBe('SKIPPED');
  });
});

describe('tg-proxy-protocol-v2', () => {
  const withAttributes = (attributes: Record<string, string>) =>
    nlbScenario({ targetGroup: { attributes: collected(attributes) } }).build();

  it('warns when the NLB group sends a PROXY v2 header', () => {
    const result = onlyResult(tgProxyProtocolV2, withAttributes({ [PROXY_PROTOCOL_ATTRIBUTE]: 'true' }));
    expect(result).toMatchObject({
      status: 'WARN',
      severity: 'medium',
      evidence: { [PROXY_PROTOCOL_ATTRIBUTE]: 'true' },
    });
    expect(result.message).toContain('target group orders-tg (NLB orders-nlb) has proxy protocol v2 on');
  });

  it('passes when the attribute is false or absent (the healthy twins)', () => {
    expect(
      onlyResult(tgProxyProtocolV2, withAttributes({ [PROXY_PROTOCOL_ATTRIBUTE]: 'false' })).status,
    ).toBe('PASS');
    const absent = onlyResult(tgProxyProtocolV2, withAttributes({}));
    expect(absent).toMatchObject({ status: 'PASS', evidence: { [PROXY_PROTOCOL_ATTRIBUTE]: null } });
  });

  it('reports ERROR naming the action when the group attributes could not be read', () => {
    const inventory = nlbScenario({
      targetGroup: { attributes: failed(accessDenied('elasticloadbalancing:DescribeTargetGroupAttributes')) },
    }).build();
    const result = onlyResult(tgProxyProtocolV2, inventory);
    expect(result).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'elasticloadbalancing:DescribeTargetGroupAttributes' },
    });
    expect(result.message).toContain(
      'could not read its attributes of target group orders-tg (NLB orders-nlb)',
    );
  });

  it('skips an ALB group: proxy protocol v2 is an NLB setting', () => {
    const result = onlyResult(tgProxyProtocolV2, albScenario().build());
    expect(result.status).toBe('SKIPPED');
    expect(result.message).toContain('proxy protocol v2 is an NLB target group setting');
  });
});
