/**
 * The load balancer's own security groups when the VPC link in front of it is not there to judge:
 * reached by its DNS name (no link: API Gateway's public addresses, which these checks do not model)
 * or behind a link that could not be read (ERROR, never PASS). Their twins, through a readable link,
 * are in nlb-own-security-groups.test.ts and alb-security-group-sources.test.ts. Also the pure helpers
 * whose branches only the emulator reached (the reset median, the method's logging level).
 */
import { albSecurityGroupSources } from '../../../lambda/checks/alb-security-group-sources';
import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { median } from '../../../lambda/checks/nlb-tcp-target-resets';
import { effectiveLoggingLevel } from '../../../lambda/checks/stage-execution-logging';
import { collected, type StageSettings } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  albScenario,
  anIpPermission,
  aRestIntegration,
  aSecurityGroup,
  aStageSettings,
  NLB_ARN,
  nlbScenario,
  resultsOf,
} from '../../support/inventory-builders';

/** The REST scenario's NLB in security group sg-nlb, reached straight by its DNS name (no VPC link). */
const nlbByDnsName = () =>
  nlbScenario({
    loadBalancer: { securityGroupIds: ['sg-nlb'] },
    stage: {
      integrations: collected([
        aRestIntegration({ connectionType: 'INTERNET', vpcLinkId: undefined, loadBalancerArns: [NLB_ARN] }),
      ]),
    },
  }).with(
    'securityGroups',
    'sg-nlb',
    aSecurityGroup({ id: 'sg-nlb', name: 'nlb', inbound: [anIpPermission({})] }),
  );

describe('a load balancer with no readable VPC link in front of it', () => {
  it("skips the NLB's own groups when it is reached by its DNS name, saying why", () => {
    // Act
    const onNlb = resultsOf(nlbTargetSecurityGroups, nlbByDnsName().build()).filter(
      (result) => result.resourceArn === NLB_ARN,
    );

    // Assert
    expect(onNlb).toEqual([expect.objectContaining({ status: 'SKIPPED' })]);
    expect(onNlb[0]?.message).toContain('is reached by its DNS name, not through a VPC link');
  });

  it('reports ERROR on the ALB when the VPC link in front of it could not be read', () => {
    // Act
    const onAlb = resultsOf(
      albSecurityGroupSources,
      albScenario().failing('vpcLinks', 'vl-http', 'apigateway:GetVpcLinks').build(),
    ).filter((result) => result.resourceArn === ALB_ARN);

    // Assert
    expect(onAlb.map((result) => result.status)).toEqual(['ERROR']);
    expect(onAlb[0]?.message).toContain('apigateway:GetVpcLinks');
  });
});

describe('the median of a window of TCP resets', () => {
  it.each([
    [[], 0],
    [[7], 7],
    [[1, 9, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('the logging level a method runs with', () => {
  const method = { path: '/orders', httpMethod: 'GET' };

  it.each([
    ['no stage-wide logging and no override', { executionLogging: null }, 'OFF'],
    [
      'the stage-wide level when no method setting exists',
      { executionLogging: { loggingLevel: 'ERROR', dataTrace: false } },
      'ERROR',
    ],
    [
      "the method's own level over the stage's",
      {
        executionLogging: { loggingLevel: 'ERROR', dataTrace: false },
        methodLogging: { '~1orders/GET': { loggingLevel: 'INFO' } },
      },
      'INFO',
    ],
  ] as const)('is %s', (_, settings, expected) => {
    expect(effectiveLoggingLevel(aStageSettings(settings as Partial<StageSettings>), method)).toBe(expected);
    expect(effectiveLoggingLevel(aStageSettings(settings as Partial<StageSettings>), undefined)).toBe(
      settings.executionLogging?.loggingLevel ?? 'OFF',
    );
  });
});
