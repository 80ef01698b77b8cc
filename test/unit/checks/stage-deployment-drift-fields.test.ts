/**
 * stage-deployment-drift on the fields the emulator never keeps (notes/emulator.md: REST PutIntegration
 * drops connectionId and integrationTarget, GetExport has no integration extensions), so only unit
 * tests reach them. Their twins (served as defined: PASS) are beside each case.
 */
import { stageDeploymentDrift } from '../../../lambda/checks/stage-deployment-drift';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  aRestIntegration,
  NLB_ARN,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const GET_ORDERS = { path: '/orders', httpMethod: 'GET' };

/** A REST stage whose one integration targets the NLB through a VPC link V2 (integrationTarget). */
const v2Stage = (deployed: Record<string, string>, integration = {}) =>
  nlbScenario({
    stage: {
      integrations: collected([
        aRestIntegration({
          method: GET_ORDERS,
          uri: undefined,
          rawConnectionId: 'vl-v2',
          vpcLinkVersion: 'V2',
          integrationTarget: NLB_ARN,
          ...integration,
        }),
      ]),
      deployedIntegrations: collected({ 'GET /orders': deployed }),
    },
  }).build();

describe('stage-deployment-drift: VPC link V2 targets and odd definitions', () => {
  it('fails a stage whose deployment predates the integrationTarget, naming the field and "(none)"', () => {
    const result = onlyResult(
      stageDeploymentDrift,
      v2Stage({ type: 'HTTP_PROXY', connectionType: 'VPC_LINK', connectionId: 'vl-v2' }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(`integrationTarget: deployed (none), current ${NLB_ARN}`);
  });

  it('passes the same stage once its deployment carries the same target (the twin)', () => {
    const result = onlyResult(
      stageDeploymentDrift,
      v2Stage({
        type: 'HTTP_PROXY',
        connectionType: 'VPC_LINK',
        connectionId: 'vl-v2',
        integrationTarget: NLB_ARN,
      }),
    );
    expect(result.status).toBe('PASS');
  });

  it('never passes a stage whose integrations could not be read', () => {
    const unreadable = nlbScenario({
      stage: { integrations: failed(accessDenied('apigateway:GetResources')) },
    });
    expect(onlyResult(stageDeploymentDrift, unreadable.build()).status).toBe('ERROR');
  });
});
