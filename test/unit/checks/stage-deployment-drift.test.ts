import { stageDeploymentDrift } from '../../../lambda/checks/stage-deployment-drift';
import { deployedIntegrationsOf } from '../../../lambda/collect/api-gateway-rest';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aRestIntegration,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const NLB_URI = 'http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:80/orders';
const deployedAs = (deployed: Record<string, Record<string, string>> | null) =>
  nlbScenario({
    stage: {
      integrations: collected([
        aRestIntegration({ method: { path: '/orders', httpMethod: 'GET' }, uri: NLB_URI }),
      ]),
      deployedIntegrations: collected(deployed),
    },
  }).build();

describe('stage-deployment-drift', () => {
  it('passes a stage whose deployment serves the current integration', () => {
    const result = onlyResult(
      stageDeploymentDrift,
      deployedAs({ 'GET /orders': { uri: NLB_URI, connectionType: 'VPC_LINK', connectionId: 'vl-orders' } }),
    );
    expect(result).toMatchObject({ status: 'PASS', resourceType: 'AWS::ApiGateway::Stage' });
  });

  it('fails a stage that still serves the old VPC link after the integration was changed and not deployed', () => {
    const result = onlyResult(
      stageDeploymentDrift,
      deployedAs({ 'GET /orders': { uri: NLB_URI, connectionType: 'VPC_LINK', connectionId: 'vl-old' } }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'orders/prod still serves an older deployment: GET /orders (connectionId: deployed vl-old, current vl-orders)',
    );
  });

  it('fails a method that is not deployed at all', () => {
    expect(
      onlyResult(stageDeploymentDrift, deployedAs({ 'POST /orders': { uri: NLB_URI } })).message,
    ).toContain('GET /orders is not deployed');
  });

  it('cannot compare, and never passes, when the export carries no integration or could not be read', () => {
    expect(onlyResult(stageDeploymentDrift, deployedAs(null)).status).toBe('SKIPPED');
    const unreadable = nlbScenario({
      stage: { deployedIntegrations: failed(accessDenied('apigateway:GetExport')) },
    });
    expect(onlyResult(stageDeploymentDrift, unreadable.build())).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'apigateway:GetExport' },
    });
    expect(onlyResult(stageDeploymentDrift, albScenario().build()).status).toBe('SKIPPED');
  });

  it('reads the integrations of an OpenAPI export as the GetExport reference shows it', () => {
    // Shape of an oas30 export with `extensions=integrations` (API Gateway developer guide, "Export a REST API").
    const exported = {
      openapi: '3.0.1',
      info: { title: 'orders', version: '2026-12-01T00:00:00Z' },
      paths: {
        '/orders': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: NLB_URI,
              connectionType: 'VPC_LINK',
              connectionId: 'vl-orders',
              passthroughBehavior: 'when_no_match',
            },
          },
          'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'mock' } },
          parameters: [],
        },
      },
    };
    expect(deployedIntegrationsOf(exported)).toEqual({
      'GET /orders': {
        type: 'http_proxy',
        uri: NLB_URI,
        connectionType: 'VPC_LINK',
        connectionId: 'vl-orders',
      },
      'ANY /orders': { type: 'mock' },
    });
    expect(deployedIntegrationsOf({ openapi: '3.0.1', paths: { '/orders': { get: {} } } })).toBeNull();
    expect(deployedIntegrationsOf(null)).toBeNull();
  });
});
