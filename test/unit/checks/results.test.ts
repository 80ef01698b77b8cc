import { failedCheck, passed, warned } from '../../../lambda/checks/results';
import type { StageKey } from '../../../lambda/domain/types';
import { NLB_ARN } from '../../support/inventory-builders';

const resource = { resourceArn: NLB_ARN, resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer' };
const apis: StageKey[] = [{ region: 'us-east-1', apiId: 'a1b2c3', stage: 'prod' }];

describe('the results checks answer with', () => {
  it('carry the status, stages and message, and evidence only when given', () => {
    expect(passed(resource, apis, 'fine')).toEqual({ ...resource, status: 'PASS', apis, message: 'fine' });
    expect(failedCheck(resource, apis, 'broken', { port: 80 })).toEqual({
      ...resource,
      status: 'FAIL',
      apis,
      message: 'broken',
      evidence: { port: 80 },
    });
    expect(failedCheck(resource, apis, 'broken')).not.toHaveProperty('evidence');
  });

  it('make a WARN low unless the check says how serious it is', () => {
    expect(warned(resource, apis, 'weak')).toEqual({
      ...resource,
      status: 'WARN',
      severity: 'low',
      apis,
      message: 'weak',
    });
    expect(warned(resource, apis, 'weaker', { zone: 'us-east-1a' }, 'medium')).toMatchObject({
      severity: 'medium',
      evidence: { zone: 'us-east-1a' },
    });
  });
});
