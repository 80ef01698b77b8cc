import { networkAclArn, subnetArn } from '../domain/arns';
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, NetworkAclFacts, StageKey, SubnetFacts, VpcLinkFacts } from '../domain/types';
import {
  describeLoadBalancer,
  type LoadBalancerPath,
  loadBalancerResource,
  targetGroupResource,
} from '../path/build';
import { type CloudMapPath, describeCloudMapService, describeInstance, instancesOf } from '../path/cloud-map';
import {
  type AclTraffic,
  EPHEMERAL_PORTS,
  evaluateAcl,
  evaluateAclTraffic,
  judgeReturnTraffic,
} from '../path/network-acls';
import { eachLoadBalancer } from '../path/query';
import { preservesClientIp } from '../path/senders';
import type { CheckDefinition } from './check-definition';
import { couldNotRead, failedCheck, lookup, notApplicable, passed, RESOURCE_TYPES } from './results';

interface SubnetWithAcl {
  subnet: SubnetFacts;
  acl: NetworkAclFacts;
}

/** One blocked flow, as a fix needs it: an allow rule for it must come before `denyingRule` (null: the default deny). */
interface BlockedFlow {
  egress: boolean;
  peerCidr: string;
  fromPort: number;
  toPort: number;
  denyingRule: number | null;
}

interface AclFindings {
  acl: NetworkAclFacts;
  subnetIds: Set<string>;
  blocked: string[];
  blockedFlows: BlockedFlow[];
  checked: string[];
}

/** The lowest rule number among the parts denied; null when only the default deny denies. */
const lowestDenyingRule = (numbers: (number | null)[]): number | null => {
  const explicit = numbers.filter((number): number is number => number !== null);
  return explicit.length > 0 ? Math.min(...explicit) : null;
};

type Resolved<T> = { ok: true; value: T } | { ok: false; result: CheckResult };

function resolveSubnet(
  subnetId: string,
  path: { apis: StageKey[] },
  inventory: NetworkFacts,
): Resolved<SubnetWithAcl> {
  const resource = {
    resourceArn: subnetArn(inventory.region, inventory.account, subnetId),
    resourceType: RESOURCE_TYPES.subnet,
  };
  const subnet = lookup(inventory.subnets, subnetId, 'ec2:DescribeSubnets');
  if (!subnet.ok)
    return { ok: false, result: couldNotRead(resource, path.apis, `subnet ${subnetId}`, subnet.error) };
  const acl = lookup(inventory.networkAclsBySubnet, subnetId, 'ec2:DescribeNetworkAcls');
  if (!acl.ok) {
    return {
      ok: false,
      result: couldNotRead(resource, path.apis, `the network ACL of ${subnetId}`, acl.error),
    };
  }
  return { ok: true, value: { subnet: subnet.value, acl: acl.value } };
}

interface TargetSubnets {
  /** Target subnet id -> the target ports used in it. */
  ports: Map<string, Set<number>>;
  /** The same, for the target groups of an NLB that preserve the client's address: the targets see the senders'. */
  clientIpPorts: Map<string, Set<number>>;
  /** SKIPPED results for target groups with ip targets outside the VPC. */
  outside: CheckResult[];
}

function targetPortsBySubnet(path: LoadBalancerPath): Resolved<TargetSubnets> {
  const firstProblem = path.targetGroupProblems[0];
  if (firstProblem) return { ok: false, result: firstProblem };
  const ports = new Map<string, Set<number>>();
  const clientIpPorts = new Map<string, Set<number>>();
  const add = (into: Map<string, Set<number>>, subnetId: string, port: number) =>
    into.set(subnetId, new Set([...(into.get(subnetId) ?? []), port]));
  const outside: CheckResult[] = [];
  for (const { targetGroup, targets } of path.targetGroups) {
    const clientIp = path.loadBalancer.type === 'network' && preservesClientIp(targetGroup);
    if (!targets.ok) {
      const subject = `the targets of ${targetGroup.name}`;
      return {
        ok: false,
        result: couldNotRead(targetGroupResource(targetGroup), path.apis, subject, targets.error),
      };
    }
    const outsideTargets: string[] = [];
    for (const { target, host, port, resource, subject } of targets.value) {
      if (!host.ok) return { ok: false, result: couldNotRead(resource, path.apis, subject, host.error) };
      if (host.value === null) continue;
      if (host.value === 'outside') {
        outsideTargets.push(target.id);
        continue;
      }
      add(ports, host.value.subnetId, port);
      if (clientIp) add(clientIpPorts, host.value.subnetId, port);
    }
    if (outsideTargets.length > 0) {
      outside.push({
        ...notApplicable(
          targetGroupResource(targetGroup),
          path.apis,
          `ip targets ${outsideTargets.join(', ')} of target group ${targetGroup.name} lie outside ${targetGroup.vpcId} (no network interface there holds them: a peered VPC or on premises): the ACLs on their side are not judged`,
        ),
        evidence: { targets: outsideTargets },
      });
    }
  }
  return { ok: true, value: { ports, clientIpPorts, outside } };
}

/** A V2 link's subnets send to the load balancer on the listener ports the integrations reach. */
interface LinkLeg {
  link: VpcLinkFacts;
  listenerPorts: number[];
}

function linkLegs(path: LoadBalancerPath): LinkLeg[] {
  if (path.via || !path.loadBalancer.listeners.ok) return [];
  const listenerPorts = [...new Set(path.listeners.map(({ listener }) => listener.port))];
  if (listenerPorts.length === 0) return [];
  return path.vpcLinks
    .filter((link) => link.version === 'V2' && link.subnetIds.length > 0)
    .map((link) => ({ link, listenerPorts }));
}

/** Judges each ACL's part of the path's legs, collected per ACL so each finding names every subnet it covers. */
class AclLedger {
  readonly byAcl = new Map<string, AclFindings>();

  private entry(side: SubnetWithAcl): AclFindings {
    const entry = this.byAcl.get(side.acl.id) ?? {
      acl: side.acl,
      subnetIds: new Set<string>(),
      blocked: [],
      blockedFlows: [],
      checked: [],
    };
    entry.subnetIds.add(side.subnet.id);
    this.byAcl.set(side.acl.id, entry);
    return entry;
  }

  /** The connection's own packets: every part of the port must pass. */
  connection(side: SubnetWithAcl, traffic: AclTraffic, leg: string): void {
    const entry = this.entry(side);
    const verdict = evaluateAcl(side.acl.entries, traffic);
    const ports =
      traffic.fromPort === traffic.toPort ? `${traffic.fromPort}` : `${traffic.fromPort}-${traffic.toPort}`;
    const described = `${traffic.egress ? 'outbound' : 'inbound'} tcp/${ports} ${traffic.egress ? 'to' : 'from'} ${traffic.peerCidr} in ${side.subnet.id} (${leg})`;
    if (verdict.allowed) {
      entry.checked.push(described);
      return;
    }
    entry.blocked.push(`${described}: ${verdict.rule}`);
    const { denied } = evaluateAclTraffic(side.acl.entries, traffic);
    entry.blockedFlows.push({
      ...traffic,
      denyingRule: lowestDenyingRule(denied.map((part) => part.ruleNumber)),
    });
  }

  /**
   * Replies to the sender's ephemeral ports: a deny of a few ports in that range is hardening AWS
   * documents, not an outage (docs/reachability.md). Load balancer nodes and a VPC link's
   * interfaces are AWS-managed senders: 1024-65535.
   */
  returnTraffic(side: SubnetWithAcl, traffic: { egress: boolean; peerCidr: string }, leg: string): void {
    const entry = this.entry(side);
    const ephemeralPorts = EPHEMERAL_PORTS.elasticLoadBalancing;
    const verdict = judgeReturnTraffic(side.acl.entries, { ...traffic, ephemeralPorts });
    const described = `${traffic.egress ? 'outbound' : 'inbound'} tcp/${ephemeralPorts.from}-${ephemeralPorts.to} ${traffic.egress ? 'to' : 'from'} ${traffic.peerCidr} in ${side.subnet.id} (return traffic, ${leg})`;
    if (verdict.status === 'blocked') {
      entry.blocked.push(`${described}: ${verdict.summary}`);
      entry.blockedFlows.push({
        ...traffic,
        fromPort: ephemeralPorts.from,
        toPort: ephemeralPorts.to,
        denyingRule: lowestDenyingRule(verdict.denied.map((part) => part.ruleNumber)),
      });
    } else entry.checked.push(verdict.status === 'allowed' ? described : `${described} (${verdict.summary})`);
  }

  /** A sender's subnet to a receiver's subnet on `port`, and the replies; nothing when they are one subnet. */
  leg(sender: SubnetWithAcl, receiver: SubnetWithAcl, port: number, leg: string): void {
    // Network ACLs filter traffic entering or leaving a subnet, not traffic within it.
    if (sender.subnet.id === receiver.subnet.id) return;
    const ports = { fromPort: port, toPort: port };
    this.connection(sender, { egress: true, peerCidr: receiver.subnet.cidr, ...ports }, leg);
    this.connection(receiver, { egress: false, peerCidr: sender.subnet.cidr, ...ports }, leg);
    this.returnTraffic(receiver, { egress: true, peerCidr: sender.subnet.cidr }, leg);
    this.returnTraffic(sender, { egress: false, peerCidr: receiver.subnet.cidr }, leg);
  }
}

/** Every subnet with its ACL, or the ERRORs of those that could not be read. */
function resolveSubnets(
  subnetIds: Iterable<string>,
  path: { apis: StageKey[] },
  inventory: NetworkFacts,
): { ok: true; side: (subnetId: string) => SubnetWithAcl } | { ok: false; errors: CheckResult[] } {
  const resolved = new Map<string, SubnetWithAcl>();
  const errors: CheckResult[] = [];
  for (const subnetId of new Set(subnetIds)) {
    const subnet = resolveSubnet(subnetId, path, inventory);
    if (subnet.ok) resolved.set(subnetId, subnet.value);
    else errors.push(subnet.result);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, side: (subnetId: string) => resolved.get(subnetId) as SubnetWithAcl };
}

function evaluatePath(path: LoadBalancerPath, inventory: NetworkFacts): CheckResult[] {
  const targets = targetPortsBySubnet(path);
  if (!targets.ok) return [targets.result];
  const { ports: targetPorts, clientIpPorts, outside } = targets.value;
  const legs = linkLegs(path);
  const sides = resolveSubnets(
    [
      ...path.loadBalancer.zones.map((zone) => zone.subnetId),
      ...targetPorts.keys(),
      ...legs.flatMap(({ link }) => link.subnetIds),
    ],
    path,
    inventory,
  );
  if (!sides.ok) return sides.errors;
  const { side } = sides;

  const ledger = new AclLedger();
  const name = describeLoadBalancer(path.loadBalancer);
  for (const zone of path.loadBalancer.zones) {
    for (const { link, listenerPorts } of legs) {
      for (const linkSubnetId of link.subnetIds) {
        for (const port of listenerPorts) {
          ledger.leg(side(linkSubnetId), side(zone.subnetId), port, `VPC link ${link.name} to ${name}`);
        }
      }
    }
    for (const [targetSubnetId, ports] of targetPorts) {
      for (const port of ports) {
        ledger.leg(side(zone.subnetId), side(targetSubnetId), port, 'load balancer to target');
      }
    }
  }
  // Client IP preservation (NLB, V2 link): the targets' ACL sees the link's addresses, in and out.
  for (const { link } of legs) {
    for (const linkSubnetId of link.subnetIds) {
      const sender = side(linkSubnetId);
      for (const [targetSubnetId, ports] of clientIpPorts) {
        if (targetSubnetId === linkSubnetId) continue;
        const receiver = side(targetSubnetId);
        const leg = `VPC link ${link.name} to target through ${name} (client IP preserved)`;
        for (const port of ports) {
          ledger.connection(
            receiver,
            { egress: false, peerCidr: sender.subnet.cidr, fromPort: port, toPort: port },
            leg,
          );
        }
        ledger.returnTraffic(receiver, { egress: true, peerCidr: sender.subnet.cidr }, leg);
      }
    }
  }

  if (ledger.byAcl.size === 0) {
    return [
      ...outside,
      notApplicable(
        loadBalancerResource(path.loadBalancer),
        path.apis,
        `no traffic of ${name} crosses a subnet boundary (its targets and VPC link share its subnets or lie outside the known subnets): no network ACL filters it`,
      ),
    ];
  }
  return [
    ...outside,
    ...aclResults(
      ledger,
      {
        name,
        ports: 'the listener and target ports',
        apis: path.apis,
        evidence: { loadBalancer: path.loadBalancer.name },
      },
      inventory,
    ),
  ];
}

/** One result per ACL the legs crossed: FAIL naming each blocked flow and the rule that drops it, else PASS. */
function aclResults(
  ledger: AclLedger,
  subject: { name: string; ports: string; apis: StageKey[]; evidence: Record<string, string> },
  inventory: NetworkFacts,
): CheckResult[] {
  return [...ledger.byAcl.values()].map(({ acl, subnetIds: aclSubnets, blocked, blockedFlows, checked }) => {
    const resource = {
      resourceArn: networkAclArn(inventory.region, inventory.account, acl.id),
      resourceType: RESOURCE_TYPES.networkAcl,
    };
    const subnets = [...aclSubnets].sort();
    const evidence = { subnets, ...subject.evidence, blocked, allowed: checked };
    if (blocked.length > 0) {
      const ruleNumbers = (egress: boolean) =>
        acl.entries.filter((rule) => rule.egress === egress).map((rule) => rule.ruleNumber);
      return failedCheck(
        resource,
        subject.apis,
        `network ACL ${acl.id} (${subnets.join(', ')}) blocks traffic of ${subject.name}: ${blocked.join('; ')}`,
        {
          ...evidence,
          blockedFlows,
          ruleNumbers: { inbound: ruleNumbers(false), outbound: ruleNumbers(true) },
        },
      );
    }
    return passed(
      resource,
      subject.apis,
      `network ACL ${acl.id} (${subnets.join(', ')}) allows ${subject.ports} and the return traffic of ${subject.name}`,
      evidence,
    );
  });
}

/**
 * A V2 link's subnets to each Cloud Map instance API Gateway can send to, on the instance's port,
 * and the replies. Instances whose interface could not be read are left to
 * cloud-map-instance-security-groups, which reports them.
 */
function evaluateCloudMap(path: CloudMapPath, inventory: NetworkFacts): CheckResult[] {
  const receivers = instancesOf(path).destinations.flatMap(({ instance, networkInterface }) =>
    networkInterface.ok && networkInterface.value
      ? [{ instance, subnetId: networkInterface.value.subnetId }]
      : [],
  );
  const links = path.vpcLinks.filter((link) => link.version === 'V2' && link.subnetIds.length > 0);
  if (receivers.length === 0 || links.length === 0) return [];
  const sides = resolveSubnets(
    [...links.flatMap((link) => link.subnetIds), ...receivers.map((receiver) => receiver.subnetId)],
    path,
    inventory,
  );
  if (!sides.ok) return sides.errors;
  const ledger = new AclLedger();
  for (const link of links) {
    for (const linkSubnetId of link.subnetIds) {
      for (const { instance, subnetId } of receivers) {
        const leg = `VPC link ${link.name} to ${describeInstance(instance)}`;
        ledger.leg(sides.side(linkSubnetId), sides.side(subnetId), instance.port, leg);
      }
    }
  }
  const name = describeCloudMapService(path);
  return aclResults(
    ledger,
    { name, ports: "the instances' ports", apis: path.apis, evidence: { cloudMapService: name } },
    inventory,
  );
}

export const subnetNetworkAcls: CheckDefinition<'paths' | 'network'> = {
  id: 'subnet-network-acls',
  title: 'Network ACLs pass load balancer and target traffic',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "A network ACL that denies the listener port between a VPC link's subnets and the load balancer's, the target port between the load balancer's and the targets' subnets (instance or ip targets), or the ephemeral ports of the return traffic, drops connections silently.",
  remediation:
    "In the ACLs of the VPC link's, the load balancer's and the targets' subnets allow the listener port (link to load balancer) and the target port (load balancer to targets) between them, and TCP 1024-65535 for the return traffic, in rules numbered before any deny that matches.",
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#network-acls',
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) => [
    ...eachLoadBalancer(paths, (path) => evaluatePath(path, network)),
    ...paths.flatMap((path) =>
      path.cloudMapServices.flatMap((service) => evaluateCloudMap(service, network)),
    ),
  ],
};
