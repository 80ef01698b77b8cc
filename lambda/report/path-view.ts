/**
 * The audited path as people read it: one line of facts per component, who connects to it, its
 * explanation codes, and a target group's targets capped ("and N more") so a group of 200 stays
 * short. Read from the report, never recomputed. The strings hold untrusted names (rule conditions,
 * URIs, resource names): each renderer cleans them for its medium before showing them.
 */
import type { PathComponentKind, PathHop, PathHopOfKind } from '../domain/types';

/** Targets shown per target group in a human view; the rest are counted. */
export const TARGETS_SHOWN = 3;

/** Addresses shown per sender line; the rest are counted. */
const ADDRESSES_SHOWN = 4;

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

const listed = (values: readonly string[], none = 'none'): string =>
  values.length > 0 ? values.join(', ') : none;

const onOff = (enabled: boolean): string => (enabled ? 'on' : 'off');

/** The stage or its canary: its share of the requests and the deployment it serves. */
function startFacts(hop: PathHopOfKind<'stage' | 'canary'>): string[] {
  const { facts } = hop;
  return [
    ...(hop.share !== undefined ? [`serves ${percent(hop.share)} of requests`] : []),
    ...(facts?.deploymentId ? [`deployment ${facts.deploymentId}`] : []),
  ];
}

/** Each kind's facts as short phrases; a new kind adds one entry. */
const DESCRIBE: { [K in PathComponentKind]?: (hop: PathHopOfKind<K>) => string[] } = {
  stage: startFacts,
  canary: startFacts,
  integration: (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      `${facts.type} over ${facts.connectionType}`,
      ...(facts.uri ? [facts.uri] : []),
      `timeout ${facts.timeoutMs} ms`,
    ];
  },
  'vpc-link': (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      `${facts.version} ${facts.status}`,
      ...(facts.version === 'V2'
        ? [`subnets ${listed(facts.subnetIds)}`, `security groups ${listed(facts.securityGroupIds)}`]
        : []),
    ];
  },
  'cloud-map-service': (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      facts.healthCheck === 'none' ? 'no health check' : `${facts.healthCheck} health check`,
      ...(facts.registeredInstances !== undefined ? [`${facts.registeredInstances} registered`] : []),
    ];
  },
  'cloud-map-instance': (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      facts.address && facts.port !== undefined ? `${facts.address}:${facts.port}` : 'no address or port',
      ...(facts.zone ? [facts.zone] : []),
      ...(facts.securityGroupIds ? [`security groups ${listed(facts.securityGroupIds)}`] : []),
      facts.health,
    ];
  },
  'load-balancer': (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      `${facts.scheme ?? 'scheme unknown'} ${facts.type}`,
      `zones ${listed(facts.zones.map((zone) => zone.zoneName))}`,
      `security groups ${listed(facts.securityGroupIds)}`,
      ...(facts.crossZone ? [`cross-zone ${onOff(facts.crossZone.enabled)}`] : []),
    ];
  },
  listener: (hop) => {
    const { facts } = hop;
    if (!facts || facts.certificateArns.length === 0) return [];
    return [`${facts.certificateArns.length} certificate(s)`];
  },
  rule: (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    const conditions = facts.conditions.map(
      (condition) =>
        `${condition.field}${condition.headerName ? ` ${condition.headerName}` : ''} is ${listed(condition.values, '(any)')}`,
    );
    return [
      facts.priority === 'default' ? 'default action' : `priority ${facts.priority}`,
      ...(conditions.length > 0 ? conditions : facts.priority === 'default' ? [] : ['no condition']),
      ...(facts.forward.length > 1
        ? [`weights ${facts.forward.map((group) => group.weight).join('/')}`]
        : []),
    ];
  },
  'target-group': (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      `${facts.protocol}:${facts.port} to ${facts.targetType} targets`,
      `client IP preservation ${onOff(facts.preserveClientIp)}`,
      ...(facts.healthCheck ? [`health check ${facts.healthCheck.protocol}:${facts.healthCheck.port}`] : []),
      ...(facts.proxyProtocolV2 ? ['proxy protocol v2 on'] : []),
      ...(facts.crossZone ? [`cross-zone ${onOff(facts.crossZone.enabled)}`] : []),
      ...(facts.registeredTargets !== undefined ? [`${facts.registeredTargets} registered`] : []),
    ];
  },
  target: (hop) => {
    const { facts } = hop;
    if (!facts) return [];
    return [
      listed(facts.zones, 'zone unknown'),
      `${facts.address ?? 'port'}${facts.address ? ':' : ' '}${facts.port}`,
      `${facts.state}${facts.reason ? ` (${facts.reason})` : ''}`,
    ];
  },
};

/** `internal network · zones us-east-1a, us-east-1b · ...`: what decides the hop, in one line. */
export function componentFacts(hop: PathHop): string {
  // TypeScript does not tie the entry's kind to the hop's: DESCRIBE's type keeps them together.
  const describe = DESCRIBE[hop.kind] as ((one: PathHop) => string[]) | undefined;
  return (describe?.(hop) ?? []).join(' · ');
}

/** `from NLB orders-nlb nodes: 10.0.1.10, 10.0.2.10`, or empty when the component names no senders. */
export function componentSenders(hop: PathHop): string {
  if (!hop.senders) return '';
  const { description, sourceAddresses, approximatedBecause } = hop.senders;
  const shown = sourceAddresses.slice(0, ADDRESSES_SHOWN);
  const more = sourceAddresses.length - shown.length;
  return (
    `from ${description}: ${listed(shown)}${more > 0 ? ` and ${more} more` : ''}` +
    (approximatedBecause ? ` (approximated: ${approximatedBecause})` : '')
  );
}

/** `RULE_MAY_MATCH, WEIGHT_ZERO`, or empty. */
export const componentCodes = (hop: PathHop): string =>
  (hop.explanations ?? []).map((explanation) => explanation.explanationCode).join(', ');

/** A component as a human view lists it, or the count of a target group's targets left out. */
export type ShownComponent = { hop: PathHop } | { moreTargets: number; of: PathHop };

/**
 * The path with each target group's targets capped at `TARGETS_SHOWN`, those `keep` wants (a
 * blocked one) always shown; the rest, and those the JSON itself leaves out, counted after them.
 */
export function shownComponents(path: readonly PathHop[], keep: (hop: PathHop) => boolean): ShownComponent[] {
  const bySeq = new Map(path.map((hop) => [hop.seq, hop]));
  const groupOf = (hop: PathHop): PathHop | undefined =>
    hop.kind === 'target' ? bySeq.get(hop.from[0] ?? 0) : undefined;
  const shown: ShownComponent[] = [];
  const pending = new Map<PathHop, { left: number; shownCount: number }>();
  for (const hop of path) {
    const group = groupOf(hop);
    if (!group) {
      if (hop.kind === 'target-group') pending.set(hop, { left: 0, shownCount: 0 });
      shown.push({ hop });
      continue;
    }
    const count = pending.get(group) ?? { left: 0, shownCount: 0 };
    pending.set(group, count);
    if (keep(hop) || count.shownCount < TARGETS_SHOWN) {
      count.shownCount += 1;
      shown.push({ hop });
    } else count.left += 1;
  }
  // The count goes after the group's last shown target (or the group itself when none is shown).
  for (const [group, count] of pending) {
    const notListed = group.kind === 'target-group' ? (group.facts?.targetsNotListed ?? 0) : 0;
    const more = count.left + notListed;
    if (more === 0) continue;
    let at = shown.findIndex((one) => 'hop' in one && one.hop === group);
    for (const [index, one] of shown.entries()) {
      if ('hop' in one && groupOf(one.hop) === group) at = index;
    }
    shown.splice(at + 1, 0, { moreTargets: more, of: group });
  }
  return shown;
}

/**
 * One line per component as the text and Markdown views list it, a group's targets capped (those
 * the stage's findings name always kept): `#4 NLB orders-nlb (from #3): internal network · ...;
 * from VPC link interfaces: 10.0.21.0/24 [RULE_MAY_MATCH]`. Raw: the renderer cleans it.
 */
export function pathLines(path: readonly PathHop[], named: ReadonlySet<string>): string[] {
  return shownComponents(path, (hop) => named.has(hop.id)).map((shown) => {
    if ('moreTargets' in shown) return `and ${shown.moreTargets} more targets of ${shown.of.label}`;
    const { hop } = shown;
    const joins =
      hop.from.length > 0 && !hop.from.includes(hop.seq - 1) ? ` (from #${hop.from.join(', #')})` : '';
    const details = [componentFacts(hop), componentSenders(hop)].filter(Boolean).join('; ');
    const codes = componentCodes(hop);
    return `#${hop.seq} ${hop.label}${joins}${details ? `: ${details}` : ''}${codes ? ` [${codes}]` : ''}`;
  });
}
