/**
 * The report's `auditedPath`, modelled on VPC Reachability Analyzer's path components (EC2 API
 * reference, PathComponent: SequenceNumber, Component, InboundHeader.SourceAddresses, Explanations;
 * Explanation: ExplanationCode, LoadBalancerTargetGroups): numbered components in traffic order, the
 * facts that decide each hop, who connects to it, and explanation codes with their AWS sources.
 * Listener rules are read from DescribeRules-shaped responses (ELB API reference, DescribeRules and
 * RuleCondition: `Field` plus `HostHeaderConfig` / `HttpHeaderConfig`; `ForwardConfig.TargetGroups[].Weight`).
 */
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readListenerRules } from '../../../lambda/collect/load-balancers';
import {
  collected,
  failed,
  type Inventory,
  type ListenerRuleFacts,
  PATH_COMPONENT_KINDS,
  type PathHop,
  type RuleComponentFacts,
  type TargetGroupComponentFacts,
} from '../../../lambda/domain/types';
import { MAX_LISTED_TARGETS } from '../../../lambda/path/components';
import { EXPLANATIONS } from '../../../lambda/path/explanations';
import schema from '../../../schema/report.schema.json';
import {
  ACCOUNT,
  ALB_ARN,
  accessDenied,
  albScenario,
  anAlb,
  anHttpIntegration,
  aRestIntegration,
  aTarget,
  aTargetGroup,
  aVpcLink,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  nlbScenarioWithTargets,
  REGION,
  TG_ARN,
  withV2LinkSubnets,
} from '../../support/inventory-builders';
import { aReport, aStage } from '../../support/report-builders';
import { expectValidReport, reportSchemaErrors } from '../../support/report-schema';
import { codes, hopsOf, pathOf } from './path-hops';

const TG = (name: string) =>
  `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/73e2d6bc24d8a067`;
const CERTIFICATE = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;

/** Sends a DescribeRules response through the collector's own reader, as the audit keeps it. */
async function rulesFrom(rules: Rule[]): Promise<ListenerRuleFacts[]> {
  const read = await readListenerRules({ send: async () => ({ Rules: rules }) } as never, LISTENER_ARN);
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

const HEADER_RULE: Rule = {
  RuleArn: `${LISTENER_ARN}/rule-canary-header`,
  Priority: '10',
  IsDefault: false,
  Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } }],
  Actions: [{ Type: 'forward', Order: 1, TargetGroupArn: TG('canary-tg') }],
};

/** orders' blue/green forward behind its host-header rule: green at `greenWeight`. */
const ordersRule = (greenWeight: number): Rule => ({
  RuleArn: `${LISTENER_ARN}/rule-orders`,
  Priority: '20',
  IsDefault: false,
  Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['orders.internal.example.com'] } }],
  Actions: [
    {
      Type: 'forward',
      Order: 1,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: TG('orders-blue'), Weight: 1 },
          { TargetGroupArn: TG('orders-green'), Weight: greenWeight },
        ],
      },
    },
  ],
});
const ORDERS_RULE = ordersRule(0);

const DEFAULT_RULE: Rule = {
  RuleArn: `${LISTENER_ARN}/default`,
  Priority: 'default',
  IsDefault: true,
  Conditions: [],
  Actions: [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404' } }],
};

/** A REST private integration through a V2 link to a shared ALB's HTTPS:443 listener with `rules`. */
async function sharedAlb(rules: Rule[]): Promise<Inventory> {
  const listener = {
    arn: LISTENER_ARN,
    port: 443,
    protocol: 'HTTPS',
    targetGroupArns: [],
    rules: collected(await rulesFrom(rules)),
    certificateArns: [CERTIFICATE],
  };
  const group = (name: string) =>
    aTargetGroup({
      arn: TG(name),
      name,
      protocol: 'HTTP',
      loadBalancerArns: [ALB_ARN],
      healthCheck: {
        protocol: 'HTTP',
        port: 'traffic-port',
        intervalSeconds: 30,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
      },
    });
  const builder = nlbScenario({
    stage: {
      integrations: collected([
        aRestIntegration({
          vpcLinkId: 'vl-v2',
          rawConnectionId: 'vl-v2',
          vpcLinkVersion: 'V2',
          integrationTarget: ALB_ARN,
          uri: 'https://orders.internal.example.com/orders',
          port: 443,
        }),
      ]),
    },
  })
    .with(
      'vpcLinks',
      'vl-v2',
      aVpcLink({
        id: 'vl-v2',
        name: 'orders-v2-link',
        version: 'V2',
        targetArns: [],
        subnetIds: ['subnet-link-a', 'subnet-link-b'],
        securityGroupIds: ['sg-link'],
      }),
    )
    .with('loadBalancers', ALB_ARN, anAlb({ scheme: 'internal', listeners: collected([listener]) }))
    .with('targetGroups', TG('canary-tg'), group('canary-tg'))
    .with('targetGroups', TG('orders-blue'), group('orders-blue'))
    .with('targetGroups', TG('orders-green'), group('orders-green'));
  return withV2LinkSubnets(builder).build();
}

describe('the audited path as Reachability Analyzer lists a path', () => {
  it('numbers the components in traffic order, each reached from the one before', () => {
    const path = pathOf(nlbScenario().build());
    expect(path.map((hop) => `${hop.seq} ${hop.kind} ${hop.label} <- ${hop.from.join(',')}`)).toEqual([
      '1 stage stage orders/prod <- ',
      '2 integration GET /orders <- 1',
      '3 vpc-link VPC link orders-link (V1) <- 2',
      '4 load-balancer NLB orders-nlb <- 3',
      '5 listener listener TCP:80 <- 4',
      '6 rule default rule <- 5',
      '7 target-group target group orders-tg <- 6',
      '8 target target i-0a1:8080 <- 7',
      '9 target target i-0b2:8080 <- 7',
    ]);
    expect(path[2]?.id).toBe(`arn:aws:apigateway:${REGION}::/vpclinks/vl-orders`);
    expect(path[7]?.id).toBe(`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0a1`);
  });

  it('carries the facts that decide each hop', () => {
    const path = pathOf(
      nlbScenario({
        loadBalancer: { scheme: 'internal' },
        targetGroup: {
          attributes: collected({
            'proxy_protocol_v2.enabled': 'true',
            'preserve_client_ip.enabled': 'false',
          }),
          healthCheck: {
            protocol: 'HTTP',
            port: '8081',
            intervalSeconds: 30,
            healthyThreshold: 3,
            unhealthyThreshold: 3,
          },
        },
      }).build(),
    );
    const [stage] = hopsOf(path, 'stage');
    const [integration] = hopsOf(path, 'integration');
    const [link] = hopsOf(path, 'vpc-link');
    const [lb] = hopsOf(path, 'load-balancer');
    const [listener] = hopsOf(path, 'listener');
    const [rule] = hopsOf(path, 'rule');
    const [group] = hopsOf(path, 'target-group');
    const [target] = hopsOf(path, 'target');
    expect(stage?.facts).toEqual({ apiType: 'REST' });
    expect(integration?.facts).toEqual({
      type: 'HTTP_PROXY',
      connectionType: 'VPC_LINK',
      timeoutMs: 29_000,
      uri: 'http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:80/orders',
      vpcLinkVersion: 'V1',
      port: 80,
    });
    expect(link?.facts).toEqual({ version: 'V1', status: 'AVAILABLE', subnetIds: [], securityGroupIds: [] });
    expect(lb?.facts).toEqual({
      type: 'network',
      scheme: 'internal',
      zones: [
        { zoneName: 'us-east-1a', subnetId: 'subnet-lb-a' },
        { zoneName: 'us-east-1b', subnetId: 'subnet-lb-b' },
      ],
      securityGroupIds: [],
      crossZone: { enabled: true, source: 'load balancer attribute' },
    });
    expect(listener?.facts).toEqual({ protocol: 'TCP', port: 80, certificateArns: [] });
    expect(rule?.facts).toEqual({
      priority: 'default',
      conditions: [],
      actionType: 'forward',
      forward: [{ arn: TG_ARN, weight: 1 }],
    });
    expect(group?.rule).toBe('default');
    expect(group?.facts).toEqual({
      protocol: 'TCP',
      port: 8080,
      targetType: 'instance',
      weight: 1,
      preserveClientIp: false,
      proxyProtocolV2: true,
      healthCheck: { protocol: 'HTTP', port: '8081' },
      crossZone: { enabled: true, source: 'load balancer attribute' },
      registeredTargets: 2,
    });
    expect(target?.facts).toEqual({
      port: 8080,
      zones: ['us-east-1a'],
      state: 'healthy',
      address: '10.0.11.5',
      subnetId: 'subnet-app-a',
      securityGroupIds: ['sg-web'],
    });
  });

  it('says who connects at the load balancer and at each target (V1 link: PrivateLink, then the NLB nodes)', () => {
    const path = pathOf(nlbScenario().build());
    const [lb] = hopsOf(path, 'load-balancer');
    expect(lb?.senders).toEqual({
      description: 'API Gateway through PrivateLink',
      sourceAddresses: ['0.0.0.0/0'],
      securityGroupIds: [],
    });
    for (const target of hopsOf(path, 'target')) {
      expect(target.senders).toEqual({
        description: 'NLB orders-nlb nodes',
        sourceAddresses: ['10.0.1.10', '10.0.2.10'],
        securityGroupIds: [],
      });
    }
    // Hops that no one connects to directly carry no senders.
    expect(path.filter((hop) => hop.senders).map((hop) => hop.kind)).toEqual([
      'load-balancer',
      'target',
      'target',
    ]);
  });

  it('names the V2 link interfaces as the targets’ senders when the client IP is preserved (twin of the NLB nodes)', () => {
    const inventory = withV2LinkSubnets(
      nlbScenario({
        stage: {
          integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
        },
        vpcLink: { version: 'V2', targetArns: [], subnetIds: ['subnet-link-a', 'subnet-link-b'] },
      }),
    ).build();
    const [target] = hopsOf(pathOf(inventory), 'target');
    expect(target?.senders).toEqual({
      description: 'VPC link interfaces (client IP preserved)',
      sourceAddresses: ['10.0.21.0/24', '10.0.22.0/24'],
      securityGroupIds: [],
    });
  });

  it('names only the NLB nodes in the target’s zone when cross-zone is off', () => {
    const inventory = nlbScenario({
      loadBalancer: { attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }) },
    }).build();
    const targets = hopsOf(pathOf(inventory), 'target');
    expect(targets.map((target) => [target.senders?.description, target.senders?.sourceAddresses])).toEqual([
      ['NLB orders-nlb nodes in us-east-1a (cross-zone off)', ['10.0.1.10']],
      ['NLB orders-nlb nodes in us-east-1b (cross-zone off)', ['10.0.2.10']],
    ]);
  });

  it('lists an HTTP API’s routes between the stage and the integration', () => {
    const inventory = albScenario({
      stage: {
        integrations: collected([anHttpIntegration({ routeKeys: ['GET /orders', 'ANY /orders/{proxy+}'] })]),
      },
    }).build();
    const path = pathOf(inventory);
    expect(
      path.slice(0, 4).map((hop) => `${hop.seq} ${hop.kind} ${hop.label} <- ${hop.from.join(',')}`),
    ).toEqual([
      '1 stage stage checkout/$default <- ',
      '2 route route GET /orders <- 1',
      '3 route route ANY /orders/{proxy+} <- 1',
      `4 integration int123 ${LISTENER_ARN} <- 2,3`,
    ]);
    const [lb] = hopsOf(path, 'load-balancer');
    expect(lb?.senders?.description).toBe('VPC link interfaces');
    expect(lb?.senders?.securityGroupIds).toEqual(['sg-link']);
    // An ALB opens its own connections: its target group preserves no client IP, whatever the target type.
    const [group] = hopsOf(path, 'target-group');
    expect((group?.facts as TargetGroupComponentFacts | undefined)?.preserveClientIp).toBe(false);
    const [target] = hopsOf(path, 'target');
    expect(target?.senders).toEqual({
      description: 'ALB orders-alb nodes',
      sourceAddresses: ['10.0.1.10', '10.0.2.10'],
      securityGroupIds: ['sg-alb'],
    });
  });

  it('goes on into an ALB behind an NLB: the ALB is the `alb` group’s target and sees the NLB’s nodes', () => {
    // NLB TCP:80 -> front-to-alb (type alb, the ALB registered on 443) -> ALB HTTPS:443 -> orders-tg.
    const front = TG('front-to-alb');
    const inventory = nlbScenario({
      loadBalancer: {
        listeners: collected([
          { arn: `${NLB_ARN}/listener-80`, port: 80, protocol: 'TCP', targetGroupArns: [front] },
        ]),
      },
      targetGroup: { loadBalancerArns: [ALB_ARN] },
    })
      .with(
        'targetGroups',
        front,
        aTargetGroup({
          arn: front,
          name: 'front-to-alb',
          targetType: 'alb',
          port: 443,
          targets: collected([aTarget({ id: ALB_ARN, port: 443 })]),
        }),
      )
      .with('loadBalancers', ALB_ARN, anAlb())
      .build();
    const path = pathOf(inventory);
    expect(path.slice(3).map((hop) => `${hop.seq} ${hop.label} <- ${hop.from.join(',')}`)).toEqual([
      '4 NLB orders-nlb <- 3',
      '5 listener TCP:80 <- 4',
      '6 default rule <- 5',
      '7 target group front-to-alb <- 6',
      '8 ALB orders-alb <- 7',
      '9 listener HTTPS:443 <- 8',
      '10 default rule <- 9',
      '11 target group orders-tg <- 10',
      '12 target i-0a1:8080 <- 11',
      '13 target i-0b2:8080 <- 11',
    ]);
    expect(path[7]?.senders).toEqual({
      description: 'NLB orders-nlb nodes',
      sourceAddresses: ['10.0.1.10', '10.0.2.10'],
      securityGroupIds: [],
    });
    expect(path[11]?.senders?.description).toBe('ALB orders-alb nodes');
  });

  it('lists no route where the inventory has none (twin)', () => {
    expect(hopsOf(pathOf(albScenario().build()), 'route')).toEqual([]);
  });
});

describe('listener rules on the path', () => {
  it('explains a rule whose conditions the client decides as RULE_MAY_MATCH, with its source', async () => {
    const path = pathOf(await sharedAlb([HEADER_RULE, ORDERS_RULE, DEFAULT_RULE]));
    const rules = hopsOf(path, 'rule');
    expect(rules.map((rule) => [rule.label, codes(rule)])).toEqual([
      ['rule 10', ['RULE_MAY_MATCH']],
      ['rule 20', ['WEIGHT_ZERO']],
    ]);
    expect(rules[0]?.explanations?.[0]?.source).toBe(EXPLANATIONS.RULE_MAY_MATCH.source);
    expect((rules[0]?.facts as RuleComponentFacts | undefined)?.conditions).toEqual([
      { field: 'http-header', values: ['1'], headerName: 'X-Canary' },
    ]);
    // orders-blue stands behind the header rule, which may take the request first.
    const groups = hopsOf(path, 'target-group');
    expect(groups.map((group) => [group.label, group.rule, codes(group)])).toEqual([
      ['target group canary-tg', '10', ['RULE_MAY_MATCH']],
      ['target group orders-blue', '20', ['RULE_MAY_MATCH']],
    ]);
  });

  it('claims no RULE_MAY_MATCH where the host-header decides (healthy twin)', async () => {
    const path = pathOf(await sharedAlb([ORDERS_RULE, DEFAULT_RULE]));
    const rules = hopsOf(path, 'rule');
    expect(rules.map((rule) => [rule.label, codes(rule)])).toEqual([['rule 20', ['WEIGHT_ZERO']]]);
    expect(hopsOf(path, 'target-group').map((group) => [group.label, codes(group)])).toEqual([
      ['target group orders-blue', []],
    ]);
  });

  it('names the weight-0 group in WEIGHT_ZERO and leaves it off the path; weights are facts', async () => {
    const path = pathOf(await sharedAlb([ORDERS_RULE, DEFAULT_RULE]));
    const [rule] = hopsOf(path, 'rule');
    expect(rule?.explanations).toEqual([
      {
        explanationCode: 'WEIGHT_ZERO',
        source: EXPLANATIONS.WEIGHT_ZERO.source,
        loadBalancerTargetGroups: [TG('orders-green')],
      },
    ]);
    expect((rule?.facts as RuleComponentFacts | undefined)?.forward).toEqual([
      { arn: TG('orders-blue'), weight: 1 },
      { arn: TG('orders-green'), weight: 0 },
    ]);
    expect(path.some((hop) => hop.id === TG('orders-green'))).toBe(false);
    const [listener] = hopsOf(path, 'listener');
    expect(listener?.facts).toEqual({ protocol: 'HTTPS', port: 443, certificateArns: [CERTIFICATE] });
  });

  it('has no WEIGHT_ZERO when every group of the forward has weight (twin)', async () => {
    const even = ordersRule(1);
    const path = pathOf(await sharedAlb([even, DEFAULT_RULE]));
    expect(codes(hopsOf(path, 'rule')[0])).toEqual([]);
    expect(hopsOf(path, 'target-group').map((group) => group.label)).toEqual([
      'target group orders-blue',
      'target group orders-green',
    ]);
  });
});

describe('explanations where the path stops', () => {
  it('puts COMPONENT_UNREADABLE on a target group whose targets could not be read, with its source', () => {
    const path = pathOf(
      nlbScenario({
        targetGroup: { targets: failed(accessDenied('elasticloadbalancing:DescribeTargetHealth')) },
      }).build(),
    );
    const [group] = hopsOf(path, 'target-group');
    expect(group?.explanations).toEqual([
      { explanationCode: 'COMPONENT_UNREADABLE', source: EXPLANATIONS.COMPONENT_UNREADABLE.source },
    ]);
    expect(hopsOf(path, 'target')).toEqual([]);
  });

  it('puts COMPONENT_UNREADABLE on a load balancer whose listeners could not be read, and follows no further', () => {
    const path = pathOf(
      nlbScenario({
        loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
      }).build(),
    );
    expect(path.at(-1)?.kind).toBe('load-balancer');
    expect(codes(path.at(-1))).toEqual(['COMPONENT_UNREADABLE']);
  });

  it('puts NO_LISTENER_FOR_ENTRY on the port no listener answers', () => {
    const path = pathOf(
      nlbScenario({ stage: { integrations: collected([aRestIntegration({ port: 8443 })]) } }).build(),
    );
    const listener = path.at(-1);
    expect([listener?.kind, listener?.label, codes(listener)]).toEqual([
      'listener',
      'no listener for port 8443',
      ['NO_LISTENER_FOR_ENTRY'],
    ]);
  });

  it('puts LOAD_BALANCER_GONE on the integration that still sends to a deleted load balancer', () => {
    const inventory = nlbScenario()
      .with(
        'loadBalancers',
        NLB_ARN,
        failed({
          action: 'elasticloadbalancing:DescribeLoadBalancers',
          code: 'LoadBalancerNotFound',
          message: 'gone',
        }),
      )
      .build();
    const path = pathOf(inventory);
    expect(codes(hopsOf(path, 'integration')[0])).toEqual(['LOAD_BALANCER_GONE']);
  });

  it('puts NO_LOAD_BALANCER on the stage of a Lambda integration', () => {
    // A Lambda proxy integration has no VPC link and no port.
    const {
      vpcLinkId: _link,
      rawConnectionId: _connection,
      port: _port,
      ...lambda
    } = aRestIntegration({
      type: 'AWS_PROXY',
      connectionType: 'INTERNET',
    });
    const inventory = nlbScenario({ stage: { integrations: collected([lambda]) } }).build();
    const path = pathOf(inventory);
    expect(path.map((hop) => hop.kind)).toEqual(['stage', 'integration']);
    expect(codes(path[0])).toEqual(['NO_LOAD_BALANCER']);
  });

  it("puts a canary's unreadable integrations on the canary, not on the stage whose own path was read", () => {
    const inventory = nlbScenario({
      stage: {
        canary: {
          share: 0.1,
          stageVariables: {},
          integrations: failed(accessDenied('apigateway:GetIntegration')),
        },
      },
    }).build();
    const path = pathOf(inventory);
    const [stage] = hopsOf(path, 'stage');
    const [canary] = hopsOf(path, 'canary');
    expect([codes(stage), codes(canary)]).toEqual([[], ['COMPONENT_UNREADABLE']]);
    expect([stage?.share, canary?.share]).toEqual([0.9, 0.1]);
  });

  it('gives every explanation the AWS source of its code, and a healthy path none', () => {
    expect(pathOf(nlbScenario().build()).flatMap((hop) => hop.explanations ?? [])).toEqual([]);
    const broken = pathOf(
      nlbScenario({ stage: { integrations: collected([aRestIntegration({ port: 8443 })]) } }).build(),
    );
    for (const explanation of broken.flatMap((hop) => hop.explanations ?? [])) {
      expect(explanation.source).toBe(
        EXPLANATIONS[explanation.explanationCode as keyof typeof EXPLANATIONS].source,
      );
      expect(explanation.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });
});

describe('a stage with many targets', () => {
  const withTargets = (count: number): Inventory => nlbScenarioWithTargets(count).build();

  it(`lists the first ${MAX_LISTED_TARGETS} targets of a group of 200 and counts the rest; the JSON stays small`, () => {
    const path = pathOf(withTargets(200));
    expect(hopsOf(path, 'target')).toHaveLength(MAX_LISTED_TARGETS);
    const facts = hopsOf(path, 'target-group')[0]?.facts as TargetGroupComponentFacts;
    expect([facts.registeredTargets, facts.targetsNotListed]).toEqual([200, 150]);
    expect(JSON.stringify(path).length).toBeLessThan(30_000);
    expectValidReport(aReport({ apis: [aStage({ auditedPath: path })] }));
  });

  it('lists every target of a small group and counts none as left out (twin)', () => {
    const path = pathOf(withTargets(3));
    expect(hopsOf(path, 'target')).toHaveLength(3);
    const facts = hopsOf(path, 'target-group')[0]?.facts as TargetGroupComponentFacts;
    expect(facts.registeredTargets).toBe(3);
    expect(facts.targetsNotListed).toBeUndefined();
  });
});

describe('the schema', () => {
  it('accepts every path shape these tests build', async () => {
    const paths = [
      pathOf(nlbScenario().build()),
      pathOf(
        albScenario({
          stage: { integrations: collected([anHttpIntegration({ routeKeys: ['GET /orders'] })]) },
        }).build(),
      ),
      pathOf(await sharedAlb([HEADER_RULE, ORDERS_RULE, DEFAULT_RULE])),
      pathOf(nlbScenario({ stage: { integrations: collected([aRestIntegration({ port: 8443 })]) } }).build()),
    ];
    for (const auditedPath of paths) expectValidReport(aReport({ apis: [aStage({ auditedPath })] }));
  });

  it('names every kind of component the model builds (a new kind goes in both)', () => {
    expect(schema.$defs.pathComponent.properties.kind.enum).toEqual([...PATH_COMPONENT_KINDS]);
  });

  it('rejects a component of an unknown kind or an explanation without its source', () => {
    const [first] = pathOf(nlbScenario().build());
    const invalid = [
      { ...first, kind: 'router' },
      { ...first, explanations: [{ explanationCode: 'RULE_MAY_MATCH' }] },
    ];
    for (const component of invalid) {
      const errors = reportSchemaErrors(aReport({ apis: [aStage({ auditedPath: [component as PathHop] })] }));
      expect(errors).not.toEqual([]);
    }
  });
});
