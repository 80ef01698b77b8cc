/**
 * `auditedPath` where a read failed or a hop takes its less common form: each unreadable read is a
 * COMPONENT_UNREADABLE explanation on the component it is about (never a clean-looking component),
 * each with the healthy twin that stays silent. Shapes: Cloud Map GetService / ListInstances /
 * GetInstancesHealthStatus (Cloud Map API reference), ELB DescribeLoadBalancerAttributes and
 * DescribeTargetGroupAttributes (`load_balancing.cross_zone.enabled`), DescribeRules (ELB API reference),
 * apigateway GetVpcLinks, via the builders of test/support/inventory-builders.ts.
 */
import {
  type CloudMapServiceComponentFacts,
  collected,
  failed,
  type PathHop,
} from '../../../lambda/domain/types';
import { stagePaths } from '../../../lambda/path/build';
import { componentsOf, MAX_LISTED_TARGETS } from '../../../lambda/path/components';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  anHttpIntegration,
  anIpTargetInterface,
  aRestIntegration,
  aStageSettings,
  aTarget,
  aVpcLink,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  TG_ARN,
} from '../../support/inventory-builders';
import {
  anInstance,
  aService,
  cloudMapScenario,
  listed,
  type Scenario,
  SERVICE_ARN,
} from '../checks/cloud-map-scenario';
import { codes, hopsOf, pathOf } from './path-hops';

/** One fact of a component of any kind (the facts' type depends on its kind). */
const factOf = (hop: PathHop | undefined, name: string): unknown =>
  (hop?.facts as Record<string, unknown> | undefined)?.[name];
const only = (path: PathHop[], kind: PathHop['kind']): PathHop => {
  const [hop, ...rest] = hopsOf(path, kind);
  if (!hop || rest.length > 0) throw new Error(`expected one ${kind}, got ${rest.length + (hop ? 1 : 0)}`);
  return hop;
};

/** Each awsvpc task has its own interface (DescribeNetworkInterfaces), so its own component. */
const taskEni = (index: number) =>
  anIpTargetInterface({
    id: `eni-task-${index}`,
    privateIp: `10.0.11.${20 + index}`,
    securityGroupIds: ['sg-task'],
  });

describe('Cloud Map on the audited path', () => {
  const withService = (service: NonNullable<Scenario['service']>) => pathOf(cloudMapScenario({ service }));

  it('lists two instances on one host interface (ECS bridge mode) as two components, each with its port', () => {
    const path = withService(
      collected(
        aService({
          instances: collected([anInstance(), anInstance({ id: 'task-b', port: 8081 })]),
        }),
      ),
    );
    const port = (hop: PathHop) => (hop.facts && 'port' in hop.facts ? hop.facts.port : undefined);
    expect(hopsOf(path, 'cloud-map-instance').map((hop) => [hop.label, port(hop)])).toEqual([
      ['Cloud Map instance task-a', 8080],
      ['Cloud Map instance task-b', 8081],
    ]);
  });

  it('lists a readable service with its instance count and each instance with its interface (healthy twin)', () => {
    const path = pathOf(cloudMapScenario());
    const service = only(path, 'cloud-map-service');
    expect([service.label, service.facts, codes(service)]).toEqual([
      'Cloud Map service orders (srv-e4anhexw6v5e7a2c)',
      { healthCheck: 'custom', registeredInstances: 1 },
      [],
    ]);
    const instance = only(path, 'cloud-map-instance');
    expect(instance.id).toBe('arn:aws:ec2:us-east-1:123456789012:network-interface/eni-task-a');
    expect(instance.facts).toEqual({
      health: 'UNKNOWN',
      address: '10.0.11.20',
      port: 8080,
      subnetId: 'subnet-app-a',
      zone: 'us-east-1a',
      securityGroupIds: ['sg-task'],
    });
  });

  it('puts COMPONENT_UNREADABLE on a service GetService could not read, named by its ARN, with no instance', () => {
    const path = withService(failed(accessDenied('servicediscovery:GetService')));
    const service = only(path, 'cloud-map-service');
    expect([service.label, service.facts, codes(service)]).toEqual([
      `Cloud Map service ${SERVICE_ARN}`,
      undefined,
      ['COMPONENT_UNREADABLE'],
    ]);
    expect(hopsOf(path, 'cloud-map-instance')).toEqual([]);
  });

  it('puts COMPONENT_UNREADABLE on a service whose instances ListInstances could not read, keeping its health check', () => {
    const path = withService(
      collected(aService({ instances: failed(accessDenied('servicediscovery:ListInstances')) })),
    );
    const service = only(path, 'cloud-map-service');
    expect([service.facts, codes(service)]).toEqual([{ healthCheck: 'custom' }, ['COMPONENT_UNREADABLE']]);
    expect(hopsOf(path, 'cloud-map-instance')).toEqual([]);
  });

  it(`lists the first ${MAX_LISTED_TARGETS} instances of a larger service and counts the rest`, () => {
    const instances = Array.from({ length: MAX_LISTED_TARGETS + 2 }, (_, index) =>
      anInstance({ id: `task-${index}`, networkInterface: collected(taskEni(index)) }),
    );
    const path = withService(collected(aService({ instances: collected(instances) })));
    const facts = only(path, 'cloud-map-service').facts as CloudMapServiceComponentFacts;
    expect([facts.registeredInstances, facts.instancesNotListed]).toEqual([MAX_LISTED_TARGETS + 2, 2]);
    expect(hopsOf(path, 'cloud-map-instance')).toHaveLength(MAX_LISTED_TARGETS);
  });

  it('gives each instance the health DiscoverInstances acts on: UNHEALTHY, HEALTHY, or not checked without a health check', () => {
    const twoTasks = collected([
      anInstance(),
      anInstance({
        ...listed('task-b', { AWS_INSTANCE_IPV4: '10.0.11.21', AWS_INSTANCE_PORT: '8080' }),
        networkInterface: collected(taskEni(1)),
      }),
    ]);
    const checked = withService(
      collected(
        aService({
          instances: twoTasks,
          instanceHealth: collected({ 'task-a': 'HEALTHY', 'task-b': 'UNHEALTHY' }),
        }),
      ),
    );
    expect(hopsOf(checked, 'cloud-map-instance').map((hop) => [hop.label, factOf(hop, 'health')])).toEqual([
      ['Cloud Map instance task-a', 'HEALTHY'],
      ['Cloud Map instance task-b', 'UNHEALTHY'],
    ]);
    const unchecked = withService(collected(aService({ healthCheck: 'none', instances: twoTasks })));
    expect(hopsOf(unchecked, 'cloud-map-instance').map((hop) => factOf(hop, 'health'))).toEqual([
      'not checked',
      'not checked',
    ]);
  });

  it('names an instance whose interface could not be read by service and instance id, without subnet or groups', () => {
    const path = withService(
      collected(
        aService({
          instances: collected([
            anInstance({ networkInterface: failed(accessDenied('ec2:DescribeNetworkInterfaces')) }),
          ]),
        }),
      ),
    );
    const instance = only(path, 'cloud-map-instance');
    expect([instance.id, instance.facts]).toEqual([
      `${SERVICE_ARN}/task-a`,
      { health: 'UNKNOWN', address: '10.0.11.20', port: 8080 },
    ]);
  });

  it('puts COMPONENT_UNREADABLE on the VPC link GetVpcLinks could not read, named by its id', () => {
    const inventory = cloudMapScenario();
    inventory.vpcLinks['vl-http'] = failed(accessDenied('apigateway:GetVpcLinks'));
    const path = pathOf(inventory);
    const link = only(path, 'vpc-link');
    expect([link.label, link.facts, codes(link)]).toEqual([
      'VPC link vl-http (V2)',
      undefined,
      ['COMPONENT_UNREADABLE'],
    ]);
    // The service is still followed: the integration names it.
    expect(only(path, 'cloud-map-service').from).toEqual([link.seq]);
  });
});

describe('the VPC link component', () => {
  it('calls a link of an integration that names no version V1, as API Gateway REST links are', () => {
    const { vpcLinkVersion: _version, ...integration } = aRestIntegration();
    const link = only(
      pathOf(nlbScenario({ stage: { integrations: collected([integration]) } }).build()),
      'vpc-link',
    );
    expect([link.label, codes(link)]).toEqual(['VPC link orders-link (V1)', []]);
  });
});

describe('who connects to the load balancer', () => {
  it('says any client when no VPC link is in front (reached by its DNS name)', () => {
    const {
      vpcLinkId: _link,
      rawConnectionId: _connection,
      ...direct
    } = anHttpIntegration({
      connectionType: 'INTERNET',
    });
    const lb = only(
      pathOf(albScenario({ stage: { integrations: collected([direct]) } }).build()),
      'load-balancer',
    );
    expect([lb.senders, codes(lb)]).toEqual([
      {
        description: 'clients (reached by its DNS name)',
        sourceAddresses: ['0.0.0.0/0'],
        securityGroupIds: [],
      },
      [],
    ]);
  });

  it('puts COMPONENT_UNREADABLE on the load balancer, not any client, when the only link in front could not be read', () => {
    const path = pathOf(albScenario().failing('vpcLinks', 'vl-http', 'apigateway:GetVpcLinks').build());
    const lb = only(path, 'load-balancer');
    expect([lb.senders, codes(lb)]).toEqual([undefined, ['COMPONENT_UNREADABLE']]);
    expect(codes(only(path, 'vpc-link'))).toEqual(['COMPONENT_UNREADABLE']);
  });

  it("puts COMPONENT_UNREADABLE on the load balancer when a V2 link's subnets could not be read", () => {
    const path = pathOf(
      albScenario({ vpcLink: { subnetIds: ['subnet-link-a'] } })
        .failing('subnets', 'subnet-link-a', 'ec2:DescribeSubnets')
        .build(),
    );
    const lb = only(path, 'load-balancer');
    expect([lb.senders, codes(lb)]).toEqual([undefined, ['COMPONENT_UNREADABLE']]);
  });
});

describe('cross-zone at the load balancer and the target group', () => {
  it('leaves cross-zone out of an NLB whose attributes could not be read, and says the default when unset', () => {
    const unread = only(
      pathOf(
        nlbScenario({
          loadBalancer: {
            attributes: failed(accessDenied('elasticloadbalancing:DescribeLoadBalancerAttributes')),
          },
        }).build(),
      ),
      'load-balancer',
    );
    expect(unread.facts).not.toHaveProperty('crossZone');
    const unset = only(
      pathOf(nlbScenario({ loadBalancer: { attributes: collected({}) } }).build()),
      'load-balancer',
    );
    expect(unset.facts).toMatchObject({ crossZone: { enabled: false, source: 'load balancer default' } });
  });

  it("names only the ALB's nodes in the target's zone when the target group turns cross-zone off", () => {
    const inventory = albScenario({
      targetGroup: {
        loadBalancerArns: [ALB_ARN],
        attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }),
      },
    }).build();
    const senders = hopsOf(pathOf(inventory), 'target').map(
      ({ senders: one }) => `${one?.description}: ${one?.sourceAddresses.join(', ')}`,
    );
    expect(senders).toEqual([
      'ALB orders-alb nodes in us-east-1a (cross-zone off): 10.0.1.10',
      'ALB orders-alb nodes in us-east-1b (cross-zone off): 10.0.2.10',
    ]);
  });
});

describe('unreadable hops past the load balancer', () => {
  it('puts COMPONENT_UNREADABLE on a listener whose rules DescribeRules could not read', () => {
    const listener = {
      arn: LISTENER_ARN,
      port: 443,
      protocol: 'HTTPS',
      targetGroupArns: [TG_ARN],
      certificateArns: [],
      rules: failed(accessDenied('elasticloadbalancing:DescribeRules')),
    };
    const path = pathOf(albScenario({ loadBalancer: { listeners: collected([listener]) } }).build());
    expect(codes(only(path, 'listener'))).toContain('COMPONENT_UNREADABLE');
  });

  it('puts COMPONENT_UNREADABLE on a target group whose attributes could not be read, claiming no proxy protocol', () => {
    const path = pathOf(
      nlbScenario({
        targetGroup: {
          attributes: failed(accessDenied('elasticloadbalancing:DescribeTargetGroupAttributes')),
        },
      }).build(),
    );
    const group = only(path, 'target-group');
    expect([codes(group), factOf(group, 'proxyProtocolV2')]).toEqual([['COMPONENT_UNREADABLE'], false]);
    expect(codes(only(pathOf(nlbScenario().build()), 'target-group'))).toEqual([]);
  });

  it('puts COMPONENT_UNREADABLE on a target whose instance could not be read, and gives it no address', () => {
    const path = pathOf(nlbScenario().failing('instances', 'i-0a1', 'ec2:DescribeInstances').build());
    const [unread, read] = hopsOf(path, 'target');
    expect([unread?.label, codes(unread), factOf(unread, 'address')]).toEqual([
      'target i-0a1:8080',
      ['COMPONENT_UNREADABLE'],
      undefined,
    ]);
    expect([read?.label, codes(read), factOf(read, 'address')]).toEqual([
      'target i-0b2:8080',
      [],
      '10.0.12.5',
    ]);
  });

  it('gives a Lambda target no senders: API Gateway reaches it through the ALB, not over the network', () => {
    const lambdaArn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
    const path = pathOf(
      albScenario({
        targetGroup: {
          loadBalancerArns: [ALB_ARN],
          targetType: 'lambda',
          targets: collected([aTarget({ id: lambdaArn, port: 0, availabilityZone: 'all' })]),
        },
      }).build(),
    );
    const target = only(path, 'target');
    expect([target.id, target.senders]).toEqual([lambdaArn, undefined]);
  });
});

describe('problems placed on the path', () => {
  it('puts a vanished load balancer on each integration that sends to it', () => {
    const gone = failed({
      action: 'elasticloadbalancing:DescribeLoadBalancers',
      code: 'LoadBalancerNotFound',
      message: 'gone',
    });
    const path = pathOf(nlbScenario().with('loadBalancers', NLB_ARN, gone).build());
    expect(hopsOf(path, 'integration').map(codes)).toEqual([['LOAD_BALANCER_GONE']]);
    expect(hopsOf(path, 'load-balancer')).toEqual([]);
  });
});

describe('a canary that shares components with the stage', () => {
  it("keeps the canary path's explanation on a load balancer both paths cross", () => {
    // The canary sends through a V2 link whose subnets could not be read: the shared NLB's senders are unknown there.
    const inventory = nlbScenario({
      stage: {
        canary: {
          share: 0.25,
          stageVariables: {},
          integrations: collected([
            aRestIntegration({
              vpcLinkId: 'vl-v2',
              rawConnectionId: 'vl-v2',
              vpcLinkVersion: 'V2',
              integrationTarget: NLB_ARN,
            }),
          ]),
        },
      },
    })
      .with(
        'vpcLinks',
        'vl-v2',
        aVpcLink({ id: 'vl-v2', version: 'V2', targetArns: [], subnetIds: ['subnet-link-a'] }),
      )
      .failing('subnets', 'subnet-link-a', 'ec2:DescribeSubnets')
      .build();
    const path = pathOf(inventory);
    const lb = only(path, 'load-balancer');
    expect(codes(lb)).toEqual(['COMPONENT_UNREADABLE']);
    expect(lb.from).toHaveLength(2);
    expect(codes(only(pathOf(nlbScenario().build()), 'load-balancer'))).toEqual([]);
  });
});

describe('the stage component', () => {
  it('names the deployment where GetStage was read, and leaves it out (no guess) where it was not', () => {
    const settings = collected(aStageSettings({ deploymentId: 'dep789' }));
    const read = only(pathOf(nlbScenario({ stage: { settings } }).build()), 'stage');
    expect(read.facts).toEqual({ apiType: 'REST', deploymentId: 'dep789' });
    const unread = only(
      pathOf(nlbScenario({ stage: { settings: failed(accessDenied('apigateway:GetStage')) } }).build()),
      'stage',
    );
    expect(unread.facts).toEqual({ apiType: 'REST' });
  });
});

describe('a target whose zone is unknown', () => {
  // DescribeTargetHealth leaves out TargetDescription.AvailabilityZone for instance targets (ELB API
  // reference, TargetDescription); the zone then comes from the instance, here unreadable.
  const zoneless = (crossZone: 'true' | 'false') => {
    const { availabilityZone: _zone, ...target } = aTarget({ id: 'i-0a1' });
    return pathOf(
      nlbScenario({
        loadBalancer: { attributes: collected({ 'load_balancing.cross_zone.enabled': crossZone }) },
        targetGroup: { targets: collected([target]) },
      })
        .failing('instances', 'i-0a1', 'ec2:DescribeInstances')
        .build(),
    );
  };

  it('is unreadable, and every NLB node is its possible sender even with cross-zone off', () => {
    const target = only(zoneless('false'), 'target');
    expect([factOf(target, 'zones'), codes(target)]).toEqual([[], ['COMPONENT_UNREADABLE']]);
    expect(target.senders).toEqual({
      description: 'NLB orders-nlb nodes',
      sourceAddresses: ['10.0.1.10', '10.0.2.10'],
      securityGroupIds: [],
    });
  });
});

describe('a target group two listeners forward to', () => {
  it('is one component, reached from the rule of each listener, as is the link both integrations use', () => {
    // Two REST integrations (ports 80 and 443) on two NLB listeners that forward to the same group.
    const inventory = nlbScenario({
      stage: {
        integrations: collected([
          aRestIntegration(),
          aRestIntegration({
            id: 'r00t/POST',
            label: 'POST /orders',
            arn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/resources/r00t/methods/POST/integration',
            uri: 'http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:443/orders',
            port: 443,
          }),
        ]),
      },
      loadBalancer: {
        listeners: collected([
          { arn: `${NLB_ARN}/listener-80`, port: 80, protocol: 'TCP', targetGroupArns: [TG_ARN] },
          { arn: `${NLB_ARN}/listener-443`, port: 443, protocol: 'TCP', targetGroupArns: [TG_ARN] },
        ]),
      },
    }).build();
    const [path] = stagePaths(inventory);
    if (!path) throw new Error('no path');
    const hops = componentsOf(path, inventory);
    const seqs = (kind: PathHop['kind']) => hopsOf(hops, kind).map((hop) => hop.seq);
    expect(seqs('rule')).toHaveLength(2);
    expect(only(hops, 'target-group').from).toEqual(seqs('rule'));
    expect(only(hops, 'vpc-link').from).toEqual(seqs('integration'));
    // The report's path keeps the same links, those to components numbered later included.
    const reported = pathOf(inventory);
    const reportedSeqs = (kind: PathHop['kind']) => hopsOf(reported, kind).map((hop) => hop.seq);
    expect(only(reported, 'target-group').from).toEqual(reportedSeqs('rule'));
    expect(only(reported, 'vpc-link').from).toEqual(reportedSeqs('integration'));
  });
});

describe('a target group that could not be read', () => {
  it('puts COMPONENT_UNREADABLE on the load balancer it stands behind, with no target group component', () => {
    const path = pathOf(
      nlbScenario().failing('targetGroups', TG_ARN, 'elasticloadbalancing:DescribeTargetGroups').build(),
    );
    expect(hopsOf(path, 'target-group')).toEqual([]);
    expect(codes(only(path, 'load-balancer'))).toEqual(['COMPONENT_UNREADABLE']);
  });
});
