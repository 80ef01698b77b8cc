import type { NetworkFacts } from '../domain/check';
import type { CheckResult, FlowLogFacts } from '../domain/types';
import { describeLoadBalancer, type LoadBalancerPath, loadBalancerResource } from '../path/build';
import { eachLoadBalancer } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, lookup, passed } from './results';

function coveredBy(
  flowLogs: readonly FlowLogFacts[],
  resourceIds: readonly string[],
): FlowLogFacts | undefined {
  return flowLogs.find((log) => log.status === 'ACTIVE' && resourceIds.includes(log.resourceId));
}

/** The owner of a VPC shared with the audited account (VPC sharing), or undefined when it is the account's own. */
function sharedVpcOwner(vpcId: string, inventory: NetworkFacts): string | undefined {
  const vpc = inventory.vpcs[vpcId];
  const owner = vpc?.ok ? vpc.value.ownerId : undefined;
  return owner && inventory.account && owner !== inventory.account ? owner : undefined;
}

function evaluatePath({ loadBalancer, apis }: LoadBalancerPath, inventory: NetworkFacts): CheckResult {
  const resource = loadBalancerResource(loadBalancer);
  const name = describeLoadBalancer(loadBalancer);
  const flowLogs = lookup(inventory.flowLogsByVpc, loadBalancer.vpcId, 'ec2:DescribeFlowLogs');
  if (!flowLogs.ok)
    return couldNotRead(resource, apis, `the flow logs of ${loadBalancer.vpcId}`, flowLogs.error);
  const active = flowLogs.value.filter((log) => log.status === 'ACTIVE');
  const evidence = {
    vpcId: loadBalancer.vpcId,
    activeFlowLogs: active.map((log) => ({
      id: log.id,
      resourceId: log.resourceId,
      trafficType: log.trafficType,
    })),
  };
  const vpcLog = coveredBy(flowLogs.value, [loadBalancer.vpcId]);
  if (vpcLog) {
    return passed(
      resource,
      apis,
      `flow log ${vpcLog.id} (${vpcLog.trafficType}) covers the whole VPC ${loadBalancer.vpcId} of ${name}`,
      evidence,
    );
  }
  const uncoveredSubnets = loadBalancer.zones.filter((zone) => !coveredBy(flowLogs.value, [zone.subnetId]));
  if (uncoveredSubnets.length === 0) {
    return passed(resource, apis, `flow logs cover every subnet of ${name}`, evidence);
  }
  if (!loadBalancer.networkInterfaces.ok) {
    return couldNotRead(
      resource,
      apis,
      `the network interfaces of ${name}`,
      loadBalancer.networkInterfaces.error,
    );
  }
  const uncovered = loadBalancer.networkInterfaces.value.filter(
    (eni) => !coveredBy(flowLogs.value, [eni.id, eni.subnetId]),
  );
  if (uncovered.length === 0 && loadBalancer.networkInterfaces.value.length > 0) {
    return passed(resource, apis, `flow logs cover every network interface of ${name}`, evidence);
  }
  const owner = sharedVpcOwner(loadBalancer.vpcId, inventory);
  if (owner) {
    // A participant of a shared VPC cannot list the owner's flow logs: their absence here proves nothing.
    return couldNotRead(resource, apis, `the flow logs of shared VPC ${loadBalancer.vpcId}`, {
      action: 'ec2:DescribeFlowLogs',
      code: 'SharedVpcOwner',
      message: `the VPC belongs to account ${owner}; a participant account cannot see the owner's flow logs (VPC guide, "Share your VPC with other accounts")`,
    });
  }
  const missing =
    uncovered.length > 0
      ? uncovered.map((eni) => `${eni.id} (${eni.privateIp}, ${eni.subnetId})`)
      : uncoveredSubnets.map((zone) => `subnet ${zone.subnetId} (${zone.zoneName})`);
  return failedCheck(
    resource,
    apis,
    `no active flow log covers ${missing.join(', ')} of ${name} (VPC ${loadBalancer.vpcId}: ${active.length} active flow logs elsewhere)`,
    evidence,
  );
}

export const vpcFlowLogs: CheckDefinition<'paths' | 'network'> = {
  id: 'vpc-flow-logs',
  title: "Flow logs capture the load balancer's traffic",
  group: 'high-frequency',
  severity: 'low',
  role: 'observability',
  runsFor: ['high-frequency'],
  risk: "Without flow logs on the load balancer's interfaces there is no record of rejected or reset connections between the VPC link, the load balancer and the targets.",
  remediation:
    "Create a VPC flow log (traffic type ALL) on the VPC, or on the load balancer's subnets or network interfaces.",
  docs: [ARTICLE, 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) => eachLoadBalancer(paths, (path) => [evaluatePath(path, network)]),
};
