/**
 * The path as the report shows it (`auditedPath`), modelled on VPC Reachability Analyzer's path
 * components: numbered components in traffic order (stage, canary, route, integration, VPC link,
 * load balancer, listener, rule, target group, target, and on into an ALB behind an NLB), each
 * naming the components it is reached from, the facts that decide whether traffic passes there,
 * who connects to it (senders.ts) and the model's explanation codes with their AWS sources.
 * A new kind of hop is one more `add...` function called from the hop before it.
 */
import { instanceArn, stageArn, vpcLinkArn } from '../domain/arns';
import { definedFields } from '../domain/defined-fields';
import { describeEntry, integrationEntry, type ListenerEntry, listenersReached } from '../domain/path';
import type {
  CheckResult,
  Collected,
  CrossZoneFacts,
  IntegrationFacts,
  Inventory,
  ListenerFacts,
  ListenerRuleFacts,
  LoadBalancerFacts,
  PathComponentKind,
  PathExplanation,
  PathHop,
  PathHopOfKind,
  PathSenders,
  StageInventory,
  TargetGroupFacts,
} from '../domain/types';
import {
  describeCanary,
  describeLoadBalancer,
  integrationsInto,
  type ListenerHop,
  type LoadBalancerPath,
  requestsInto,
  type StagePath,
  stagePaths,
  type TargetGroupHop,
} from './build';
import { type CloudMapPath, describeCloudMapService, instanceHopId, instancesOf } from './cloud-map';
import { CROSS_ZONE_ATTRIBUTE, effectiveCrossZone } from './cross-zone';
import { EXPLANATIONS, type ExplanationCode } from './explanations';
import { ruleMatch } from './listeners';
import {
  type KnownSources,
  linkInterfaceSources,
  loadBalancerNodes,
  nlbSources,
  preservesClientIp,
  privateLinkSource,
} from './senders';
import type { ResolvedTarget } from './targets';
import { tlsExplanations, tlsPassesThrough } from './tls';

/** Target components listed per target group; the rest are counted (`targetsNotListed`), so 200 targets stay small. */
export const MAX_LISTED_TARGETS = 50;

/** A component before it is numbered and linked, of each kind. */
type Draft = { [K in PathComponentKind]: Omit<PathHopOfKind<K>, 'seq' | 'from'> }[PathComponentKind];

/**
 * One resource is one component, whichever path crosses it; a canary's integration is its own. A
 * target is one per target group it is registered in (its health is the registration's) and per port:
 * `from` is that target group's component.
 */
const hopKey = (hop: Draft, from: number | undefined): string => {
  if (hop.kind === 'target') return [hop.kind, hop.id, hop.facts?.port ?? '', from ?? ''].join('|');
  // Tasks on one host (ECS bridge or host mode) share its interface: each port is its own instance.
  if (hop.kind === 'cloud-map-instance') return [hop.kind, hop.id, hop.facts?.port ?? ''].join('|');
  return [hop.kind, hop.id, hop.variant ?? ''].join('|');
};

const explanation = (code: ExplanationCode, targetGroups?: string[]): PathExplanation => ({
  explanationCode: code,
  source: EXPLANATIONS[code].source,
  ...(targetGroups && targetGroups.length > 0 ? { loadBalancerTargetGroups: targetGroups } : {}),
});

const isExplanationCode = (code: unknown): code is ExplanationCode =>
  typeof code === 'string' && Object.hasOwn(EXPLANATIONS, code);

/** The components of one path, numbered as they are added (each after the ones it is reached from). */
class Components {
  readonly hops: PathHop[] = [];
  private readonly byKey = new Map<string, PathHop>();

  add(draft: Draft, from: number | undefined): number {
    const key = hopKey(draft, from);
    let hop = this.byKey.get(key);
    if (!hop) {
      hop = { seq: this.hops.length + 1, ...draft, from: [] };
      this.hops.push(hop);
      this.byKey.set(key, hop);
    }
    if (from !== undefined && !hop.from.includes(from)) hop.from.push(from);
    return hop.seq;
  }

  explain(seq: number, added: PathExplanation): void {
    const hop = this.hops[seq - 1];
    if (!hop) return;
    const kept = hop.explanations ?? [];
    if (kept.some((known) => known.explanationCode === added.explanationCode)) return;
    hop.explanations = [...kept, added];
  }

  seqOf(id: string): number | undefined {
    // The last: on a canary's path, the canary (which shares the stage's ARN) rather than the stage.
    for (let index = this.hops.length - 1; index >= 0; index -= 1) {
      if (this.hops[index]?.id === id) return index + 1;
    }
    return undefined;
  }
}

interface Walk {
  components: Components;
  path: StagePath;
  inventory: Inventory;
  /** Senders of a target group's targets by zone, worked out once however many targets share them. */
  targetSenders: Map<string, Collected<PathSenders>>;
}

const sendersOf = (known: KnownSources): PathSenders => ({
  description: known.senders,
  sourceAddresses: [...new Set(known.sources.map((source) => source.cidr))],
  securityGroupIds: [...new Set(known.sources.flatMap((source) => source.securityGroupIds))],
  ...(known.approximatedBecause
    ? { approximatedBecause: `${known.approximatedBecause.action} (${known.approximatedBecause.code})` }
    : {}),
});

/** Records who connects, or that it could not be told (the read that failed). */
function attachSenders(walk: Walk, seq: number, senders: Collected<PathSenders>): void {
  const hop = walk.components.hops[seq - 1];
  if (!hop) return;
  if (senders.ok) hop.senders = senders.value;
  else walk.components.explain(seq, explanation('COMPONENT_UNREADABLE'));
}

/** The path's components in traffic order, from the stage (or its canary) to the targets. */
export function componentsOf(path: StagePath, inventory: Inventory): PathHop[] {
  const walk: Walk = { components: new Components(), path, inventory, targetSenders: new Map() };
  const start = addStage(walk);
  for (const integration of path.integrations.ok ? path.integrations.value : []) {
    addIntegration(walk, integration, addRoutes(walk, integration, start));
  }
  explainProblems(walk, start);
  return walk.components.hops;
}

function addStage(walk: Walk): number {
  const { stage, settings, canary } = walk.path.stage;
  const id = stageArn(stage);
  const deploymentId = settings.ok ? settings.value.deploymentId : undefined;
  const share = walk.path.variant === 'main' && walk.path.share < 1 ? { share: walk.path.share } : {};
  const stageSeq = walk.components.add(
    {
      kind: 'stage',
      id,
      label: `stage ${stage.apiName}/${stage.stage}`,
      facts: { apiType: stage.apiType, ...definedFields({ deploymentId }) },
      ...share,
    },
    undefined,
  );
  if (walk.path.variant !== 'canary') return stageSeq;
  return walk.components.add(
    {
      kind: 'canary',
      id,
      label: describeCanary(walk.path.share),
      variant: 'canary',
      share: walk.path.share,
      facts: {
        apiType: stage.apiType,
        ...definedFields({ deploymentId: canary?.deploymentId }),
      },
    },
    stageSeq,
  );
}

/** An HTTP API's routes that send to the integration, where the inventory has them. */
function addRoutes(walk: Walk, integration: IntegrationFacts, from: number): number[] {
  const routeKeys = integration.routeKeys ?? [];
  if (routeKeys.length === 0) return [from];
  const stageId = stageArn(walk.path.stage.stage);
  return routeKeys.map((routeKey) =>
    walk.components.add(
      { kind: 'route', id: `${stageId}|route ${routeKey}`, label: `route ${routeKey}` },
      from,
    ),
  );
}

function addIntegration(walk: Walk, integration: IntegrationFacts, from: number[]): void {
  const { components, path } = walk;
  const canary = path.variant === 'canary';
  const draft: Draft = {
    kind: 'integration',
    id: integration.arn,
    label: canary ? `${describeCanary(path.share)}: ${integration.label}` : integration.label,
    facts: {
      type: integration.type,
      connectionType: integration.connectionType,
      timeoutMs: integration.timeoutMs,
      ...definedFields({
        uri: integration.uri,
        vpcLinkVersion: integration.vpcLinkVersion,
        port: integration.port,
      }),
    },
    ...(canary ? { variant: 'canary' as const } : {}),
  };
  let seq = 0;
  for (const one of from) seq = components.add(draft, one);
  if (integration.vpcLinkId !== undefined) seq = addVpcLink(walk, integration, seq);
  for (const service of path.cloudMapServices.filter((one) => one.integrations.includes(integration))) {
    addCloudMapService(walk, service, seq);
  }
  const entry = integrationEntry(integration);
  for (const lb of path.loadBalancers.filter((one) => !one.via && one.integrations.includes(integration))) {
    addLoadBalancer(walk, lb, entry ? [entry] : [], seq);
  }
}

function addVpcLink(walk: Walk, integration: IntegrationFacts, from: number): number {
  const linkId = integration.vpcLinkId ?? '';
  const link = walk.inventory.vpcLinks[linkId];
  const seq = walk.components.add(
    {
      kind: 'vpc-link',
      id: vpcLinkArn(walk.inventory.region, linkId),
      label: `VPC link ${link?.ok ? link.value.name : linkId} (${integration.vpcLinkVersion ?? 'V1'})`,
      ...(link?.ok
        ? {
            facts: {
              version: link.value.version,
              status: link.value.status,
              subnetIds: link.value.subnetIds,
              securityGroupIds: link.value.securityGroupIds,
            },
          }
        : {}),
    },
    from,
  );
  if (!link?.ok) walk.components.explain(seq, explanation('COMPONENT_UNREADABLE'));
  return seq;
}

/** A Cloud Map service after the link, and its registered instances (the first 50) after it. */
function addCloudMapService(walk: Walk, service: CloudMapPath, from: number): void {
  const { components, inventory } = walk;
  const read = service.service.ok ? service.service.value : undefined;
  const instances = read?.instances.ok ? read.instances.value : undefined;
  const seq = components.add(
    {
      kind: 'cloud-map-service',
      id: service.serviceArn,
      label: describeCloudMapService(service),
      ...(read
        ? {
            facts: {
              healthCheck: read.healthCheck,
              ...(instances
                ? {
                    registeredInstances: instances.length,
                    ...(instances.length > MAX_LISTED_TARGETS
                      ? { instancesNotListed: instances.length - MAX_LISTED_TARGETS }
                      : {}),
                  }
                : {}),
            },
          }
        : {}),
    },
    from,
  );
  if (!read || !instances) {
    components.explain(seq, explanation('COMPONENT_UNREADABLE'));
    return;
  }
  const { unhealthy } = instancesOf(service);
  const health = read.instanceHealth?.ok ? read.instanceHealth.value : undefined;
  for (const instance of instances.slice(0, MAX_LISTED_TARGETS)) {
    const eni = instance.networkInterface?.ok ? instance.networkInterface.value : null;
    const state = unhealthy.includes(instance)
      ? 'UNHEALTHY'
      : read.healthCheck === 'none'
        ? 'not checked'
        : (health?.[instance.id] ?? 'UNKNOWN');
    components.add(
      {
        kind: 'cloud-map-instance',
        id: instanceHopId(service.serviceArn, instance, inventory),
        label: `Cloud Map instance ${instance.id}`,
        facts: {
          health: state,
          ...definedFields({
            address: instance.ipv4,
            port: instance.port,
            subnetId: eni?.subnetId,
            zone: eni?.availabilityZone,
            securityGroupIds: eni?.securityGroupIds,
          }),
        },
      },
      seq,
    );
  }
}

/** Cross-zone at the load balancer: an ALB always balances across zones; an NLB by its attribute (off by default). */
function loadBalancerCrossZone(loadBalancer: LoadBalancerFacts): CrossZoneFacts | undefined {
  if (loadBalancer.type === 'application') return { enabled: true, source: 'load balancer default' };
  if (!loadBalancer.attributes.ok) return undefined;
  const set = loadBalancer.attributes.value[CROSS_ZONE_ATTRIBUTE];
  if (set === 'true' || set === 'false')
    return { enabled: set === 'true', source: 'load balancer attribute' };
  return { enabled: false, source: 'load balancer default' };
}

/**
 * Who connects to the load balancer: behind an NLB, what that NLB forwards; through a V1 link,
 * API Gateway over PrivateLink; through a V2 link, the link's interfaces; by its DNS name, any client.
 */
function entrySenders(path: LoadBalancerPath, inventory: Inventory): Collected<PathSenders> {
  if (path.via) {
    const known = nlbSources(path.via, path.via.targetGroup, undefined, inventory);
    return known.ok ? { ok: true, value: sendersOf(known.value) } : known;
  }
  const v1 = path.vpcLinks.filter((link) => link.version === 'V1');
  const v2 = path.vpcLinks.filter((link) => link.version === 'V2');
  const known: KnownSources = { sources: [], senders: '' };
  const described: string[] = [];
  if (v1.length > 0) {
    known.sources.push(privateLinkSource(v1));
    described.push('API Gateway through PrivateLink');
  }
  if (v2.length > 0) {
    const links = linkInterfaceSources(
      v2,
      path.loadBalancer.vpcId,
      inventory,
      (link) => link.securityGroupIds,
    );
    if (!links.ok) return links;
    known.sources.push(...links.value.sources);
    if (links.value.approximatedBecause) known.approximatedBecause = links.value.approximatedBecause;
    described.push('VPC link interfaces');
  }
  if (described.length === 0) {
    const [unreadableLink] = path.unreadableVpcLinks;
    if (unreadableLink) return { ok: false, error: unreadableLink };
    known.sources.push({ label: 'any client', cidr: '0.0.0.0/0', securityGroupIds: [] });
    described.push('clients (reached by its DNS name)');
  }
  return { ok: true, value: sendersOf({ ...known, senders: described.join(' and ') }) };
}

function addLoadBalancer(walk: Walk, path: LoadBalancerPath, entries: ListenerEntry[], from: number): void {
  const { components } = walk;
  const { loadBalancer } = path;
  const crossZone = loadBalancerCrossZone(loadBalancer);
  const lbSeq = components.add(
    {
      kind: 'load-balancer',
      id: loadBalancer.arn,
      label: describeLoadBalancer(loadBalancer),
      facts: {
        type: loadBalancer.type,
        ...definedFields({ scheme: loadBalancer.scheme, crossZone }),
        zones: loadBalancer.zones,
        securityGroupIds: loadBalancer.securityGroupIds,
      },
    },
    from,
  );
  attachSenders(walk, lbSeq, entrySenders(path, walk.inventory));
  if (!loadBalancer.listeners.ok) {
    components.explain(lbSeq, explanation('COMPONENT_UNREADABLE'));
    return;
  }
  const { reached, missing } = listenersReached(loadBalancer.listeners.value, entries);
  for (const entry of missing) {
    const seq = components.add(
      {
        kind: 'listener',
        id: `${loadBalancer.arn}|${describeEntry(entry)}`,
        label: `no listener for ${describeEntry(entry)}`,
      },
      lbSeq,
    );
    components.explain(seq, explanation('NO_LISTENER_FOR_ENTRY'));
  }
  for (const listener of reached) {
    const hop = path.listeners.find((one) => one.listener.arn === listener.arn);
    addListener(walk, path, listener, hop, lbSeq);
  }
}

function addListener(
  walk: Walk,
  path: LoadBalancerPath,
  listener: ListenerFacts,
  hop: ListenerHop | undefined,
  from: number,
): void {
  const { components } = walk;
  const seq = components.add(
    {
      kind: 'listener',
      id: listener.arn,
      label: `listener ${listener.protocol}:${listener.port}`,
      facts: {
        protocol: listener.protocol,
        port: listener.port,
        certificateArns: listener.certificateArns ?? [],
      },
    },
    from,
  );
  // Behind an NLB that ends TLS itself, the name the ALB is sent is unknown: not judged there.
  if (!path.via || tlsPassesThrough(path.via)) {
    const sending = integrationsInto(path, listener);
    for (const code of tlsExplanations(listener, sending, walk.inventory.certificates ?? {}))
      components.explain(seq, explanation(code));
  }
  if (!hop) return;
  if (hop.routing.rulesUnreadable) components.explain(seq, explanation('COMPONENT_UNREADABLE'));
  const priorities = [...new Set(hop.routing.groups.map((group) => group.rule))];
  for (const priority of priorities) addRule(walk, path, hop, ruleOf(listener, priority), seq);
}

/** The rule of that priority as DescribeRules read it, or the listener's default action. */
function ruleOf(listener: ListenerFacts, priority: string): ListenerRuleFacts {
  const read = listener.rules?.ok
    ? listener.rules.value.find((rule) => rule.priority === priority)
    : undefined;
  return (
    read ?? {
      arn: `${listener.arn}|default`,
      priority: 'default',
      isDefault: true,
      conditions: [],
      actionType: 'forward',
      forward: listener.defaultForward ?? listener.targetGroupArns.map((arn) => ({ arn, weight: 1 })),
    }
  );
}

function addRule(
  walk: Walk,
  path: LoadBalancerPath,
  hop: ListenerHop,
  rule: ListenerRuleFacts,
  from: number,
): void {
  const { components } = walk;
  const seq = components.add(
    {
      kind: 'rule',
      id: rule.arn,
      label: rule.isDefault ? 'default rule' : `rule ${rule.priority}`,
      facts: {
        priority: rule.priority,
        conditions: rule.conditions,
        actionType: rule.actionType,
        forward: rule.forward,
      },
    },
    from,
  );
  const requests = requestsInto(path, hop.listener, walk.path.stage);
  const undecided = (requests.length > 0 ? requests : [{}]).some(
    (request) => ruleMatch(rule, request) === 'unknown',
  );
  if (undecided) components.explain(seq, explanation('RULE_MAY_MATCH'));
  const idle = hop.routing.skipped.filter(
    (group) => group.rule === rule.priority && group.reason === 'weight-zero',
  );
  if (idle.length > 0)
    components.explain(
      seq,
      explanation(
        'WEIGHT_ZERO',
        idle.map((group) => group.arn),
      ),
    );
  for (const routed of hop.routing.groups.filter((group) => group.rule === rule.priority)) {
    const group = path.targetGroups.find((one) => one.targetGroup.arn === routed.arn);
    if (group) addTargetGroup(walk, path, group, routed.weight, seq);
  }
}

function targetGroupFacts(group: TargetGroupFacts, loadBalancer: LoadBalancerFacts, weight: number) {
  const attributes = group.attributes.ok ? group.attributes.value : {};
  const crossZone = effectiveCrossZone(loadBalancer, group);
  return {
    protocol: group.protocol,
    port: group.port,
    targetType: group.targetType,
    weight,
    // An ALB ends the client's connection and opens its own: only an NLB can preserve the client IP.
    preserveClientIp: loadBalancer.type === 'network' && preservesClientIp(group),
    proxyProtocolV2: attributes['proxy_protocol_v2.enabled'] === 'true',
    ...(group.healthCheck
      ? { healthCheck: { protocol: group.healthCheck.protocol, port: group.healthCheck.port } }
      : {}),
    ...(crossZone.ok ? { crossZone: crossZone.value } : {}),
    ...(group.targets.ok ? { registeredTargets: group.targets.value.length } : {}),
    ...(group.targets.ok && group.targets.value.length > MAX_LISTED_TARGETS
      ? { targetsNotListed: group.targets.value.length - MAX_LISTED_TARGETS }
      : {}),
  };
}

function addTargetGroup(
  walk: Walk,
  path: LoadBalancerPath,
  hop: TargetGroupHop,
  weight: number,
  from: number,
): void {
  const { components } = walk;
  const group = hop.targetGroup;
  const seq = components.add(
    {
      kind: 'target-group',
      id: group.arn,
      label: `target group ${group.name}`,
      rule: hop.rule,
      facts: targetGroupFacts(group, path.loadBalancer, weight),
    },
    from,
  );
  if (hop.certainty === 'may-reach') components.explain(seq, explanation('RULE_MAY_MATCH'));
  if (!group.attributes.ok) components.explain(seq, explanation('COMPONENT_UNREADABLE'));
  if (!hop.targets.ok) {
    components.explain(seq, explanation('COMPONENT_UNREADABLE'));
    return;
  }
  if (group.targetType === 'alb') {
    // The ALB is the target: it is followed as a load balancer. One level deep: an ALB has no `alb` targets.
    if (path.via) return;
    for (const behind of walk.path.loadBalancers.filter((one) => one.via?.targetGroup.arn === group.arn)) {
      addLoadBalancer(walk, behind, behind.entries, seq);
    }
    return;
  }
  for (const target of hop.targets.value.slice(0, MAX_LISTED_TARGETS))
    addTarget(walk, path, group, target, seq);
}

/** Who connects to a target: an NLB's senders (client IP preservation, cross-zone), or the ALB's nodes. */
function targetSenders(
  walk: Walk,
  path: LoadBalancerPath,
  group: TargetGroupFacts,
  zone: string | undefined,
): Collected<PathSenders> {
  const key = `${path.loadBalancer.arn}|${group.arn}|${zone ?? ''}`;
  const kept = walk.targetSenders.get(key);
  if (kept) return kept;
  const { loadBalancer } = path;
  let senders: Collected<PathSenders>;
  if (loadBalancer.type === 'network') {
    const known = nlbSources(path, group, zone, walk.inventory);
    senders = known.ok ? { ok: true, value: sendersOf(known.value) } : known;
  } else {
    const crossZone = effectiveCrossZone(loadBalancer, group);
    const sameZone = crossZone.ok && !crossZone.value.enabled ? zone : undefined;
    const nodes = loadBalancerNodes(loadBalancer, walk.inventory, sameZone);
    const description = `${describeLoadBalancer(loadBalancer)} nodes${sameZone ? ` in ${sameZone} (cross-zone off)` : ''}`;
    senders = nodes.ok ? { ok: true, value: sendersOf({ ...nodes.value, senders: description }) } : nodes;
  }
  walk.targetSenders.set(key, senders);
  return senders;
}

function addTarget(
  walk: Walk,
  path: LoadBalancerPath,
  group: TargetGroupFacts,
  resolved: ResolvedTarget,
  from: number,
): void {
  const { target, host } = resolved;
  const placed = host.ok && host.value !== null && host.value !== 'outside' ? host.value : undefined;
  const id =
    group.targetType === 'instance'
      ? instanceArn(walk.inventory.region, walk.inventory.account, target.id)
      : (placed?.resource.resourceArn ?? target.id);
  const seq = walk.components.add(
    {
      kind: 'target',
      id,
      label: `target ${target.id}:${resolved.port}`,
      facts: {
        port: resolved.port,
        zones: resolved.zones,
        state: target.state,
        ...definedFields({ reason: target.reason }),
        ...(placed
          ? { address: placed.address, subnetId: placed.subnetId, securityGroupIds: placed.securityGroupIds }
          : {}),
      },
    },
    from,
  );
  if (!host.ok) walk.components.explain(seq, explanation('COMPONENT_UNREADABLE'));
  if (group.targetType === 'lambda') return;
  const [zone] = resolved.zones.filter((one) => one !== 'all');
  attachSenders(walk, seq, targetSenders(walk, path, group, resolved.zones.length === 1 ? zone : undefined));
}

/**
 * The path's problems on the components they are about: a load balancer's on it, a vanished load
 * balancer's on the integrations that still send to it, any other on the component it names, else on
 * the stage (or canary) where the path starts.
 */
function explainProblems(walk: Walk, start: number): void {
  const { components, path } = walk;
  const place = (problem: CheckResult, fallback: number) => {
    const code = problem.evidence?.explanation;
    if (!isExplanationCode(code)) return;
    const gone = path.vanished.find((one) => one.arn === problem.resourceArn);
    const seqs = gone
      ? gone.integrations.flatMap((integration) => components.seqOf(integration.arn) ?? [])
      : [components.seqOf(problem.resourceArn) ?? fallback];
    for (const seq of seqs) components.explain(seq, explanation(code));
  };
  for (const problem of path.problems) place(problem, start);
  for (const lb of path.loadBalancers) {
    const lbSeq = components.seqOf(lb.loadBalancer.arn) ?? start;
    for (const problem of lb.targetGroupProblems) place(problem, lbSeq);
  }
}

/**
 * The path the audit followed for one stage, as Reachability Analyzer lists a path's components:
 * numbered components, each naming where traffic came from, so a reader can see why a resource was
 * (or was not) blamed. The stage's own path and its canary's are merged: a component appears once
 * however many paths cross it.
 */
export function auditedPath(stage: StageInventory, inventory: Inventory): PathHop[] {
  const merged: PathHop[] = [];
  const byKey = new Map<string, PathHop>();
  for (const path of stagePaths(inventory).filter((candidate) => candidate.stage === stage)) {
    // Numbered first, linked after: a component may be reached from one added after it (a second
    // integration into the same VPC link), whose number is known only once every one is kept.
    const renumbered = new Map<number, number>();
    const kept = componentsOf(path, inventory).map((hop) => {
      const key = hopKey(hop, renumbered.get(hop.from[0] ?? 0));
      let into = byKey.get(key);
      if (!into) {
        into = { ...hop, seq: merged.length + 1, from: [] };
        merged.push(into);
        byKey.set(key, into);
      } else {
        mergeInto(into, hop);
      }
      renumbered.set(hop.seq, into.seq);
      return { hop, into };
    });
    for (const { hop, into } of kept) {
      for (const seq of hop.from.flatMap((from) => renumbered.get(from) ?? [])) {
        if (!into.from.includes(seq)) into.from.push(seq);
      }
    }
  }
  return merged;
}

/** A component both paths cross keeps every explanation either found there. */
function mergeInto(kept: PathHop, hop: PathHop): void {
  for (const added of hop.explanations ?? []) {
    const known = kept.explanations ?? [];
    if (!known.some((one) => one.explanationCode === added.explanationCode))
      kept.explanations = [...known, added];
  }
  // The stage's own share is the main path's; a stage crossed by the canary only keeps none.
  if (hop.share !== undefined && kept.share === undefined && hop.kind === 'stage') kept.share = hop.share;
}
