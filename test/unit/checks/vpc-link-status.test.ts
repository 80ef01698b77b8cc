import { vpcLinkStatus } from '../../../lambda/checks/vpc-link-status';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aRestIntegration,
  aVpcLink,
  nlbScenario,
  onlyResult,
  resultsOf,
} from '../../support/inventory-builders';

/** The stage's canary, at `share` of its requests, sending GET /orders through VPC link vl-canary. */
const withCanaryLink = (share: number, status: string) =>
  nlbScenario({
    stage: {
      canary: {
        share,
        stageVariables: { vpcLinkId: 'vl-canary' },
        integrations: collected([aRestIntegration({ rawConnectionId: 'vl-canary', vpcLinkId: 'vl-canary' })]),
      },
    },
  })
    .with('vpcLinks', 'vl-canary', aVpcLink({ id: 'vl-canary', name: 'canary-link', status }))
    .build();

const VPC_LINK_ARN = 'arn:aws:apigateway:us-east-1::/vpclinks/vl-orders';

describe('vpc-link-status', () => {
  it('passes an AVAILABLE VPC link', () => {
    expect(onlyResult(vpcLinkStatus, nlbScenario().build())).toMatchObject({
      status: 'PASS',
      resourceArn: VPC_LINK_ARN,
      resourceType: 'AWS::ApiGateway::VpcLink',
    });
  });

  it('fails a FAILED VPC link with its status message', () => {
    const builder = nlbScenario({ vpcLink: { status: 'FAILED', statusMessage: 'NLB ARN is malformed' } });
    expect(onlyResult(vpcLinkStatus, builder.build()).message).toBe(
      'VPC link orders-link is FAILED (NLB ARN is malformed)',
    );
  });

  it('fails a PENDING VPC link without a status message', () => {
    expect(onlyResult(vpcLinkStatus, nlbScenario({ vpcLink: { status: 'PENDING' } }).build()).message).toBe(
      'VPC link orders-link is PENDING',
    );
  });

  it('fails an INACTIVE HTTP API VPC link, explaining the 60 days', () => {
    const result = onlyResult(vpcLinkStatus, albScenario({ vpcLink: { status: 'INACTIVE' } }).build());
    expect(result).toMatchObject({ status: 'FAIL', resourceType: 'AWS::ApiGatewayV2::VpcLink' });
    expect(result.message).toContain('after 60 days without traffic');
  });

  it('fails a VPC link that no longer exists', () => {
    const gone = {
      action: 'apigateway:GET',
      code: 'NotFoundException',
      message: 'Invalid VPC link identifier',
    };
    const result = onlyResult(
      vpcLinkStatus,
      nlbScenario().with('vpcLinks', 'vl-orders', failed(gone)).build(),
    );
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: VPC_LINK_ARN });
    expect(result.message).toContain('which no longer exists');
  });

  it('skips a stage without a VPC link integration', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ connectionType: 'INTERNET', vpcLinkId: undefined })]),
      },
    });
    expect(onlyResult(vpcLinkStatus, builder.build())).toMatchObject({
      status: 'SKIPPED',
      message: 'no integration of orders/prod uses a VPC link',
    });
  });

  it('reports ERROR naming the action when the VPC link could not be read', () => {
    const result = onlyResult(
      vpcLinkStatus,
      nlbScenario().failing('vpcLinks', 'vl-orders', 'apigateway:GET').build(),
    );
    expect(result).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'apigateway:GET', code: 'AccessDenied' },
    });
  });

  it('reports ERROR on the integration when its connection id did not resolve', () => {
    const unresolved = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ vpcLinkId: undefined, rawConnectionId: 'stageVar' })]),
      },
    });
    const result = onlyResult(vpcLinkStatus, unresolved.build());
    expect(result).toMatchObject({ status: 'ERROR', resourceType: 'AWS::ApiGateway::Method' });
    expect(result.message).toContain('connection id stageVar did not resolve');
    const pathError = { action: 'apigateway:GET', code: 'BadStageVariable', message: 'unset' };
    const withPathError = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({ vpcLinkId: undefined, rawConnectionId: undefined, pathError }),
        ]),
      },
    });
    expect(onlyResult(vpcLinkStatus, withPathError.build()).evidence).toEqual({
      action: 'apigateway:GET',
      code: 'BadStageVariable',
    });
  });

  it('reports ERROR on the stage when its integrations could not be read', () => {
    const builder = nlbScenario({ stage: { integrations: failed(accessDenied('apigateway:GET')) } });
    expect(onlyResult(vpcLinkStatus, builder.build())).toMatchObject({
      status: 'ERROR',
      resourceType: 'AWS::ApiGateway::Stage',
    });
  });

  it("fails the canary's own VPC link when it is not AVAILABLE, naming the canary's share", () => {
    const results = resultsOf(vpcLinkStatus, withCanaryLink(0.1, 'FAILED'));
    expect(results.map((result) => [result.resourceArn.split('/').pop(), result.status])).toEqual([
      ['vl-orders', 'PASS'],
      ['vl-canary', 'FAIL'],
    ]);
    expect(results[1]?.message).toBe('VPC link canary-link on the canary (10% of requests) is FAILED');
  });

  it('twin: an AVAILABLE canary link passes, and a 0% canary is not judged', () => {
    expect(resultsOf(vpcLinkStatus, withCanaryLink(0.1, 'AVAILABLE')).map((r) => r.status)).toEqual([
      'PASS',
      'PASS',
    ]);
    expect(resultsOf(vpcLinkStatus, withCanaryLink(0, 'FAILED')).map((r) => r.resourceArn)).toEqual([
      VPC_LINK_ARN,
    ]);
  });
});
