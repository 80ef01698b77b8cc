import { cloudMapHealthCheck } from '../../../lambda/checks/cloud-map-health-check';
import { cloudMapInstanceSecurityGroups } from '../../../lambda/checks/cloud-map-instance-security-groups';
import { senderSecurityGroupEgress } from '../../../lambda/checks/sender-security-group-egress';
import { subnetNetworkAcls } from '../../../lambda/checks/subnet-network-acls';
import { instancePort } from '../../../lambda/collect/cloud-map';
import {
  type CloudMapServiceFacts,
  type Collected,
  collected,
  failed,
  type Inventory,
  type NetworkAclEntry,
  type VpcLinkFacts,
} from '../../../lambda/domain/types';
import { buildStagePaths } from '../../../lambda/path/build';
import { auditedPath } from '../../../lambda/path/components';
import {
  accessDenied,
  allowAllAclEntries,
  aNetworkAcl,
  anIpPermission,
  anIpTargetInterface,
  aSecurityGroup,
  resultsOf,
} from '../../support/inventory-builders';
import {
  anInstance,
  aService,
  cloudMapScenario,
  fromLbSubnetsOnly,
  listed,
  type Scenario,
  SERVICE_ARN,
} from './cloud-map-scenario';

const statuses = (results: { status: string }[]) => results.map((result) => result.status);

describe('Cloud Map instances as the collector reads them', () => {
  it('keeps AWS_INSTANCE_IPV4 and a numeric AWS_INSTANCE_PORT, and drops a port that is not one', () => {
    expect(
      listed('i-06bdabbae60f65a4e', { AWS_INSTANCE_IPV4: '172.2.1.3', AWS_INSTANCE_PORT: '808' }),
    ).toEqual({
      id: 'i-06bdabbae60f65a4e',
      ipv4: '172.2.1.3',
      port: 808,
    });
    // ECS with A records registers the address only (API Gateway guide: use SRV records).
    expect(listed('task', { AWS_INSTANCE_IPV4: '10.0.11.20' })).toEqual({ id: 'task', ipv4: '10.0.11.20' });
    // Attributes are free text in an HTTP namespace: what is not an IPv4 address is no address.
    expect(listed('task', { AWS_INSTANCE_IPV4: 'orders.internal', AWS_INSTANCE_PORT: '80' })).toEqual({
      id: 'task',
      port: 80,
    });
    expect([instancePort('0'), instancePort('65536'), instancePort('http'), instancePort('443')]).toEqual([
      undefined,
      undefined,
      undefined,
      443,
    ]);
  });
});

describe('the path through a VPC link to Cloud Map', () => {
  it('reaches the service and its instances after the link instead of saying no load balancer is behind it', () => {
    const inventory = cloudMapScenario();
    const [path] = buildStagePaths(inventory.stages[0] as Inventory['stages'][number], inventory);
    expect(path?.cloudMapServices.map((service) => service.serviceArn)).toEqual([SERVICE_ARN]);
    const stage = inventory.stages[0] as Inventory['stages'][number];
    const behindLink = auditedPath(stage, inventory).filter(
      (hop) => hop.kind.startsWith('cloud-map') || hop.kind === 'vpc-link',
    );
    expect(behindLink.map((hop) => hop.kind)).toEqual([
      'vpc-link',
      'cloud-map-service',
      'cloud-map-instance',
    ]);
    const [link, service, instance] = behindLink;
    expect(service?.from).toEqual([link?.seq]);
    expect(instance?.from).toEqual([service?.seq]);
    expect(instance?.facts).toMatchObject({ address: '10.0.11.20', port: 8080 });
    expect(path?.problems.map((problem) => problem.evidence?.explanation)).toEqual(['CLOUD_MAP_BEHIND_LINK']);
  });
});

describe('cloud-map-instance-security-groups', () => {
  it("fails an instance whose groups admit its port only from the load balancers' subnets, naming sender, port, group and instance", () => {
    const results = resultsOf(
      cloudMapInstanceSecurityGroups,
      cloudMapScenario({ taskIngress: fromLbSubnetsOnly }),
    );
    expect(statuses(results)).toEqual(['FAIL']);
    expect(results[0]?.resourceArn).toContain('network-interface/eni-task-a');
    expect(results[0]?.message).toContain(
      'security group sg-task of Cloud Map instance task-a 10.0.11.20:8080 (eni-task-a) admits no tcp/8080 from VPC link http-link in us-east-1a (10.0.21.0/24); VPC link http-link in us-east-1b (10.0.22.0/24)',
    );
  });

  it("passes the twin whose group admits the link's security group", () => {
    const results = resultsOf(cloudMapInstanceSecurityGroups, cloudMapScenario());
    expect(statuses(results)).toEqual(['PASS']);
  });

  it('fails a service with no registered instance, and one whose instances carry no port (nothing to send to)', () => {
    const empty = resultsOf(
      cloudMapInstanceSecurityGroups,
      cloudMapScenario({ service: collected(aService({ instances: collected([]) })) }),
    );
    expect(statuses(empty)).toEqual(['FAIL']);
    expect(empty[0]?.message).toContain('has no registered instance');
    const noPort = resultsOf(
      cloudMapInstanceSecurityGroups,
      cloudMapScenario({
        service: collected(
          aService({ instances: collected([listed('task-a', { AWS_INSTANCE_IPV4: '10.0.11.20' })]) }),
        ),
      }),
    );
    expect(statuses(noPort)).toEqual(['FAIL']);
    expect(noPort[0]?.message).toContain('has both AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT (task-a)');
  });

  it('warns of an instance without a port beside one API Gateway can use: requests it picks have nowhere to go', () => {
    const mixed = collected(
      aService({
        instances: collected([anInstance(), listed('task-c', { AWS_INSTANCE_IPV4: '10.0.11.21' })]),
      }),
    );
    const results = resultsOf(cloudMapInstanceSecurityGroups, cloudMapScenario({ service: mixed }));
    expect(statuses(results)).toEqual(['WARN', 'PASS']);
    expect(results[0]?.message).toContain('instance task-c of Cloud Map service orders');
  });

  it('reports ERROR naming the action when the service, its instances or an interface cannot be read, never PASS', () => {
    const unreadable = (service: Collected<CloudMapServiceFacts>) =>
      resultsOf(cloudMapInstanceSecurityGroups, cloudMapScenario({ service }));
    const service = unreadable(failed(accessDenied('servicediscovery:GetService')));
    expect(statuses(service)).toEqual(['ERROR']);
    expect(service[0]?.message).toContain('servicediscovery:GetService failed (AccessDenied');
    const instances = unreadable(
      collected(aService({ instances: failed(accessDenied('servicediscovery:ListInstances')) })),
    );
    expect(instances[0]?.message).toContain('servicediscovery:ListInstances failed');
    const eni = unreadable(
      collected(
        aService({
          instances: collected([
            anInstance({ networkInterface: failed(accessDenied('ec2:DescribeNetworkInterfaces')) }),
          ]),
        }),
      ),
    );
    expect(statuses(eni)).toEqual(['ERROR']);
    expect(eni[0]?.message).toContain('ec2:DescribeNetworkInterfaces failed');
  });

  describe('with a health check, only the instances DiscoverInstances returns (healthy ones) are judged', () => {
    // GetInstancesHealthStatus (Cloud Map API reference): `Status` maps instance id to HEALTHY | UNHEALTHY | UNKNOWN.
    const blockedTask = anInstance({
      ...listed('task-b', { AWS_INSTANCE_IPV4: '10.0.12.40', AWS_INSTANCE_PORT: '8080' }),
      networkInterface: collected(anIpTargetInterface({ securityGroupIds: ['sg-closed'] })),
    });
    const withHealth = (
      instanceHealth: CloudMapServiceFacts['instanceHealth'],
      instances = [anInstance(), blockedTask],
    ) => {
      const inventory = cloudMapScenario({
        service: collected(
          aService({ instances: collected(instances), ...(instanceHealth ? { instanceHealth } : {}) }),
        ),
      });
      inventory.securityGroups['sg-closed'] = collected(
        aSecurityGroup({ id: 'sg-closed', name: 'closed', inbound: fromLbSubnetsOnly }),
      );
      return resultsOf(cloudMapInstanceSecurityGroups, inventory);
    };

    it('fails the blocked task while it is HEALTHY', () => {
      expect(statuses(withHealth(collected({ 'task-a': 'HEALTHY', 'task-b': 'HEALTHY' })))).toEqual([
        'PASS',
        'FAIL',
      ]);
    });

    it('leaves out the blocked task once UNHEALTHY: it gets no traffic (the twin)', () => {
      expect(statuses(withHealth(collected({ 'task-a': 'HEALTHY', 'task-b': 'UNHEALTHY' })))).toEqual([
        'PASS',
      ]);
    });

    it('fails the service when every instance is UNHEALTHY: nothing to send to', () => {
      const results = withHealth(collected({ 'task-b': 'UNHEALTHY' }), [blockedTask]);
      expect(statuses(results)).toEqual(['FAIL']);
      expect(results[0]?.message).toContain('is UNHEALTHY (task-b)');
    });

    it('reports ERROR when the health cannot be read, and the blocked task only may get traffic (WARN, not FAIL)', () => {
      const results = withHealth(failed(accessDenied('servicediscovery:GetInstancesHealthStatus')));
      expect(statuses(results)).toEqual(['ERROR', 'PASS', 'WARN']);
      expect(results[0]?.message).toContain('servicediscovery:GetInstancesHealthStatus failed');
      expect(results[2]?.message).toContain('it may be UNHEALTHY and get no traffic');
    });
  });

  it('does not judge an address no interface of the VPC holds (peered VPC, on premises): SKIPPED, not FAIL', () => {
    const outside = collected(
      aService({ instances: collected([anInstance({ networkInterface: collected(null) })]) }),
    );
    expect(
      statuses(resultsOf(cloudMapInstanceSecurityGroups, cloudMapScenario({ service: outside }))),
    ).toEqual(['SKIPPED']);
  });
});

describe('sender-security-group-egress towards Cloud Map instances', () => {
  const onLinkGroup = (inventory: Inventory) =>
    resultsOf(senderSecurityGroupEgress, inventory).filter((result) =>
      result.resourceArn.endsWith('security-group/sg-link'),
    );

  it("fails the link whose group lets nothing out to the instance's port", () => {
    const [result, ...rest] = onLinkGroup(cloudMapScenario({ linkEgress: [] }));
    expect(rest).toEqual([]);
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(
      'has no egress rule that lets tcp/8080 to Cloud Map service orders (srv-e4anhexw6v5e7a2c) (Cloud Map instance task-a 10.0.11.20:8080) out',
    );
  });

  it('passes the twins: an egress rule to the task group, and the default allow-all', () => {
    const toTasks = [anIpPermission({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-task'] })];
    expect(statuses(onLinkGroup(cloudMapScenario({ linkEgress: toTasks })))).toEqual(['PASS']);
    expect(statuses(onLinkGroup(cloudMapScenario()))).toEqual(['PASS']);
  });

  it("reports ERROR when an instance's interface is unread and only a group reference could let the port out", () => {
    const unread = collected(
      aService({
        instances: collected([
          anInstance({ networkInterface: failed(accessDenied('ec2:DescribeNetworkInterfaces')) }),
        ]),
      }),
    );
    const toTasks = [anIpPermission({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-task'] })];
    const [byReference] = onLinkGroup(cloudMapScenario({ service: unread, linkEgress: toTasks }));
    expect(byReference?.status).toBe('ERROR');
    expect(byReference?.message).toContain('ec2:DescribeNetworkInterfaces failed');
    // No egress rule for the port at all: blocked whatever the instance's groups.
    expect(statuses(onLinkGroup(cloudMapScenario({ service: unread, linkEgress: [] })))).toEqual(['FAIL']);
  });

  it('judges a stage whose only link leads to Cloud Map, rather than skipping it for want of a load balancer', () => {
    expect(statuses(resultsOf(senderSecurityGroupEgress, cloudMapScenario()))).toEqual(['PASS']);
  });
});

describe('cloud-map-health-check', () => {
  it('advises a service with no health check (instances keep getting traffic), and passes one with a custom check', () => {
    const none = resultsOf(
      cloudMapHealthCheck,
      cloudMapScenario({ service: collected(aService({ healthCheck: 'none' })) }),
    );
    expect(statuses(none)).toEqual(['WARN']);
    expect(none[0]?.message).toContain('DiscoverInstances returns every instance');
    expect(statuses(resultsOf(cloudMapHealthCheck, cloudMapScenario()))).toEqual(['PASS']);
  });
});

// Where a read failed or the link's interfaces are only approximated: ERROR naming what could not be
// read, never PASS, each with its healthy twin. Security groups as DescribeSecurityGroups gives them
// (IpPermissions with `UserIdGroupPairs` / `PrefixListIds`, EC2 API reference); prefix lists as
// GetManagedPrefixListEntries; the link as apigatewayv2 GetVpcLinks (`SubnetIds`, `SecurityGroupIds`).
const judged = (inventory: Inventory) => {
  const [result, ...rest] = resultsOf(cloudMapInstanceSecurityGroups, inventory);
  expect(rest).toEqual([]);
  return result;
};

/** ERROR, never PASS, with a message naming each of `named` (what could not be read, and the action). */
const expectError = (inventory: Inventory, ...named: string[]) => {
  const result = judged(inventory);
  expect(result?.status).toBe('ERROR');
  for (const part of named) expect(result?.message).toContain(part);
};

/** The task's interface carrying `securityGroupIds` (a task can have up to five groups). */
const taskWithGroups = (securityGroupIds: string[], scenario: Scenario = {}): Inventory =>
  cloudMapScenario({
    ...scenario,
    service: collected(
      aService({
        instances: collected([
          anInstance({
            networkInterface: collected(
              anIpTargetInterface({
                id: 'eni-task-a',
                privateIp: '10.0.11.20',
                subnetId: 'subnet-app-a',
                availabilityZone: 'us-east-1a',
                securityGroupIds,
              }),
            ),
          }),
        ]),
      }),
    ),
  });

/** The scenario's V2 link (GetVpcLinks, apigatewayv2: `SubnetIds`, `SecurityGroupIds`) with overrides. */
const withLink = (inventory: Inventory, overrides: Partial<VpcLinkFacts>): Inventory => {
  const link = inventory.vpcLinks['vl-http'];
  if (!link?.ok) throw new Error('the scenario has its link');
  inventory.vpcLinks['vl-http'] = collected({ ...link.value, ...overrides });
  return inventory;
};

describe('cloud-map-instance-security-groups when a read failed', () => {
  it('reports ERROR naming DescribeSecurityGroups when one of the instance’s groups could not be read', () => {
    const inventory = taskWithGroups(['sg-task', 'sg-extra']);
    inventory.securityGroups['sg-extra'] = failed(accessDenied('ec2:DescribeSecurityGroups'));
    expectError(
      inventory,
      'the security groups of Cloud Map instance task-a 10.0.11.20:8080',
      'ec2:DescribeSecurityGroups failed',
    );
  });

  it('names every group, in the plural, of an instance with two that admit the link (healthy twin)', () => {
    const inventory = taskWithGroups(['sg-task', 'sg-extra']);
    inventory.securityGroups['sg-extra'] = collected(
      aSecurityGroup({ id: 'sg-extra', name: 'extra', inbound: [] }),
    );
    const result = judged(inventory);
    expect(result?.status).toBe('PASS');
    expect(result?.message).toContain(
      'security groups sg-task, sg-extra of Cloud Map instance task-a 10.0.11.20:8080 (eni-task-a) admit tcp/8080',
    );
  });

  it('reports ERROR when the only VPC link in front could not be read', () => {
    const inventory = cloudMapScenario();
    inventory.vpcLinks['vl-http'] = failed(accessDenied('apigateway:GetVpcLinks'));
    expectError(
      inventory,
      'the VPC link interfaces that connect to Cloud Map instance task-a',
      'apigateway:GetVpcLinks failed',
    );
  });

  it("reports ERROR when a link's subnets could not be read", () => {
    const inventory = cloudMapScenario();
    inventory.subnets['subnet-link-b'] = failed(accessDenied('ec2:DescribeSubnets'));
    expectError(inventory, 'ec2:DescribeSubnets failed');
  });

  it('reports ERROR, not FAIL, when a referenced prefix list could not be read and nothing else admits the link', () => {
    // An ingress rule whose source is a managed prefix list (IpPermission.PrefixListIds[].PrefixListId).
    const byPrefixList = [anIpPermission({ fromPort: 8080, toPort: 8080, prefixListIds: ['pl-0a1b2c3d'] })];
    const inventory = cloudMapScenario({ taskIngress: byPrefixList });
    inventory.prefixLists = { 'pl-0a1b2c3d': failed(accessDenied('ec2:GetManagedPrefixListEntries')) };
    expectError(inventory, 'a prefix list the ingress rules of security group sg-task');
    // The twin: the list read, holding the link's subnets.
    inventory.prefixLists = { 'pl-0a1b2c3d': collected(['10.0.21.0/24', '10.0.22.0/24']) };
    expect(judged(inventory)?.status).toBe('PASS');
  });

  describe('a link that lists no subnets stands in as its VPC', () => {
    it('reports ERROR, not FAIL, when only the link’s subnets could be refused: its addresses are approximated', () => {
      const inventory = withLink(cloudMapScenario({ taskIngress: fromLbSubnetsOnly }), { subnetIds: [] });
      expectError(inventory, 'the addresses of the VPC link interfaces');
    });

    it('passes the twin whose group admits the link’s security group, wherever its interfaces are', () => {
      expect(judged(withLink(cloudMapScenario(), { subnetIds: [] }))?.status).toBe('PASS');
    });

    it('reports ERROR when the VPC that stands in could not be read', () => {
      const inventory = withLink(cloudMapScenario(), { subnetIds: [] });
      inventory.vpcs['vpc-1'] = failed(accessDenied('ec2:DescribeVpcs'));
      expectError(inventory, 'ec2:DescribeVpcs failed');
    });
  });
});

describe('sender-security-group-egress towards Cloud Map when no link carries a security group', () => {
  it('skips the service, saying nothing filters egress; the twin with sg-link is judged', () => {
    const results = resultsOf(
      senderSecurityGroupEgress,
      withLink(cloudMapScenario(), { securityGroupIds: [] }),
    );
    expect(results.map((result) => result.status)).toEqual(['SKIPPED']);
    expect(results[0]?.message).toContain(
      'no VPC link to Cloud Map service orders (srv-e4anhexw6v5e7a2c) carries security groups: nothing filters egress',
    );
    expect(resultsOf(senderSecurityGroupEgress, cloudMapScenario()).map((result) => result.status)).toEqual([
      'PASS',
    ]);
  });
});

describe('subnet-network-acls behind a VPC link to Cloud Map', () => {
  /**
   * DescribeNetworkAcls (EC2 API reference, NetworkAclEntry): the task subnet's ACL admits only
   * tcp/443 inbound before the default deny (rule 32767), so the link's requests to 8080 are dropped.
   */
  const only443In: NetworkAclEntry[] = [
    {
      ruleNumber: 100,
      egress: false,
      protocol: '6',
      action: 'allow',
      cidr: '0.0.0.0/0',
      fromPort: 443,
      toPort: 443,
    },
    { ruleNumber: 32767, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
    { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
    { ruleNumber: 32767, egress: true, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
  ];
  const aclResultsWith = (taskEntries: NetworkAclEntry[]) => {
    const inventory = cloudMapScenario();
    for (const id of ['subnet-link-a', 'subnet-link-b'])
      inventory.networkAclsBySubnet[id] = collected(aNetworkAcl({ id: 'acl-link' }));
    inventory.networkAclsBySubnet['subnet-app-a'] = collected(
      aNetworkAcl({ id: 'acl-tasks', entries: taskEntries }),
    );
    return resultsOf(subnetNetworkAcls, inventory).filter((result) =>
      result.resourceArn.includes(':network-acl/'),
    );
  };

  it("fails the task subnet's ACL that drops the link's requests to the instance port, naming the rule", () => {
    const tasks = aclResultsWith(only443In).find((result) => result.resourceArn.endsWith('acl-tasks'));
    expect(tasks?.status).toBe('FAIL');
    expect(tasks?.message).toContain('inbound tcp/8080 from 10.0.21.0/24 in subnet-app-a (VPC link');
    expect(tasks?.message).toContain('Cloud Map instance task-a 10.0.11.20:8080');
  });

  it('passes both ACLs when they allow the port and the replies (the twin)', () => {
    expect(
      aclResultsWith(allowAllAclEntries()).map((result) => [
        result.resourceArn.split('/').at(-1),
        result.status,
      ]),
    ).toEqual([
      ['acl-link', 'PASS'],
      ['acl-tasks', 'PASS'],
    ]);
  });

  it("is an ERROR naming DescribeNetworkAcls when the link subnets' ACL could not be read", () => {
    const inventory = cloudMapScenario();
    const results = resultsOf(subnetNetworkAcls, inventory).filter((result) => result.status === 'ERROR');
    expect(results.map((result) => result.evidence?.action)).toContain('ec2:DescribeNetworkAcls');
  });
});
