/**
 * Follows an audited stage to the load balancers behind it:
 * stage -> integrations -> VPC link -> load balancers -> target groups -> targets.
 * Every step that cannot be followed becomes an ERROR result naming the AWS action; a stage
 * that leads to no load balancer becomes one SKIPPED result, so a load balancer check never
 * passes for a stage it could not look behind.
 */
import { vpcLinkArn } from '../domain/arns';
import {
  albsBehind,
  describeEntry,
  integrationEntry,
  type ListenerEntry,
  listenersReached,
  listenerTargetGroupArns,
  uniqueEntries,
} from '../domain/path';
import type {
  CheckResult,
  CollectionError,
  IntegrationFacts,
  Inventory,
  LoadBalancerFacts,
  PathHop,
  StageInventory,
  StageKey,
  TargetFacts,
  TargetGroupFacts,
  VpcLinkFacts,
} from '../domain/types';
import {
  couldNotRead,
  integrationResourceType,
  integrationsUnreadable,
  lookup,
  notApplicable,
  plural,
  RESOURCE_TYPES,
  stageKeyOf,
  stageLabel,
  stageResource,
  vpcLinkResourceType,
} from './results';

export interface LoadBalancerPath {
  loadBalancer: LoadBalancerFacts;
  /** The stage's integrations that lead to this load balancer (through `via` when set). */
  integrations: IntegrationFacts[];
  /** Where the traffic enters the load balancer: the listeners or ports it is sent to. */
  entries: ListenerEntry[];
  /**
   * Set for an ALB reached through an NLB's `alb` target group (the NLB forwards on the group's port),
   * with the VPC links that send to that NLB.
   */
  via?: { loadBalancer: LoadBalancerFacts; targetGroup: TargetGroupFacts; vpcLinks: VpcLinkFacts[] };
  /** The VPC links those integrations go through. */
  vpcLinks: VpcLinkFacts[];
  /** VPC links of those integrations that could not be read (the load balancer was reached another way). */
  unreadableVpcLinks: CollectionError[];
  apis: StageKey[];
}

export interface Followed<T> {
  reached: T[];
  problems: CheckResult[];
}

/** A load balancer the integrations still send to but that no longer exists. */
export interface VanishedLoadBalancer {
  arn: string;
  integrations: IntegrationFacts[];
  error: CollectionError;
}

/** Error codes that mean the resource is gone, not that it could not be read. */
const GONE_CODES = new Set(['NotFound', 'LoadBalancerNotFound', 'ListenerNotFound', 'TargetGroupNotFound']);
export const isGone = (error: CollectionError): boolean =>
  GONE_CODES.has(error.code.replace(/Exception$/, ''));

export const vanishedMessage = (vanished: VanishedLoadBalancer): string =>
  `load balancer ${vanished.arn} no longer exists (${vanished.error.code}), yet ${vanished.integrations.map((i) => `integration ${i.label}`).join(', ')} still sends to it`;

export const loadBalancerResource = (loadBalancer: { arn: string }) => ({
  resourceArn: loadBalancer.arn,
  resourceType: RESOURCE_TYPES.loadBalancer,
});

export const targetGroupResource = (targetGroup: { arn: string }) => ({
  resourceArn: targetGroup.arn,
  resourceType: RESOURCE_TYPES.targetGroup,
});

export const integrationResource = (stage: StageInventory, integration: IntegrationFacts) => ({
  resourceArn: integration.arn,
  resourceType: integrationResourceType(stage.stage.apiType),
});

export const describeLoadBalancer = (loadBalancer: LoadBalancerFacts): string =>
  `${loadBalancer.type === 'network' ? 'NLB' : loadBalancer.type === 'application' ? 'ALB' : 'GWLB'} ${loadBalancer.name}`;

interface Accumulating {
  integrations: IntegrationFacts[];
  entries: ListenerEntry[];
  vpcLinks: Map<string, VpcLinkFacts>;
  unreadableVpcLinks: CollectionError[];
}

export function followStageToLoadBalancers(
  stage: StageInventory,
  inventory: Inventory,
): Followed<LoadBalancerPath> & { vanished: VanishedLoadBalancer[] } {
  const apis = [stageKeyOf(stage)];
  if (!stage.integrations.ok) {
    return { reached: [], problems: [integrationsUnreadable(stage, stage.integrations.error)], vanished: [] };
  }
  const problems: CheckResult[] = [];
  const vanished: VanishedLoadBalancer[] = [];
  const byLoadBalancer = new Map<string, Accumulating>();
  for (const integration of stage.integrations.value) {
    if (integration.pathError) {
      problems.push(
        couldNotRead(
          integrationResource(stage, integration),
          apis,
          `the path behind integration ${integration.label}`,
          integration.pathError,
        ),
      );
    }
    const arns = new Set([
      ...integration.loadBalancerArns,
      ...(integration.integrationTarget ? [integration.integrationTarget] : []),
    ]);
    let vpcLink: VpcLinkFacts | undefined;
    let unreadableLink: CollectionError | undefined;
    if (integration.vpcLinkId) {
      const link = lookup(inventory.vpcLinks, integration.vpcLinkId, 'apigateway:GET');
      if (link.ok) {
        vpcLink = link.value;
        for (const arn of link.value.targetArns) arns.add(arn);
      } else if (arns.size > 0) {
        // An HTTP API names its listener itself: the link is not needed to reach the load balancer
        // (vpc-link-status reports the unreadable link).
        unreadableLink = link.error;
      } else {
        const resource = {
          resourceArn: vpcLinkArn(inventory.region, integration.vpcLinkId),
          resourceType: vpcLinkResourceType(integration.vpcLinkVersion),
        };
        problems.push(couldNotRead(resource, apis, `VPC link ${integration.vpcLinkId}`, link.error));
      }
    }
    for (const arn of arns) {
      const entry: Accumulating = byLoadBalancer.get(arn) ?? {
        integrations: [],
        entries: [],
        vpcLinks: new Map(),
        unreadableVpcLinks: [],
      };
      entry.integrations.push(integration);
      const listenerEntry = integrationEntry(integration);
      if (listenerEntry) entry.entries.push(listenerEntry);
      if (vpcLink) entry.vpcLinks.set(vpcLink.id, vpcLink);
      if (unreadableLink) entry.unreadableVpcLinks.push(unreadableLink);
      byLoadBalancer.set(arn, entry);
    }
  }
  if (byLoadBalancer.size === 0 && problems.length === 0) {
    const kinds = stage.integrations.value.map((integration) => `${integration.label} (${integration.type})`);
    const reason =
      `no integration of ${stageLabel(stage.stage)} goes through a VPC link to a load balancer ` +
      `(${plural(kinds.length, 'integration')}${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''})`;
    return { reached: [], problems: [notApplicable(stageResource(stage.stage), apis, reason)], vanished };
  }
  const reached: LoadBalancerPath[] = [];
  for (const [arn, entry] of byLoadBalancer) {
    const loadBalancer = lookup(inventory.loadBalancers, arn, 'elasticloadbalancing:DescribeLoadBalancers');
    if (loadBalancer.ok) {
      reached.push({
        loadBalancer: loadBalancer.value,
        integrations: entry.integrations,
        entries: uniqueEntries(entry.entries),
        vpcLinks: [...entry.vpcLinks.values()],
        unreadableVpcLinks: entry.unreadableVpcLinks,
        apis,
      });
    } else if (isGone(loadBalancer.error)) {
      // The diagnosis itself, reported once by integration-listener; the other checks have nothing to judge.
      const gone = { arn, integrations: entry.integrations, error: loadBalancer.error };
      vanished.push(gone);
      problems.push(
        notApplicable(
          loadBalancerResource({ arn }),
          apis,
          `${vanishedMessage(gone)}: integration-listener reports it`,
        ),
      );
    } else {
      problems.push(
        couldNotRead(loadBalancerResource({ arn }), apis, 'the load balancer', loadBalancer.error),
      );
    }
  }
  const behind = reached.flatMap((path) => followAlbTargets(path, inventory));
  return {
    reached: [...reached, ...behind.flatMap((b) => b.reached)],
    problems: [...problems, ...behind.flatMap((b) => b.problems)],
    vanished,
  };
}

/**
 * The ALBs an NLB's `alb` target groups forward to, as paths of their own entered on the group's
 * port. An ALB cannot itself have `alb` targets, so this goes one level deep.
 */
function followAlbTargets(path: LoadBalancerPath, inventory: Inventory): Followed<LoadBalancerPath>[] {
  if (path.loadBalancer.type !== 'network') return [];
  const { reached: targetGroups } = followToTargetGroups(path, inventory);
  return targetGroups.flatMap((targetGroup) =>
    albsBehind(targetGroup).map(({ loadBalancerArn, entry }): Followed<LoadBalancerPath> => {
      const alb = lookup(
        inventory.loadBalancers,
        loadBalancerArn,
        'elasticloadbalancing:DescribeLoadBalancers',
      );
      if (!alb.ok) {
        return {
          reached: [],
          problems: [
            couldNotRead(
              loadBalancerResource({ arn: loadBalancerArn }),
              path.apis,
              'the load balancer',
              alb.error,
            ),
          ],
        };
      }
      return {
        reached: [
          {
            loadBalancer: alb.value,
            integrations: path.integrations,
            entries: [entry],
            via: { loadBalancer: path.loadBalancer, targetGroup, vpcLinks: path.vpcLinks },
            vpcLinks: [],
            unreadableVpcLinks: path.unreadableVpcLinks,
            apis: path.apis,
          },
        ],
        problems: [],
      };
    }),
  );
}

/** Runs `evaluate` for every load balancer behind every stage; path problems come out as results. */
export function evaluateLoadBalancers(
  stages: readonly StageInventory[],
  inventory: Inventory,
  evaluate: (path: LoadBalancerPath) => CheckResult[],
): CheckResult[] {
  return stages.flatMap((stage) => {
    const { reached, problems } = followStageToLoadBalancers(stage, inventory);
    return [...problems, ...reached.flatMap(evaluate)];
  });
}

/** Runs `evaluate` only for load balancers of `type`; the others get SKIPPED with the reason. */
export function evaluateLoadBalancersOfType(
  stages: readonly StageInventory[],
  inventory: Inventory,
  type: LoadBalancerFacts['type'],
  evaluate: (path: LoadBalancerPath) => CheckResult[],
): CheckResult[] {
  const wanted = type === 'network' ? 'network load balancers (NLB)' : 'application load balancers (ALB)';
  return evaluateLoadBalancers(stages, inventory, (path) =>
    path.loadBalancer.type === type
      ? evaluate(path)
      : [
          notApplicable(
            loadBalancerResource(path.loadBalancer),
            path.apis,
            `${describeLoadBalancer(path.loadBalancer)} is a ${path.loadBalancer.type} load balancer: this check applies to ${wanted} only`,
          ),
        ],
  );
}

/** `NLB orders-nlb`, or `ALB web-alb (behind NLB front-nlb)` for an ALB reached through an NLB. */
export const describeHop = (path: LoadBalancerPath): string =>
  path.via
    ? `${describeLoadBalancer(path.loadBalancer)} (behind ${describeLoadBalancer(path.via.loadBalancer)})`
    : describeLoadBalancer(path.loadBalancer);

/**
 * The target groups the traffic reaches: those the reached listeners forward to (default action
 * and rules). A load balancer's other target groups are not on the path. When no listener answers
 * the entries, the path ends there (integration-listener reports it): SKIPPED, not a pass.
 */
export function followToTargetGroups(
  path: LoadBalancerPath,
  inventory: Inventory,
): Followed<TargetGroupFacts> {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  if (!loadBalancer.listeners.ok) {
    return {
      reached: [],
      problems: [
        couldNotRead(resource, apis, `the listeners of ${describeHop(path)}`, loadBalancer.listeners.error),
      ],
    };
  }
  const { reached: listeners } = listenersReached(loadBalancer.listeners.value, path.entries);
  if (listeners.length === 0) {
    const sentTo = path.entries.map(describeEntry).join(', ') || 'no listener or port';
    return {
      reached: [],
      problems: [
        notApplicable(
          resource,
          apis,
          `no listener of ${describeHop(path)} answers what the integrations send to (${sentTo}): the path ends before any target group`,
        ),
      ],
    };
  }
  const problems: CheckResult[] = [];
  for (const listener of listeners) {
    if (listener.ruleTargetGroupArns && !listener.ruleTargetGroupArns.ok) {
      problems.push(
        couldNotRead(
          resource,
          apis,
          `the rules of listener ${listener.protocol}:${listener.port} of ${describeHop(path)}`,
          listener.ruleTargetGroupArns.error,
        ),
      );
    }
  }
  const reached: TargetGroupFacts[] = [];
  for (const arn of [...new Set(listeners.flatMap(listenerTargetGroupArns))]) {
    const targetGroup = lookup(inventory.targetGroups, arn, 'elasticloadbalancing:DescribeTargetGroups');
    if (targetGroup.ok) reached.push(targetGroup.value);
    else
      problems.push(couldNotRead(targetGroupResource({ arn }), apis, 'the target group', targetGroup.error));
  }
  if (reached.length === 0 && problems.length === 0) {
    const described = listeners.map((listener) => `${listener.protocol}:${listener.port}`).join(', ');
    problems.push(
      notApplicable(
        resource,
        apis,
        `listener ${described} of ${describeHop(path)} forwards to no target group`,
      ),
    );
  }
  return { reached, problems };
}

/** Runs `evaluate` for every target group of every load balancer of the given paths. */
export function evaluateTargetGroups(
  path: LoadBalancerPath,
  inventory: Inventory,
  evaluate: (targetGroup: TargetGroupFacts) => CheckResult[],
): CheckResult[] {
  const { reached, problems } = followToTargetGroups(path, inventory);
  return [...problems, ...reached.flatMap(evaluate)];
}

/**
 * The zones a target serves: its own, else its instance's; an ALB target (an NLB's `alb` target
 * group) serves the zones its ALB is enabled in. `all` marks an IP target outside the VPC, or an ALB
 * that could not be read. Empty when nothing is known.
 */
export function targetZones(
  target: TargetFacts,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
): string[] {
  if (targetGroup.targetType === 'alb') {
    const alb = inventory.loadBalancers[target.id];
    return alb?.ok ? alb.value.zones.map((zone) => zone.zoneName) : ['all'];
  }
  if (target.availabilityZone) return [target.availabilityZone];
  const instance = inventory.instances[target.id];
  return instance?.ok ? [instance.value.availabilityZone] : [];
}

/**
 * The path the audit followed for one stage, as Reachability Analyzer lists a path's components:
 * numbered hops, each naming where traffic came from, so a reader can see why a resource was (or
 * was not) blamed. A hop appears once however many routes cross it.
 */
export function auditedPath(stage: StageInventory, inventory: Inventory): PathHop[] {
  const hops: PathHop[] = [];
  const add = (kind: PathHop['kind'], id: string, label: string, from: number | undefined): number => {
    let hop = hops.find((candidate) => candidate.kind === kind && candidate.id === id);
    if (!hop) {
      hop = { seq: hops.length + 1, kind, id, label, from: [] };
      hops.push(hop);
    }
    if (from !== undefined && !hop.from.includes(from)) hop.from.push(from);
    return hop.seq;
  };
  const { reached } = followStageToLoadBalancers(stage, inventory);
  const direct = reached.filter((path) => !path.via);
  for (const integration of stage.integrations.ok ? stage.integrations.value : []) {
    const start = add('integration', integration.arn, integration.label, undefined);
    const link = integration.vpcLinkId ? inventory.vpcLinks[integration.vpcLinkId] : undefined;
    const linkHop =
      integration.vpcLinkId !== undefined
        ? add(
            'vpc-link',
            integration.vpcLinkId,
            `VPC link ${link?.ok ? link.value.name : integration.vpcLinkId} (${integration.vpcLinkVersion ?? 'V1'})`,
            start,
          )
        : start;
    for (const path of direct.filter((candidate) => candidate.integrations.includes(integration))) {
      const entry = integrationEntry(integration);
      addLoadBalancerHops(add, path, entry ? [entry] : [], linkHop, reached, inventory);
    }
  }
  return hops;
}

type AddHop = (kind: PathHop['kind'], id: string, label: string, from: number | undefined) => number;

function addLoadBalancerHops(
  add: AddHop,
  path: LoadBalancerPath,
  entries: ListenerEntry[],
  from: number,
  all: LoadBalancerPath[],
  inventory: Inventory,
): void {
  const { loadBalancer } = path;
  const lbHop = add('load-balancer', loadBalancer.arn, describeLoadBalancer(loadBalancer), from);
  if (!loadBalancer.listeners.ok) return;
  const { reached, missing } = listenersReached(loadBalancer.listeners.value, entries);
  for (const entry of missing)
    add(
      'listener',
      `${loadBalancer.arn}|${describeEntry(entry)}`,
      `no listener for ${describeEntry(entry)}`,
      lbHop,
    );
  for (const listener of reached) {
    const listenerHop = add(
      'listener',
      listener.arn,
      `listener ${listener.protocol}:${listener.port}`,
      lbHop,
    );
    for (const arn of listenerTargetGroupArns(listener)) {
      const group = inventory.targetGroups[arn];
      const groupHop = add(
        'target-group',
        arn,
        `target group ${group?.ok ? group.value.name : arn}`,
        listenerHop,
      );
      for (const behind of all.filter((candidate) => candidate.via?.targetGroup.arn === arn)) {
        addLoadBalancerHops(add, behind, behind.entries, groupHop, all, inventory);
      }
    }
  }
}
