/**
 * Whether a load balancer's own security groups let its senders in on the listener ports the path
 * reaches (never a shared load balancer's other listeners): one `evaluateSecurityGroups` per port,
 * over the senders that really connect (see senders.ts).
 */
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, Collected, CollectionError, SecurityGroupFacts } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource } from './build';
import { couldNotRead, failedCheck, lookup, passed } from './resources';
import { evaluateSecurityGroups, type SecurityGroupVerdict } from './security-groups';
import type { KnownSources } from './senders';

/** The groups, or the first that could not be read (with its id). */
export function readSecurityGroups(
  ids: readonly string[],
  inventory: NetworkFacts,
): Collected<SecurityGroupFacts[]> & { groupId?: string } {
  const groups: SecurityGroupFacts[] = [];
  for (const id of ids) {
    const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok) return { ...group, groupId: id };
    groups.push(group.value);
  }
  return { ok: true, value: groups };
}

/** The listener ports the path's entries reach, sorted; empty when no listener answers them. */
export function reachedListenerPorts(path: LoadBalancerPath): number[] {
  return [...new Set(path.listeners.map(({ listener }) => listener.port))].sort((a, b) => a - b);
}

export interface EntryVerdict {
  status: SecurityGroupVerdict['status'];
  byPort: { port: number; verdict: SecurityGroupVerdict }[];
  blockedPorts: number[];
  blockedZones: string[];
  gaps: CollectionError[];
}

export function judgeEntry(
  groups: readonly SecurityGroupFacts[],
  ports: readonly number[],
  sources: KnownSources['sources'],
  inventory: NetworkFacts,
): EntryVerdict {
  const byPort = ports.map((port) => ({
    port,
    verdict: evaluateSecurityGroups({
      groups,
      traffic: { protocol: 'tcp', port },
      prefixLists: inventory.prefixLists ?? {},
      sources,
    }),
  }));
  const verdicts = byPort.map(({ verdict }) => verdict);
  const blocked = byPort.filter(({ verdict }) => verdict.status === 'some-blocked');
  const gaps = verdicts.flatMap((verdict) => verdict.gaps);
  return {
    status: blocked.length > 0 ? 'some-blocked' : gaps.length > 0 ? 'could-not-tell' : 'all-allowed',
    byPort,
    blockedPorts: blocked.map(({ port }) => port),
    blockedZones: [...new Set(verdicts.flatMap((verdict) => verdict.blockedZones))].sort(),
    gaps,
  };
}

export interface EntryJudgement {
  path: LoadBalancerPath;
  known: KnownSources;
  verdict: EntryVerdict;
  /** Said in the message whatever the verdict (e.g. traffic the groups do not filter). */
  notes: string[];
  evidence: Record<string, unknown>;
}

const sentence = (notes: readonly string[]): string => (notes.length > 0 ? `; ${notes.join('; ')}` : '');

/**
 * The result for the load balancer: PASS when every sender is let in on every port; FAIL naming the
 * blocked senders, zones and ports; ERROR when a sender might be let in by what could not be read
 * (a prefix list, an approximated address, a VPC link).
 */
export function entryResult({ path, known, verdict, notes, evidence }: EntryJudgement): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  const name = describeHop(path);
  const fullEvidence = {
    securityGroups: loadBalancer.securityGroupIds,
    senders: known.senders,
    ports: verdict.byPort.map(({ port, verdict: one }) => ({
      port,
      sources: one.sources.map((source) => ({
        source: source.source.label,
        cidr: source.source.cidr,
        status: source.status,
        ...(source.status === 'allowed' ? { rule: source.rule.description } : {}),
      })),
    })),
    blockedPorts: verdict.blockedPorts,
    blockedZones: verdict.blockedZones,
    ...evidence,
  };
  if (verdict.status === 'some-blocked') {
    if (known.approximatedBecause) {
      return couldNotRead(
        resource,
        apis,
        `the addresses ${known.senders} connect from`,
        known.approximatedBecause,
      );
    }
    const blocked = verdict.byPort.filter(({ verdict: one }) => one.status === 'some-blocked');
    return failedCheck(
      resource,
      apis,
      `security groups ${loadBalancer.securityGroupIds.join(', ') || '(none)'} of ${name} do not admit ${blocked.map(({ port }) => `tcp/${port}`).join(', ')} from ${known.senders}: ${blocked.map(({ verdict: one }) => one.summary).join('. ')}${sentence(notes)}`,
      fullEvidence,
    );
  }
  const [gap] = verdict.gaps;
  if (gap) return couldNotRead(resource, apis, `a prefix list the security groups of ${name} reference`, gap);
  // Every known sender is let in, but a link that could not be read may send from elsewhere.
  const [unreadableLink] = path.unreadableVpcLinks;
  if (unreadableLink) return couldNotRead(resource, apis, `a VPC link in front of ${name}`, unreadableLink);
  const ports = verdict.byPort.map(({ port }) => `tcp/${port}`).join(', ');
  const summaries = verdict.byPort.map(({ verdict: one }) => one.summary).join('. ');
  return passed(
    resource,
    apis,
    `${name} admits ${ports} from ${known.senders}: ${summaries}${sentence(notes)}`,
    fullEvidence,
  );
}
