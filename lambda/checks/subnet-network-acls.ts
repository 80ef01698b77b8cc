import { instanceArn, networkAclArn, subnetArn } from '../domain/arns';
import type { CheckDefinition } from '../domain/check';
import type {
  CheckResult,
  Collected,
  Inventory,
  NetworkAclFacts,
  SubnetFacts,
  TargetFacts,
} from '../domain/types';
import { rangeContains } from './ipv4-ranges';
import {
  describeLoadBalancer,
  evaluateLoadBalancers,
  followToTargetGroups,
  type LoadBalancerPath,
  loadBalancerResource,
  targetGroupResource,
} from './load-balancer-path';
import { type AclTraffic, EPHEMERAL_PORTS, evaluateAcl, judgeReturnTraffic } from './network-acl-rules';
import { couldNotRead, lookup, notApplicable, RESOURCE_TYPES } from './results';

interface SubnetWithAcl {
  subnet: SubnetFacts;
  acl: NetworkAclFacts;
}

interface AclFindings {
  acl: NetworkAclFacts;
  subnetIds: Set<string>;
  blocked: string[];
  checked: string[];
}

type Resolved<T> = { ok: true; value: T } | { ok: false; result: CheckResult };

/** The subnet a target lives in: its instance's, or (IP targets) the VPC subnet whose CIDR holds it. */
function targetSubnetId(
  target: TargetFacts,
  vpcId: string,
  inventory: Inventory,
): Collected<string | undefined> {
  const instance = inventory.instances[target.id];
  if (instance) return instance.ok ? { ok: true, value: instance.value.subnetId } : instance;
  const subnet = Object.values(inventory.subnets).find(
    (candidate) =>
      candidate.ok && candidate.value.vpcId === vpcId && rangeContains(candidate.value.cidr, target.id),
  );
  return { ok: true, value: subnet?.ok ? subnet.value.id : undefined };
}

function resolveSubnet(
  subnetId: string,
  path: LoadBalancerPath,
  inventory: Inventory,
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

/** Target subnet id -> the target ports used in it. */
function targetPortsBySubnet(
  path: LoadBalancerPath,
  inventory: Inventory,
): Resolved<Map<string, Set<number>>> {
  const { reached, problems } = followToTargetGroups(path, inventory);
  const firstProblem = problems[0];
  if (firstProblem) return { ok: false, result: firstProblem };
  const ports = new Map<string, Set<number>>();
  for (const targetGroup of reached) {
    if (!targetGroup.targets.ok) {
      const result = couldNotRead(
        targetGroupResource(targetGroup),
        path.apis,
        `the targets of ${targetGroup.name}`,
        targetGroup.targets.error,
      );
      return { ok: false, result };
    }
    for (const target of targetGroup.targets.value) {
      const subnetId = targetSubnetId(target, targetGroup.vpcId, inventory);
      if (!subnetId.ok) {
        const resource = {
          resourceArn: instanceArn(inventory.region, inventory.account, target.id),
          resourceType: RESOURCE_TYPES.instance,
        };
        return {
          ok: false,
          result: couldNotRead(resource, path.apis, `instance ${target.id}`, subnetId.error),
        };
      }
      if (subnetId.value === undefined) continue;
      const set = ports.get(subnetId.value) ?? new Set<number>();
      set.add(target.port || targetGroup.port);
      ports.set(subnetId.value, set);
    }
  }
  return { ok: true, value: ports };
}

function evaluatePath(path: LoadBalancerPath, inventory: Inventory): CheckResult[] {
  const targetPorts = targetPortsBySubnet(path, inventory);
  if (!targetPorts.ok) return [targetPorts.result];
  const subnetIds = new Set([
    ...path.loadBalancer.zones.map((zone) => zone.subnetId),
    ...targetPorts.value.keys(),
  ]);
  const resolved = new Map<string, SubnetWithAcl>();
  const errors: CheckResult[] = [];
  for (const subnetId of subnetIds) {
    const subnet = resolveSubnet(subnetId, path, inventory);
    if (subnet.ok) resolved.set(subnetId, subnet.value);
    else errors.push(subnet.result);
  }
  if (errors.length > 0) return errors;

  const byAcl = new Map<string, AclFindings>();
  const record = (side: SubnetWithAcl, traffic: AclTraffic, leg: string): void => {
    const entry = byAcl.get(side.acl.id) ?? { acl: side.acl, subnetIds: new Set(), blocked: [], checked: [] };
    entry.subnetIds.add(side.subnet.id);
    const verdict = evaluateAcl(side.acl.entries, traffic);
    const ports =
      traffic.fromPort === traffic.toPort ? `${traffic.fromPort}` : `${traffic.fromPort}-${traffic.toPort}`;
    const described = `${traffic.egress ? 'outbound' : 'inbound'} tcp/${ports} ${traffic.egress ? 'to' : 'from'} ${traffic.peerCidr} in ${side.subnet.id} (${leg})`;
    if (verdict.allowed) entry.checked.push(described);
    else entry.blocked.push(`${described}: ${verdict.rule}`);
    byAcl.set(side.acl.id, entry);
  };

  // Replies go back to the load balancer node's ephemeral port: a deny of a few ports in that range
  // is hardening AWS documents, not an outage (docs/reachability.md).
  const recordReturn = (side: SubnetWithAcl, traffic: { egress: boolean; peerCidr: string }): void => {
    const entry = byAcl.get(side.acl.id) ?? { acl: side.acl, subnetIds: new Set(), blocked: [], checked: [] };
    entry.subnetIds.add(side.subnet.id);
    const { from, to } = EPHEMERAL_PORTS.elasticLoadBalancing;
    const verdict = judgeReturnTraffic(side.acl.entries, {
      ...traffic,
      ephemeralPorts: EPHEMERAL_PORTS.elasticLoadBalancing,
    });
    const described = `${traffic.egress ? 'outbound' : 'inbound'} tcp/${from}-${to} ${traffic.egress ? 'to' : 'from'} ${traffic.peerCidr} in ${side.subnet.id} (return traffic)`;
    if (verdict.status === 'blocked') entry.blocked.push(`${described}: ${verdict.summary}`);
    else entry.checked.push(verdict.status === 'allowed' ? described : `${described} (${verdict.summary})`);
    byAcl.set(side.acl.id, entry);
  };

  for (const zone of path.loadBalancer.zones) {
    const lbSide = resolved.get(zone.subnetId) as SubnetWithAcl;
    for (const [targetSubnetId, ports] of targetPorts.value) {
      // Network ACLs filter traffic entering or leaving a subnet, not traffic within it.
      if (targetSubnetId === zone.subnetId) continue;
      const targetSide = resolved.get(targetSubnetId) as SubnetWithAcl;
      for (const port of ports) {
        const toTarget = { fromPort: port, toPort: port };
        record(
          lbSide,
          { egress: true, peerCidr: targetSide.subnet.cidr, ...toTarget },
          'load balancer to target',
        );
        record(
          targetSide,
          { egress: false, peerCidr: lbSide.subnet.cidr, ...toTarget },
          'load balancer to target',
        );
        recordReturn(targetSide, { egress: true, peerCidr: lbSide.subnet.cidr });
        recordReturn(lbSide, { egress: false, peerCidr: targetSide.subnet.cidr });
      }
    }
  }

  const name = describeLoadBalancer(path.loadBalancer);
  if (byAcl.size === 0) {
    return [
      notApplicable(
        loadBalancerResource(path.loadBalancer),
        path.apis,
        `no traffic of ${name} crosses a subnet boundary (its targets share its subnets or lie outside the known subnets): no network ACL filters it`,
      ),
    ];
  }
  return [...byAcl.values()].map(({ acl, subnetIds: aclSubnets, blocked, checked }) => {
    const resource = {
      resourceArn: networkAclArn(inventory.region, inventory.account, acl.id),
      resourceType: RESOURCE_TYPES.networkAcl,
    };
    const subnets = [...aclSubnets].sort();
    const evidence = { subnets, loadBalancer: path.loadBalancer.name, blocked, allowed: checked };
    if (blocked.length > 0) {
      return {
        ...resource,
        status: 'FAIL' as const,
        apis: path.apis,
        message: `network ACL ${acl.id} (${subnets.join(', ')}) blocks traffic of ${name}: ${blocked.join('; ')}`,
        evidence,
      };
    }
    return {
      ...resource,
      status: 'PASS' as const,
      apis: path.apis,
      message: `network ACL ${acl.id} (${subnets.join(', ')}) allows the target ports and return traffic of ${name}`,
      evidence,
    };
  });
}

export const subnetNetworkAcls: CheckDefinition = {
  id: 'subnet-network-acls',
  title: 'Network ACLs pass load balancer and target traffic',
  group: 'beyond-the-article',
  severity: 'high',
  runsFor: ['high-frequency'],
  risk: "A network ACL that denies the target port, or the ephemeral ports of the return traffic, between the load balancer's and the targets' subnets drops connections silently.",
  remediation:
    "In the ACLs of the load balancer's and targets' subnets allow the target port between them and TCP 1024-65535 for the return traffic, in rules numbered before any deny that matches.",
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#network-acls',
  ],
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancers(stages, inventory, (path) => evaluatePath(path, inventory)),
};
