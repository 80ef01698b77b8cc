import { GetResourcesCommand, GetStageCommand, GetVpcLinksCommand } from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeFlowLogsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectInventory } from '../../../lambda/collect/inventory';
import type { ClassifiedStage } from '../../../lambda/domain/types';
import { awsError, recordedClients, WINDOW } from './recorded-clients';

/** API Gateway's own placeholder syntax, not a template literal. */
const STAGE_VARIABLE_LINK = ['$', '{stageVariables.vpcLinkId}'].join('');
const NLB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/50dc6c495c0c9188';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/orders/73e2d6bc24d8a067';
const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/orders/50dc6c495c0c9188/2f2ba3a4e0e1a3c4';

const restStage: ClassifiedStage = {
  region: 'us-east-1',
  apiId: 'rest1',
  apiName: 'orders',
  apiType: 'REST',
  stage: 'prod',
  requests: 1000,
  errors5xx: 300,
  errorRatio: 0.3,
  periodsWithErrors: 12,
  periods: 12,
  classification: 'high-frequency',
};

/** A REST API whose one method reaches an NLB through a VPC link named by a stage variable. */
function recordRestPath(stageVariables: Record<string, string>) {
  const recorded = recordedClients();
  const { mocks } = recorded;
  mocks.apiGateway.on(GetStageCommand).resolves({ stageName: 'prod', variables: stageVariables });
  mocks.apiGateway.on(GetResourcesCommand).resolves({
    items: [
      {
        id: 'res1',
        path: '/orders',
        resourceMethods: {
          GET: {
            methodIntegration: {
              type: 'HTTP_PROXY',
              connectionType: 'VPC_LINK',
              connectionId: STAGE_VARIABLE_LINK,
              uri: 'http://orders.internal:8080/orders',
              timeoutInMillis: 29_000,
            },
          },
        },
      },
    ],
  });
  mocks.apiGateway.on(GetVpcLinksCommand).resolves({
    items: [{ id: 'vl-1', name: 'orders-link', status: 'AVAILABLE', targetArns: [NLB_ARN] }],
  });
  mocks.elb.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: NLB_ARN,
        LoadBalancerName: 'orders',
        Type: 'network',
        VpcId: 'vpc-1',
        DNSName: 'orders-50dc6c495c0c9188.elb.us-east-1.amazonaws.com',
        AvailabilityZones: [
          { ZoneName: 'us-east-1a', SubnetId: 'subnet-a' },
          { ZoneName: 'us-east-1b', SubnetId: 'subnet-b' },
        ],
      },
    ],
  });
  mocks.elb.on(DescribeListenersCommand).resolves({
    Listeners: [
      {
        ListenerArn: LISTENER_ARN,
        LoadBalancerArn: NLB_ARN,
        Port: 8080,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
      },
    ],
  });
  mocks.elb.on(DescribeRulesCommand).resolves({
    Rules: [
      {
        RuleArn: `${LISTENER_ARN.replace(':listener/', ':listener-rule/')}/default`,
        Priority: 'default',
        IsDefault: true,
        Conditions: [],
        Actions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
      },
    ],
  });
  mocks.elb.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        TargetGroupArn: TG_ARN,
        TargetGroupName: 'orders',
        Port: 8080,
        Protocol: 'TCP',
        TargetType: 'instance',
        VpcId: 'vpc-1',
      },
    ],
  });
  mocks.elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [
      {
        Target: { Id: 'i-a', Port: 8080 },
        TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks' },
      },
    ],
  });
  mocks.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: 'i-a',
            State: { Name: 'running' },
            SubnetId: 'subnet-a',
            Placement: { AvailabilityZone: 'us-east-1a' },
            PrivateIpAddress: '10.0.1.10',
            SecurityGroups: [{ GroupId: 'sg-1' }],
          },
        ],
      },
    ],
  });
  return recorded;
}

describe('collectInventory', () => {
  it('resolves a REST VPC-link connection id from a stage variable to the link’s NLB (the emulator drops connectionId)', async () => {
    // Arrange
    const { clients } = recordRestPath({ vpcLinkId: 'vl-1' });

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, '111122223333');

    // Assert
    const integrations = inventory.stages[0]?.integrations;
    expect(integrations).toEqual({
      ok: true,
      value: [
        expect.objectContaining({
          id: 'res1/GET',
          label: 'GET /orders',
          rawConnectionId: STAGE_VARIABLE_LINK,
          vpcLinkId: 'vl-1',
          port: 8080,
          loadBalancerArns: [NLB_ARN],
        }),
      ],
    });
    expect(inventory.vpcLinks['vl-1']).toMatchObject({
      ok: true,
      value: { status: 'AVAILABLE', targetArns: [NLB_ARN] },
    });
  });

  it('records why the path stops when the stage does not define the VPC link variable', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({});

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    const integration = inventory.stages[0]?.integrations.ok
      ? inventory.stages[0].integrations.value[0]
      : undefined;
    expect(integration?.vpcLinkId).toBeUndefined();
    expect(integration?.loadBalancerArns).toEqual([]);
    expect(integration?.pathError).toMatchObject({ code: 'UnresolvedStageVariable' });
    expect(integration?.pathError?.message).toContain('vpcLinkId');
    expect(mocks.elb.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(0);
  });

  it('keeps an unhealthy target’s state and reason, placed in its instance’s zone (the emulator never reports unhealthy)', async () => {
    // Arrange
    const { clients } = recordRestPath({ vpcLinkId: 'vl-1' });

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(inventory.targetGroups[TG_ARN]).toMatchObject({
      ok: true,
      value: {
        targets: {
          ok: true,
          value: [
            {
              id: 'i-a',
              port: 8080,
              availabilityZone: 'us-east-1a',
              state: 'unhealthy',
              reason: 'Target.FailedHealthChecks',
            },
          ],
        },
      },
    });
  });

  it('records a denied flow-log read against the VPC, naming the action, and still reads the rest', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({ vpcLinkId: 'vl-1' });
    mocks.ec2
      .on(DescribeFlowLogsCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(inventory.flowLogsByVpc['vpc-1']).toEqual({
      ok: false,
      error: {
        action: 'ec2:DescribeFlowLogs',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
      },
    });
    expect(inventory.instances['i-a']?.ok).toBe(true);
  });

  it('marks a target group it was denied as failed, never as an empty group', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({ vpcLinkId: 'vl-1' });
    mocks.elb.on(DescribeTargetGroupsCommand).rejects(awsError('AccessDenied', 'denied'));

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(inventory.loadBalancers[NLB_ARN]).toMatchObject({
      ok: true,
      value: {
        targetGroupArns: {
          ok: false,
          error: { action: 'elasticloadbalancing:DescribeTargetGroups', code: 'AccessDenied' },
        },
      },
    });
  });
  it('does not search the execution logs of a REST stage whose execution logging is off', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({ vpcLinkId: 'vl-1' });
    mocks.apiGateway.on(GetStageCommand).resolves({
      stageName: 'prod',
      variables: { vpcLinkId: 'vl-1' },
      methodSettings: { '*/*': { loggingLevel: 'OFF' } },
    });

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(inventory.stages[0]?.networkErrorLogLines).toEqual({ ok: true, value: null });
    expect(mocks.logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it('searches the execution log group when the stage settings could not be read', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({ vpcLinkId: 'vl-1' });
    mocks.apiGateway.on(GetStageCommand).rejects(awsError('AccessDeniedException', 'denied'));
    mocks.logs.on(FilterLogEventsCommand).resolves({
      events: [1, 2, 3].map((n) => ({ message: `(${n}) Execution failed due to configuration error: x` })),
    });

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(inventory.stages[0]?.networkErrorLogLines).toEqual({
      ok: true,
      value: expect.objectContaining({ count: 3, logGroup: 'API-Gateway-Execution-Logs_rest1/prod' }),
    });
  });

  it('starts a stage’s log search as soon as its settings are read, before its resources arrive', async () => {
    // Arrange
    const { clients, mocks } = recordRestPath({ vpcLinkId: 'vl-1' });
    const events: string[] = [];
    mocks.apiGateway.on(GetStageCommand).resolves({
      stageName: 'prod',
      variables: { vpcLinkId: 'vl-1' },
      methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true } },
    });
    mocks.apiGateway.on(GetResourcesCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push('GetResources answered');
      return { items: [] };
    });
    mocks.logs.on(FilterLogEventsCommand).callsFake(async () => {
      events.push('FilterLogEvents sent');
      return { events: [] };
    });

    // Act
    const inventory = await collectInventory(clients, [restStage], WINDOW, null);

    // Assert
    expect(events).toEqual(['FilterLogEvents sent', 'GetResources answered']);
    expect(inventory.stages[0]?.networkErrorLogLines).toEqual({
      ok: true,
      value: expect.objectContaining({ count: 0, logGroup: 'API-Gateway-Execution-Logs_rest1/prod' }),
    });
  });
});
