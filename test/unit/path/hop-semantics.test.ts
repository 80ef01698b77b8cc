/**
 * The hop semantics of issue 23, each case with its healthy twin, judged through the checks the
 * engine runs. Shapes follow the AWS API references named at each fixture.
 */
import { integrationListener } from '../../../lambda/checks/integration-listener';
import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { tgEmptyAz } from '../../../lambda/checks/tg-empty-az';
import { tgUnhealthyAz } from '../../../lambda/checks/tg-unhealthy-az';
import { vpcFlowLogs } from '../../../lambda/checks/vpc-flow-logs';
import { collected, type ListenerRuleFacts } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  albScenario,
  anHttpIntegration,
  aRestIntegration,
  aTarget,
  aTargetGroup,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const BILLING_TG = TG_ARN.replace('orders-tg', 'billing-tg');
const GREEN_TG = TG_ARN.replace('orders-tg', 'orders-green');

/**
 * A REST private integration on a V2 link to a shared ALB (API Gateway guide, "Set up API with
 * private integrations": `integrationTarget` is the ALB, the URI's host becomes the Host header).
 */
const restPrivateIntegration = (uri: string) =>
  aRestIntegration({
    vpcLinkId: 'vl-http',
    rawConnectionId: 'vl-http',
    vpcLinkVersion: 'V2',
    integrationTarget: ALB_ARN,
    uri,
    port: 443,
  });

/** DescribeRules' Rule, reduced to what the collector keeps (ELB API reference, Rule and RuleCondition). */
const rule = (
  priority: string,
  conditions: ListenerRuleFacts['conditions'],
  forward: ListenerRuleFacts['forward'],
) => ({
  arn: `${LISTENER_ARN}/rule-${priority}`,
  priority,
  isDefault: priority === 'default',
  conditions,
  actionType: 'forward',
  forward,
});

/** billing-tg: another service's group on the shared ALB, with no target registered. */
function sharedAlb(uri: string, rules: ReturnType<typeof rule>[]) {
  return albScenario({
    stage: { integrations: collected([restPrivateIntegration(uri)]), stage: { apiType: 'REST' } },
    loadBalancer: {
      listeners: collected([
        {
          arn: LISTENER_ARN,
          port: 443,
          protocol: 'HTTPS',
          targetGroupArns: [TG_ARN],
          rules: collected(rules),
        },
      ]),
    },
  })
    .with(
      'targetGroups',
      BILLING_TG,
      aTargetGroup({ arn: BILLING_TG, name: 'billing-tg', targets: collected([]) }),
    )
    .with(
      'targetGroups',
      GREEN_TG,
      aTargetGroup({ arn: GREEN_TG, name: 'orders-green', targets: collected([]) }),
    );
}

const onGroup = (results: { resourceArn: string; status: string }[], arn: string) =>
  results.filter((result) => result.resourceArn === arn).map((result) => result.status);

describe('listener rule conditions', () => {
  const hostRules = [
    rule(
      '10',
      [{ field: 'host-header', values: ['billing.internal.example.com'] }],
      [{ arn: BILLING_TG, weight: 1 }],
    ),
    rule('default', [], [{ arn: TG_ARN, weight: 1 }]),
  ];

  it("does not charge another service's host-header rule and its empty group to the API (was two high FAILs)", () => {
    const inventory = sharedAlb('https://orders.internal.example.com/orders', hostRules).build();
    expect(onGroup(resultsOf(tgEmptyAz, inventory), BILLING_TG)).toEqual([]);
    expect(onGroup(resultsOf(tgUnhealthyAz, inventory), BILLING_TG)).toEqual([]);
    expect(onGroup(resultsOf(tgEmptyAz, inventory), TG_ARN)).toEqual(['PASS']);
  });

  it('fails the empty group when the integration URI names its host (the twin: the rule is on the path)', () => {
    const inventory = sharedAlb('https://billing.internal.example.com/invoices', hostRules).build();
    expect(onGroup(resultsOf(tgEmptyAz, inventory), BILLING_TG)).toEqual(['FAIL']);
    expect(onGroup(resultsOf(tgEmptyAz, inventory), TG_ARN)).toEqual([]);
  });

  it('says "may reach" (WARN), never FAIL, for a group behind a rule on a header the client decides', () => {
    const headerRules = [
      rule(
        '10',
        [{ field: 'http-header', headerName: 'X-Tenant', values: ['billing'] }],
        [{ arn: BILLING_TG, weight: 1 }],
      ),
      rule('default', [], [{ arn: TG_ARN, weight: 1 }]),
    ];
    const results = resultsOf(
      tgEmptyAz,
      sharedAlb('https://orders.internal.example.com/orders', headerRules).build(),
    );
    const billing = results.find((result) => result.resourceArn === BILLING_TG);
    expect(billing).toMatchObject({
      status: 'WARN',
      evidence: expect.objectContaining({ explanation: 'RULE_MAY_MATCH' }),
    });
    expect(billing?.message).toContain('may not reach target group billing-tg: rule 10 tests http-header');
  });
});

describe('weighted forwards', () => {
  it('gives a weight-0 group no traffic: its empty zones are not charged (was two high FAILs)', () => {
    const blueGreen = [
      rule(
        'default',
        [],
        [
          { arn: TG_ARN, weight: 100 },
          { arn: GREEN_TG, weight: 0 },
        ],
      ),
    ];
    const inventory = sharedAlb('https://orders.internal.example.com/orders', blueGreen).build();
    expect(onGroup(resultsOf(tgEmptyAz, inventory), GREEN_TG)).toEqual([]);
    expect(onGroup(resultsOf(tgUnhealthyAz, inventory), GREEN_TG)).toEqual([]);
  });

  it('fails the same empty group once it carries weight (the twin)', () => {
    const shifted = [
      rule(
        'default',
        [],
        [
          { arn: TG_ARN, weight: 90 },
          { arn: GREEN_TG, weight: 10 },
        ],
      ),
    ];
    const inventory = sharedAlb('https://orders.internal.example.com/orders', shifted).build();
    expect(onGroup(resultsOf(tgEmptyAz, inventory), GREEN_TG)).toEqual(['FAIL']);
  });
});

describe('targets whose zone could not be read', () => {
  // DescribeTargetHealth gives no AvailabilityZone for instance targets (ELB API reference, TargetDescription).
  const instanceTargets = {
    targetGroup: {
      targets: collected([
        aTarget({ id: 'i-0a1', availabilityZone: undefined }),
        aTarget({ id: 'i-0b2', availabilityZone: undefined }),
      ]),
    },
  };

  it('is an ERROR naming DescribeInstances, never "no registered target in us-east-1b" (was FAIL)', () => {
    const denied = nlbScenario(instanceTargets)
      .failing('instances', 'i-0b2', 'ec2:DescribeInstances')
      .build();
    for (const check of [tgEmptyAz, tgUnhealthyAz]) {
      const [result] = resultsOf(check, denied);
      expect(result).toMatchObject({ status: 'ERROR', resourceArn: TG_ARN });
      expect(result?.message).toContain('ec2:DescribeInstances failed (AccessDenied');
    }
  });

  it('places each target by its instance when it can be read (the twin)', () => {
    expect(resultsOf(tgEmptyAz, nlbScenario(instanceTargets).build()).map((r) => r.status)).toEqual(['PASS']);
  });
});

describe('flow logs of a shared VPC', () => {
  it("is an ERROR with its reason for a participant, which cannot see the owner's flow logs (was FAIL)", () => {
    const shared = nlbScenario({ flowLogs: [], vpc: { ownerId: '444455556666' } }).build();
    const [result] = resultsOf(vpcFlowLogs, shared);
    expect(result).toMatchObject({ status: 'ERROR', evidence: { code: 'SharedVpcOwner' } });
    expect(result?.message).toContain('account 444455556666');
  });

  it('fails the account that owns the VPC and has no flow log (the twin)', () => {
    const own = nlbScenario({ flowLogs: [], vpc: { ownerId: '123456789012' } }).build();
    expect(resultsOf(vpcFlowLogs, own).map((r) => r.status)).toEqual(['FAIL']);
  });
});

describe('scheme and protocol of the listener the integration reaches', () => {
  const internet = (scheme: 'internal' | 'internet-facing') =>
    nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration({
            connectionType: 'INTERNET',
            vpcLinkId: undefined,
            rawConnectionId: undefined,
            loadBalancerArns: [NLB_ARN],
          }),
        ]),
      },
      loadBalancer: { scheme },
    }).build();

  it('fails an INTERNET integration whose URI names an internal load balancer: its addresses are private', () => {
    const [result] = resultsOf(integrationListener, internet('internal'));
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain('internal NLB orders-nlb');
  });

  it('passes the same integration to an internet-facing load balancer (the twin)', () => {
    expect(resultsOf(integrationListener, internet('internet-facing')).map((r) => r.status)).toEqual([
      'PASS',
    ]);
  });

  it('fails http:// to an HTTPS listener, and passes https:// to it (the twin)', () => {
    const to = (uri: string) =>
      albScenario({
        stage: { integrations: collected([restPrivateIntegration(uri)]), stage: { apiType: 'REST' } },
      }).build();
    const plain = resultsOf(integrationListener, to('http://orders.internal.example.com:443/orders'));
    expect(plain.find((r) => r.status === 'FAIL')?.message).toContain('plain HTTP to a HTTPS listener');
    const tls = resultsOf(integrationListener, to('https://orders.example.com/orders'));
    expect(tls.map((r) => r.status)).not.toContain('FAIL');
  });
});

describe('an HTTP API integration through a V2 link to Cloud Map', () => {
  it('does not say "no integration goes through a VPC link": the link is named and judged elsewhere', () => {
    // GetIntegrations (apigatewayv2 API reference): IntegrationUri is the Cloud Map service ARN.
    const cloudMap = anHttpIntegration({
      uri: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-e4anhexw6v5e7a2c',
      listenerArn: undefined,
      loadBalancerArns: [],
    });
    const [result] = resultsOf(
      nlbTargetSecurityGroups,
      albScenario({ stage: { integrations: collected([cloudMap]) } }).build(),
    );
    expect(result?.status).toBe('SKIPPED');
    expect(result?.message).toContain('through VPC link http-link to arn:aws:servicediscovery');
    expect(result?.message).not.toContain('no integration');
  });
});

describe('an NLB whose network interfaces were not found', () => {
  const noInterfaces = { loadBalancer: { networkInterfaces: collected([]) } };

  it("bounds its nodes by its subnets instead of skipping the targets' security groups (was SKIPPED)", () => {
    const results = resultsOf(nlbTargetSecurityGroups, nlbScenario(noInterfaces).build());
    expect(results.map((r) => r.status)).toEqual(['PASS', 'PASS']);
    expect(results[0]?.message).toContain('NLB orders-nlb subnet in us-east-1a');
  });

  it('is an ERROR saying why when a rule may leave some node addresses out (the twin)', () => {
    const narrow = nlbScenario({
      ...noInterfaces,
      securityGroup: {
        inbound: [
          {
            protocol: 'tcp',
            fromPort: 8080,
            toPort: 8080,
            cidrs: ['10.0.1.10/32'],
            ipv6Cidrs: [],
            sourceSecurityGroupIds: [],
            prefixListIds: [],
          },
        ],
      },
    }).build();
    const results = resultsOf(nlbTargetSecurityGroups, narrow);
    expect(results.map((r) => r.status)).not.toContain('SKIPPED');
    expect(results.find((r) => r.status === 'ERROR')?.message).toContain(
      'no network interface of NLB orders-nlb was found',
    );
  });
});
