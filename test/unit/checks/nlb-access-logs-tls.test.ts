import { nlbAccessLogsTls } from '../../../lambda/checks/nlb-access-logs-tls';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  NLB_ARN,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const loggingNlb = (listeners: { port: number; protocol: string }[]) =>
  nlbScenario({
    loadBalancer: {
      attributes: collected({ 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'logs-bucket' }),
      listeners: collected(
        listeners.map((l) => ({ ...l, arn: `${NLB_ARN}/${l.port}`, targetGroupArns: [] })),
      ),
    },
  }).build();

describe('nlb-access-logs-tls', () => {
  it('passes an NLB with access logs and a TLS listener', () => {
    const result = onlyResult(nlbAccessLogsTls, loggingNlb([{ port: 443, protocol: 'TLS' }]));
    expect(result).toMatchObject({
      status: 'PASS',
      resourceArn: NLB_ARN,
      evidence: { bucket: 'logs-bucket' },
    });
  });

  it('fails an NLB with access logs on but only TCP listeners', () => {
    const result = onlyResult(
      nlbAccessLogsTls,
      loggingNlb([
        { port: 80, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ]),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('no TLS listener (TCP:80, UDP:53)');
  });

  it('fails an NLB with access logs on and no listener at all, with no bucket named', () => {
    const inventory = nlbScenario({
      loadBalancer: {
        attributes: collected({ 'access_logs.s3.enabled': 'true' }),
        listeners: collected([]),
      },
    }).build();
    const result = onlyResult(nlbAccessLogsTls, inventory);
    expect(result).toMatchObject({ status: 'FAIL', evidence: { listeners: [], bucket: null } });
    expect(result.message).toContain('but it has no TLS listener (no listener)');
  });

  it('skips an NLB whose access logs are off, and an ALB', () => {
    expect(onlyResult(nlbAccessLogsTls, nlbScenario().build())).toMatchObject({
      status: 'SKIPPED',
      message: 'access logs are off on NLB orders-nlb',
    });
    const alb = onlyResult(nlbAccessLogsTls, albScenario().build());
    expect(alb.status).toBe('SKIPPED');
    expect(alb.message).toContain('ALB orders-alb is a application load balancer');
  });

  it('reports ERROR naming the action when attributes or listeners could not be read', () => {
    const noAttributes = nlbScenario({
      loadBalancer: {
        attributes: failed(accessDenied('elasticloadbalancing:DescribeLoadBalancerAttributes')),
      },
    });
    expect(onlyResult(nlbAccessLogsTls, noAttributes.build()).status).toBe('ERROR');
    const noListeners = nlbScenario({
      loadBalancer: {
        attributes: collected({ 'access_logs.s3.enabled': 'true' }),
        listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')),
      },
    });
    expect(onlyResult(nlbAccessLogsTls, noListeners.build()).evidence).toEqual({
      action: 'elasticloadbalancing:DescribeListeners',
      code: 'AccessDenied',
    });
  });
});
