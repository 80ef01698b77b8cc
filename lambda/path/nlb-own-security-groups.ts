/**
 * The VPC link -> NLB hop of `nlb-target-security-groups`: whether the NLB's own security groups
 * (when it has any) let API Gateway in on the listener ports the path reaches. One result, on the
 * load balancer:
 * - V1 link (PrivateLink): with "enforce inbound rules on PrivateLink traffic" on (AWS's default),
 *   the rules see API Gateway's own private address, which only a rule for every address is sure to
 *   match; with it off, PrivateLink traffic is not filtered.
 * - V2 link: the link's interfaces (its subnets, carrying its security groups) connect directly.
 * An NLB without security groups filters nothing: no result.
 */
import type { NetworkFacts } from '../domain/check';
import type { CheckResult } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource } from './build';
import { entryResult, judgeEntry, reachedListenerPorts, readSecurityGroups } from './load-balancer-entry';
import { couldNotRead, notApplicable, passed } from './resources';
import { type KnownSources, linkInterfaceSources, privateLinkSource } from './senders';

export function evaluateNlbOwnSecurityGroups(path: LoadBalancerPath, inventory: NetworkFacts): CheckResult[] {
  const { loadBalancer, apis } = path;
  if (loadBalancer.securityGroupIds.length === 0) return [];
  // No listener read or reached: the target groups' walk reports it on this same resource.
  const ports = reachedListenerPorts(path);
  if (ports.length === 0) return [];
  const resource = loadBalancerResource(loadBalancer);
  const name = describeHop(path);
  const groups = readSecurityGroups(loadBalancer.securityGroupIds, inventory);
  if (!groups.ok) {
    return [couldNotRead(resource, apis, `security group ${groups.groupId} of ${name}`, groups.error)];
  }
  const v1Links = path.vpcLinks.filter((link) => link.version === 'V1');
  const v2Links = path.vpcLinks.filter((link) => link.version === 'V2');
  if (v1Links.length === 0 && v2Links.length === 0) {
    const [unreadableLink] = path.unreadableVpcLinks;
    if (unreadableLink)
      return [couldNotRead(resource, apis, `the VPC link in front of ${name}`, unreadableLink)];
    return [
      notApplicable(
        resource,
        apis,
        `${name} is reached by its DNS name, not through a VPC link: API Gateway then connects from its public addresses, which this check does not model`,
      ),
    ];
  }
  const enforcement = loadBalancer.privateLinkInboundRules ?? 'on';
  const notes: string[] = [];
  const known: KnownSources = { sources: [], senders: '' };
  const senders: string[] = [];
  if (v1Links.length > 0) {
    if (enforcement === 'on') {
      known.sources.push(privateLinkSource(v1Links));
      senders.push('API Gateway through PrivateLink (inbound rules enforced on PrivateLink traffic)');
    } else {
      notes.push(
        `PrivateLink traffic from VPC link ${v1Links.map((link) => link.name).join(', ')} is not filtered: "enforce inbound rules on PrivateLink traffic" is off`,
      );
    }
  }
  if (v2Links.length > 0) {
    const links = linkInterfaceSources(
      v2Links,
      loadBalancer.vpcId,
      inventory,
      (link) => link.securityGroupIds,
    );
    if (!links.ok)
      return [couldNotRead(resource, apis, `the subnets of the VPC link in front of ${name}`, links.error)];
    known.sources.push(...links.value.sources);
    if (links.value.approximatedBecause) known.approximatedBecause = links.value.approximatedBecause;
    senders.push('VPC link interfaces');
  }
  const evidence =
    v1Links.length === 0
      ? {}
      : {
          privateLinkInboundRules:
            loadBalancer.privateLinkInboundRules ?? 'on (not in the response: AWS default)',
        };
  if (known.sources.length === 0) {
    return [
      passed(
        resource,
        apis,
        `${name} has security groups ${loadBalancer.securityGroupIds.join(', ')}, but they do not filter its traffic from API Gateway: ${notes.join('; ')}`,
        { securityGroups: loadBalancer.securityGroupIds, ...evidence },
      ),
    ];
  }
  known.senders = senders.join(' and ');
  const verdict = judgeEntry(groups.value, ports, known.sources, inventory);
  if (v1Links.length > 0 && enforcement === 'on' && verdict.status === 'some-blocked') {
    notes.push(
      'API Gateway\'s PrivateLink addresses are not published, so only a rule for 0.0.0.0/0 on the listener port is sure to admit them: admit that, or turn "enforce inbound rules on PrivateLink traffic" off as AWS\'s API Gateway NLB guide does',
    );
  }
  return [entryResult({ path, known, verdict, notes, evidence })];
}
