import { integrationListener } from '../../../lambda/checks/integration-listener';
import { collected, failed } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  anHttpIntegration,
  aRestIntegration,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const restTo = (overrides: Parameters<typeof aRestIntegration>[0]) =>
  nlbScenario({ stage: { integrations: collected([aRestIntegration(overrides)]) } }).build();

describe('integration-listener', () => {
  it('passes a REST integration that sends to a port the NLB listens on', () => {
    const result = onlyResult(integrationListener, nlbScenario().build());
    expect(result).toMatchObject({ status: 'PASS', resourceType: 'AWS::ApiGateway::Method' });
    expect(result.message).toBe(
      'integration GET /orders sends to port 80, where NLB orders-nlb has a TCP listener',
    );
  });

  it('fails a REST integration that sends to a port without a listener', () => {
    const result = onlyResult(integrationListener, restTo({ port: 8443 }));
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'integration GET /orders sends to port 8443 but NLB orders-nlb listens on TCP:80',
    );
  });

  it('passes an HTTP API integration whose listener exists', () => {
    expect(onlyResult(integrationListener, albScenario().build()).message).toContain(
      "sends to ALB orders-alb's HTTPS:443 listener",
    );
  });

  it('fails an HTTP API integration whose listener was deleted', () => {
    const builder = albScenario({
      stage: { integrations: collected([anHttpIntegration({ listenerArn: `${LISTENER_ARN}-deleted` })]) },
    });
    const result = onlyResult(integrationListener, builder.build());
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('which ALB orders-alb does not have (it has HTTPS:443)');
  });

  it('fails against a load balancer with no listener at all', () => {
    const builder = nlbScenario({ loadBalancer: { listeners: collected([]) } });
    expect(onlyResult(integrationListener, builder.build()).message).toContain('listens on no listener');
  });

  it('skips an integration that names neither a port nor a listener, and a stage without a load balancer', () => {
    expect(onlyResult(integrationListener, restTo({ port: undefined })).status).toBe('SKIPPED');
    expect(
      onlyResult(integrationListener, restTo({ connectionType: 'INTERNET', vpcLinkId: undefined })).status,
    ).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when the listeners could not be read', () => {
    const builder = nlbScenario({
      loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
    });
    expect(onlyResult(integrationListener, builder.build())).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'elasticloadbalancing:DescribeListeners' },
    });
  });

  describe('the protocol the listener speaks', () => {
    const NLB_DNS = 'orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com';
    const ALB_DNS = 'orders-alb-80dc6c495c0c9188.us-east-1.elb.amazonaws.com';

    it('warns, not fails, of https:// to an NLB TCP listener: only the targets can terminate TLS', () => {
      const inventory = nlbScenario({
        stage: {
          integrations: collected([aRestIntegration({ uri: `https://${NLB_DNS}:443/orders`, port: 443 })]),
        },
        loadBalancer: {
          listeners: collected([
            { arn: `${NLB_ARN}/listener-443`, port: 443, protocol: 'TCP', targetGroupArns: [] },
          ]),
        },
      }).build();
      const result = onlyResult(integrationListener, inventory);
      expect(result).toMatchObject({
        status: 'WARN',
        severity: 'medium',
        evidence: { port: 443, listenerProtocol: 'TCP' },
      });
      expect(result.message).toBe(
        `integration GET /orders sends https://${NLB_DNS}:443/orders to port 443, where NLB orders-nlb has a TCP listener: https:// to a TCP listener works only if the targets terminate TLS themselves (the listener passes bytes through)`,
      );
    });

    /** A REST integration straight to an internet-facing ALB by its DNS name, on port 80. */
    const toPublicAlb = (uri: string, protocol: string) =>
      albScenario({
        stage: {
          integrations: collected([
            aRestIntegration({
              connectionType: 'INTERNET',
              vpcLinkId: undefined,
              uri,
              port: 80,
              loadBalancerArns: [ALB_ARN],
            }),
          ]),
        },
        loadBalancer: {
          scheme: 'internet-facing',
          listeners: collected([{ arn: LISTENER_ARN, port: 80, protocol, targetGroupArns: [] }]),
        },
      }).build();

    it('fails https:// to an HTTP listener: the TLS handshake meets plain HTTP', () => {
      const result = onlyResult(integrationListener, toPublicAlb(`https://${ALB_DNS}:80/`, 'HTTP'));
      expect(result.status).toBe('FAIL');
      expect(result.message).toContain(
        'where ALB orders-alb has a HTTP listener: https:// opens a TLS handshake',
      );
    });

    it('passes the healthy twin: http:// to the HTTP listener', () => {
      expect(onlyResult(integrationListener, toPublicAlb(`http://${ALB_DNS}:80/`, 'HTTP')).status).toBe(
        'PASS',
      );
    });

    it('fails an internet integration to an internal load balancer, even without a URI', () => {
      const inventory = nlbScenario({
        loadBalancer: { scheme: 'internal' },
        stage: {
          integrations: collected([
            aRestIntegration({
              connectionType: 'INTERNET',
              vpcLinkId: undefined,
              uri: undefined,
              loadBalancerArns: [NLB_ARN],
            }),
          ]),
        },
      }).build();
      const result = onlyResult(integrationListener, inventory);
      expect(result).toMatchObject({ status: 'FAIL', evidence: { scheme: 'internal', uri: null } });
      expect(result.message).toContain('is not on a VPC link, yet its URI names internal NLB orders-nlb');
    });
  });
});
