import { integrationListener } from '../../../lambda/checks/integration-listener';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anHttpIntegration,
  aRestIntegration,
  LISTENER_ARN,
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
});
