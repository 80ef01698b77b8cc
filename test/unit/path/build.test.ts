import type { Inventory } from '../../../lambda/domain/types';
import { collected, failed } from '../../../lambda/domain/types';
import { buildStagePaths } from '../../../lambda/path/build';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  anInventory,
  aRestIntegration,
  aStageInventory,
  aTargetGroup,
  NLB_ARN,
  nlbScenario,
  TG_ARN,
} from '../../support/inventory-builders';

const pathOf = (inventory: Inventory) => {
  const [path] = buildStagePaths(inventory.stages[0] ?? aStageInventory(), inventory);
  if (!path) throw new Error('no path built');
  return path;
};

const follow = (builder: ReturnType<typeof nlbScenario>) => {
  const path = pathOf(builder.build());
  return { reached: path.loadBalancers, problems: path.problems, vanished: path.vanished };
};

/** The target groups behind the stage's first load balancer, and why the path stops there. */
const targetGroupsOf = (inventory: Inventory) => {
  const [lb] = pathOf(inventory).loadBalancers;
  if (!lb) throw new Error('no load balancer reached');
  return { reached: lb.targetGroups.map((hop) => hop.targetGroup), problems: lb.targetGroupProblems };
};

describe('following a stage to its load balancers', () => {
  it('reaches the NLB through the REST VPC link with the integration and link that lead there', () => {
    const { reached, problems } = follow(nlbScenario());
    expect(problems).toEqual([]);
    expect(reached).toHaveLength(1);
    expect(reached[0]?.loadBalancer.arn).toBe(NLB_ARN);
    expect(reached[0]?.integrations.map((i) => i.label)).toEqual(['GET /orders']);
    expect(reached[0]?.vpcLinks.map((l) => l.id)).toEqual(['vl-orders']);
  });

  it('reaches a load balancer named by the integration itself (URI host is the LB DNS name)', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({ connectionType: 'INTERNET', vpcLinkId: undefined, loadBalancerArns: [NLB_ARN] }),
        ]),
      },
    });
    expect(follow(builder).reached.map((path) => path.loadBalancer.name)).toEqual(['orders-nlb']);
  });

  it('groups two integrations to the same load balancer into one path', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration(),
          aRestIntegration({ id: 'r1/POST', label: 'POST /orders' }),
        ]),
      },
    });
    const { reached } = follow(builder);
    expect(reached).toHaveLength(1);
    expect(reached[0]?.integrations).toHaveLength(2);
  });

  it('skips a stage whose integrations lead to no load balancer, listing them', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({
            type: 'AWS_PROXY',
            connectionType: 'INTERNET',
            vpcLinkId: undefined,
            label: 'GET /pay',
          }),
        ]),
      },
    });
    const { reached, problems } = follow(builder);
    expect(reached).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ status: 'SKIPPED', resourceType: 'AWS::ApiGateway::Stage' });
    expect(problems[0]?.message).toContain('1 integration: GET /pay (AWS_PROXY)');
  });

  it('skips a stage with no integration at all', () => {
    const { problems } = follow(nlbScenario({ stage: { integrations: collected([]) } }));
    expect(problems[0]?.message).toContain('(0 integrations)');
  });

  it('reports ERROR on the stage when its integrations could not be read', () => {
    const { problems } = follow(
      nlbScenario({ stage: { integrations: failed(accessDenied('apigateway:GET')) } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        evidence: expect.objectContaining({
          action: 'apigateway:GET',
          code: 'AccessDenied',
          explanation: 'COMPONENT_UNREADABLE',
        }),
      }),
    ]);
  });

  it('reports ERROR on the integration whose path could not be followed', () => {
    const pathError = {
      action: 'apigateway:GET',
      code: 'BadStageVariable',
      message: 'stage variable vpcLinkId is not set',
    };
    const builder = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({
            vpcLinkId: undefined,
            pathError,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own stage-variable syntax
            rawConnectionId: '${stageVariables.vpcLinkId}',
          }),
        ]),
      },
    });
    const { problems } = follow(builder);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ status: 'ERROR', resourceType: 'AWS::ApiGateway::Method' });
    expect(problems[0]?.message).toContain('path behind integration GET /orders');
  });

  it('reports ERROR on the VPC link when it could not be read, naming the action', () => {
    const { problems, reached } = follow(nlbScenario().failing('vpcLinks', 'vl-orders', 'apigateway:GET'));
    expect(reached).toEqual([]);
    expect(problems[0]).toMatchObject({
      status: 'ERROR',
      resourceArn: 'arn:aws:apigateway:us-east-1::/vpclinks/vl-orders',
      resourceType: 'AWS::ApiGateway::VpcLink',
    });
  });

  it('still reaches the ALB of an HTTP API by its listener when the VPC link could not be read', () => {
    // Act
    const { problems, reached } = follow(
      albScenario().failing('vpcLinks', 'vl-http', 'apigateway:GetVpcLinks'),
    );

    // Assert: the link's own ERROR is vpc-link-status's to report, once
    expect(problems).toEqual([]);
    expect(reached).toHaveLength(1);
    expect(reached[0]?.loadBalancer.arn).toBe(ALB_ARN);
    expect(reached[0]?.unreadableVpcLinks).toEqual([
      expect.objectContaining({ action: 'apigateway:GetVpcLinks' }),
    ]);
  });

  it('reports ERROR on a load balancer the collector never described', () => {
    const { problems } = follow(nlbScenario().without('loadBalancers', NLB_ARN));
    expect(problems[0]).toMatchObject({ status: 'ERROR', resourceArn: NLB_ARN });
    expect(problems[0]?.message).toContain('elasticloadbalancing:DescribeLoadBalancers failed (NotCollected');
  });

  it('reports ERROR on the load balancer when its listeners could not be read', () => {
    const inventory = nlbScenario({
      loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
    }).build();
    const { problems } = targetGroupsOf(inventory);
    expect(problems[0]).toMatchObject({ status: 'ERROR', resourceArn: NLB_ARN });
    expect(problems[0]?.message).toContain('elasticloadbalancing:DescribeListeners failed');
  });

  it('reports ERROR on a target group that could not be described and SKIPPED for a listener that forwards nowhere', () => {
    const unreadable = nlbScenario()
      .failing('targetGroups', TG_ARN, 'elasticloadbalancing:DescribeTargetGroups')
      .build();
    expect(targetGroupsOf(unreadable).problems[0]).toMatchObject({
      status: 'ERROR',
      resourceArn: TG_ARN,
    });
    const fixedResponse = nlbScenario({
      loadBalancer: {
        listeners: collected([{ arn: 'l-1', port: 80, protocol: 'TCP', targetGroupArns: [] }]),
      },
    }).build();
    expect(targetGroupsOf(fixedResponse).problems[0]).toMatchObject({
      status: 'SKIPPED',
      message: "listener TCP:80 of NLB orders-nlb forwards the integrations' requests to no target group",
    });
  });

  it('follows only the target groups the reached listener forwards to, its rules included', () => {
    const OTHER_TG = TG_ARN.replace('orders-tg', 'billing-tg');
    const RULE_TG = TG_ARN.replace('orders-tg', 'orders-v2-tg');
    const inventory = nlbScenario({
      loadBalancer: {
        listeners: collected([
          {
            arn: 'l-80',
            port: 80,
            protocol: 'TCP',
            targetGroupArns: [TG_ARN],
            // DescribeRules shape (ELB API reference, Rule): a numbered rule without conditions, then the default.
            rules: collected([
              {
                arn: 'r-1',
                priority: '1',
                isDefault: false,
                conditions: [],
                actionType: 'forward',
                forward: [{ arn: RULE_TG, weight: 1 }],
              },
              {
                arn: 'r-d',
                priority: 'default',
                isDefault: true,
                conditions: [],
                actionType: 'forward',
                forward: [{ arn: TG_ARN, weight: 1 }],
              },
            ]),
          },
          { arn: 'l-9000', port: 9000, protocol: 'TCP', targetGroupArns: [OTHER_TG] },
        ]),
        targetGroupArns: collected([TG_ARN, OTHER_TG, RULE_TG]),
      },
    })
      .with('targetGroups', RULE_TG, aTargetGroup({ arn: RULE_TG, name: 'orders-v2-tg' }))
      .with('targetGroups', OTHER_TG, aTargetGroup({ arn: OTHER_TG, name: 'billing-tg' }))
      .build();
    const { reached, problems } = targetGroupsOf(inventory);
    expect(problems).toEqual([]);
    // Rule 1 has no condition: it takes every request, the default rule none.
    expect(reached.map((group) => group.name).sort()).toEqual(['orders-v2-tg']);
  });

  it('reports SKIPPED, never PASS, when no listener answers the port the integration sends to', () => {
    const inventory = nlbScenario({
      stage: { integrations: collected([aRestIntegration({ port: 8443 })]) },
    }).build();
    const { reached, problems } = targetGroupsOf(inventory);
    expect(reached).toEqual([]);
    expect(problems[0]).toMatchObject({ status: 'SKIPPED', resourceArn: NLB_ARN });
    expect(problems[0]?.message).toContain('port 8443');
  });

  it('yields nothing for an inventory without stages', () => {
    expect(anInventory().build().stages).toEqual([]);
  });
});
