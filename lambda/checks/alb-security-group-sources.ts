import type { NetworkFacts } from '../domain/check';
import { type CheckResult, type Collected, collected, failed } from '../domain/types';
import {
  describeHop,
  describeLoadBalancer,
  type LoadBalancerPath,
  loadBalancerResource,
} from '../path/build';
import {
  entryResult,
  judgeEntry,
  reachedListenerPorts,
  readSecurityGroups,
} from '../path/load-balancer-entry';
import { eachLoadBalancerOfType } from '../path/query';
import { type KnownSources, linkInterfaceSources, nlbSources } from '../path/senders';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, notApplicable } from './results';

/**
 * Who connects to the ALB: behind an NLB's `alb` target group, what that NLB forwards (its nodes
 * for a V1 link, else the senders, whose addresses reach the ALB); through a V2 link, the link's
 * interfaces with the link's security groups; reached by its DNS name, any client.
 */
function albSenders(path: LoadBalancerPath, inventory: NetworkFacts): Collected<KnownSources> {
  if (path.via) {
    const known = nlbSources(path.via, path.via.targetGroup, undefined, inventory);
    if (!known.ok) return known;
    const front = describeLoadBalancer(path.via.loadBalancer);
    const { senders } = known.value;
    return collected({
      ...known.value,
      senders: senders.startsWith(front) ? senders : `${senders} through ${front}`,
    });
  }
  const links = path.vpcLinks.filter((link) => link.version === 'V2');
  if (links.length === 0) {
    const [unreadableLink] = path.unreadableVpcLinks;
    if (unreadableLink) return failed(unreadableLink);
    return collected({
      sources: [{ label: 'any client (reached by its DNS name)', cidr: '0.0.0.0/0', securityGroupIds: [] }],
      senders: 'clients (reached by its DNS name)',
    });
  }
  const known = linkInterfaceSources(
    links,
    path.loadBalancer.vpcId,
    inventory,
    (link) => link.securityGroupIds,
  );
  if (!known.ok) return known;
  return collected({ ...known.value, senders: 'VPC link interfaces' });
}

function evaluatePath(path: LoadBalancerPath, inventory: NetworkFacts): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  const name = describeHop(path);
  if (!loadBalancer.listeners.ok) {
    return couldNotRead(resource, apis, `the listeners of ${name}`, loadBalancer.listeners.error);
  }
  // Only the listeners the traffic reaches: another service's listener on a shared ALB is not ours to judge.
  const ports = reachedListenerPorts(path);
  if (ports.length === 0) {
    return notApplicable(
      resource,
      apis,
      `no listener of ${name} answers what the integrations send to: integration-listener reports it`,
    );
  }
  const groups = readSecurityGroups(loadBalancer.securityGroupIds, inventory);
  if (!groups.ok) {
    return couldNotRead(resource, apis, `security group ${groups.groupId} of ${name}`, groups.error);
  }
  const known = albSenders(path, inventory);
  if (!known.ok) {
    return couldNotRead(resource, apis, `who connects to ${name} (the VPC link, its subnets)`, known.error);
  }
  if (known.value.sources.length === 0) {
    return notApplicable(resource, apis, `no sender reaches ${name}: ${known.value.senders} are unknown`);
  }
  const verdict = judgeEntry(groups.value, ports, known.value.sources, inventory);
  return entryResult({ path, known: known.value, verdict, notes: [], evidence: {} });
}

export const albSecurityGroupSources: CheckDefinition<'paths' | 'network'> = {
  id: 'alb-security-group-sources',
  title: "ALB's security group admits the VPC link",
  group: 'high-frequency',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "When the ALB's security group does not admit the listener port from where the VPC link connects, API Gateway cannot open a connection and answers 504.",
  remediation:
    "Allow the listener port the API uses in the ALB's security group from where the traffic really comes: the VPC link's security group or its subnets (V2 link), or, behind an NLB, what that NLB forwards (its private IPs for a V1 link, else the senders' addresses).",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html',
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) =>
    eachLoadBalancerOfType(paths, 'application', (path) => [evaluatePath(path, network)]),
};
