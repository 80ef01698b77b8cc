/** Where the path ends early: what is gone, what could not be read, what no listener answers. */
import { integrationListener } from '../../../lambda/checks/integration-listener';
import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { stageExecutionLogging } from '../../../lambda/checks/stage-execution-logging';
import { tgEmptyAz } from '../../../lambda/checks/tg-empty-az';
import { collected, failed, type Inventory } from '../../../lambda/domain/types';
import { auditedPath } from '../../../lambda/path/components';
import {
  ALB_ARN,
  accessDenied,
  anAlb,
  anInventory,
  aRestIntegration,
  aStageInventory,
  aStageSettings,
  aTarget,
  aTargetGroup,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const ALB_TG = TG_ARN.replace('orders-tg', 'front-to-alb');

/** The NLB's listener forwards to an `alb` target group whose target is the ALB, on port 443. */
const nlbInFrontOfAlb = () =>
  nlbScenario({
    loadBalancer: {
      listeners: collected([
        { arn: `${NLB_ARN}/listener-80`, port: 80, protocol: 'TCP', targetGroupArns: [ALB_TG] },
      ]),
    },
  }).with(
    'targetGroups',
    ALB_TG,
    aTargetGroup({
      arn: ALB_TG,
      name: 'front-to-alb',
      targetType: 'alb',
      port: 443,
      targets: collected([aTarget({ id: ALB_ARN, port: 443, availabilityZone: undefined })]),
    }),
  );

describe('where the path ends early', () => {
  it('fails integration-listener once for a load balancer that no longer exists, and skips the others', () => {
    // Arrange
    const inventory: Inventory = {
      ...nlbScenario().build(),
      loadBalancers: {
        [NLB_ARN]: failed({
          action: 'elasticloadbalancing:DescribeLoadBalancers',
          code: 'LoadBalancerNotFound',
          message: 'gone',
        }),
      },
    };
    // Act
    const listener = resultsOf(integrationListener, inventory);
    const zones = resultsOf(tgEmptyAz, inventory);
    // Assert
    expect(listener).toEqual([expect.objectContaining({ status: 'FAIL', resourceArn: NLB_ARN })]);
    expect(listener[0]?.message).toContain('no longer exists (LoadBalancerNotFound)');
    expect(zones).toEqual([expect.objectContaining({ status: 'SKIPPED', resourceArn: NLB_ARN })]);
  });

  it('reports ERROR on an ALB behind an NLB that could not be read, and on its unreadable listeners', () => {
    const unreadableAlb = nlbInFrontOfAlb().failing(
      'loadBalancers',
      ALB_ARN,
      'elasticloadbalancing:DescribeLoadBalancers',
    );
    expect(resultsOf(tgEmptyAz, unreadableAlb.build()).map((r) => `${r.status} ${r.resourceArn}`)).toContain(
      `ERROR ${ALB_ARN}`,
    );
    const noListeners = nlbInFrontOfAlb().with(
      'loadBalancers',
      ALB_ARN,
      anAlb({ listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) }),
    );
    const onAlbTg = resultsOf(integrationListener, noListeners.build()).find((r) => r.resourceArn === ALB_TG);
    expect(onAlbTg?.status).toBe('ERROR');
  });

  it('reports ERROR when the rules of the reached listener could not be read', () => {
    const inventory = nlbScenario({
      loadBalancer: {
        listeners: collected([
          {
            arn: `${NLB_ARN}/listener-80`,
            port: 80,
            protocol: 'TCP',
            targetGroupArns: [TG_ARN],
            rules: failed(accessDenied('elasticloadbalancing:DescribeRules')),
          },
        ]),
      },
    }).build();
    const results = resultsOf(tgEmptyAz, inventory);
    expect(results.map((r) => r.status)).toEqual(['ERROR', 'PASS']);
    expect(results[0]?.message).toContain('elasticloadbalancing:DescribeRules failed');
  });

  it('shows, in the audited path, the port no listener answers', () => {
    const inventory = nlbScenario({
      stage: { integrations: collected([aRestIntegration({ port: 8443 })]) },
    }).build();
    const stage = inventory.stages[0] ?? aStageInventory();
    expect(auditedPath(stage, inventory).map((hop) => hop.label)).toEqual([
      'stage orders/prod',
      'GET /orders',
      'VPC link orders-link (V1)',
      'NLB orders-nlb',
      'no listener for port 8443',
    ]);
  });

  it('takes the explicit client IP preservation setting over the default of the target type', () => {
    // Instance targets preserve client IPs by default; turned off, the NLB's nodes are the senders again.
    const v2 = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
      },
      vpcLink: { version: 'V2', targetArns: [], subnetIds: ['subnet-link-a'] },
      targetGroup: { attributes: collected({ 'preserve_client_ip.enabled': 'false' }) },
    }).build();
    const results = resultsOf(nlbTargetSecurityGroups, v2);
    expect(results.map((r) => r.status)).toEqual(['PASS', 'PASS']);
    expect(results[0]?.message).toContain('from NLB orders-nlb nodes');
  });

  it('reports ERROR when the V2 link’s subnets (the senders with client IP preservation) could not be read', () => {
    const v2 = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
      },
      vpcLink: { version: 'V2', targetArns: [], subnetIds: ['subnet-link-a'] },
    })
      .failing('subnets', 'subnet-link-a', 'ec2:DescribeSubnets')
      .build();
    expect(resultsOf(nlbTargetSecurityGroups, v2).map((r) => r.status)).toEqual(['ERROR', 'ERROR']);
  });

  it('fails a REST stage without methods whose stage-wide logging is off', () => {
    const inventory = anInventory()
      .withStage(
        aStageInventory({
          settings: collected(
            aStageSettings({ executionLogging: { loggingLevel: 'OFF', dataTraceEnabled: false } }),
          ),
          integrations: collected([]),
        }),
      )
      .build();
    expect(onlyResult(stageExecutionLogging, inventory).status).toBe('FAIL');
  });
});
