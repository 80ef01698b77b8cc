/**
 * The path model: for each audited stage, one `StagePath` built once from what the collector read,
 * in traffic order: stage -> integrations -> VPC link -> load balancers -> listeners -> rules ->
 * target groups -> targets (resolved once), and on into an ALB behind an NLB. Every step that
 * cannot be followed is a problem (ERROR naming the AWS action, or SKIPPED where the path ends) on
 * the component it stops at; a stage that leads to no load balancer is one SKIPPED problem, so no
 * load balancer check passes for a stage it could not look behind. Checks read this; none walks.
 */
import { vpcLinkArn } from '../domain/arns';
import {
  albsBehind,
  describeEntry,
  integrationEntry,
  type ListenerEntry,
  listenersReached,
  uniqueEntries,
} from '../domain/path';
import type {
  CheckResult,
  Collected,
  CollectionError,
  IntegrationFacts,
  Inventory,
  ListenerFacts,
  LoadBalancerFacts,
  StageInventory,
  StageKey,
  TargetGroupFacts,
  VpcLinkFacts,
} from '../domain/types';
import {
  type CloudMapPath,
  cloudMapInsteadOfLoadBalancer,
  followToCloudMap,
  isCloudMapIntegration,
} from './cloud-map';
import { explained } from './explanations';
import {
  type KnownRequest,
  knownRequests,
  type ListenerRouting,
  mergeRoutings,
  routeThroughListener,
} from './listeners';
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
} from './resources';
import { type ResolvedTarget, resolveTarget } from './targets';

/** A target group on the path, as the listener's rules reach it, with its targets resolved once. */
export interface TargetGroupHop {
  targetGroup: TargetGroupFacts;
  /** `may-reach`: a rule whose conditions the client decides stands before it (or forwards to it). */
  certainty: 'reaches' | 'may-reach';
  /** Why it only may be reached. */
  because?: string;
  /** The rule that forwards to it: `default` or its priority. */
  rule: string;
  /** Its registered targets, each resolved to its host, zones and port; the error when they could not be read. */
  targets: Collected<ResolvedTarget[]>;
}

/** A listener the traffic reaches and where its rules send it. */
export interface ListenerHop {
  listener: ListenerFacts;
  routing: ListenerRouting;
}

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
  /** Set on a canary's path: the share (0-1) of the stage's requests the canary sends this way. */
  canaryShare?: number;
  /** The listeners the entries reach (empty when none answers or they could not be read). */
  listeners: ListenerHop[];
  /** The target groups those listeners forward the traffic to (weight 0 and unmatched rules left out). */
  targetGroups: TargetGroupHop[];
  /** Why the path stops before (or among) the target groups: ERROR or SKIPPED, on the component it stops at. */
  targetGroupProblems: CheckResult[];
}

/** One traffic path of a stage: the stage's own, or its canary's, each with its share of the requests. */
export interface StagePath {
  stage: StageInventory;
  apis: StageKey[];
  /** `main`, or `canary` for a REST stage's canary deployment. */
  variant: 'main' | 'canary';
  /** Share of the stage's requests on this path, 0-1. */
  share: number;
  /** The integrations this path sends through: the stage's own, or its canary's. */
  integrations: Collected<IntegrationFacts[]>;
  /** The load balancers reached, direct ones first, then ALBs behind NLBs. */
  loadBalancers: LoadBalancerPath[];
  /** The Cloud Map services reached through V2 links (HTTP API private integrations). */
  cloudMapServices: CloudMapPath[];
  /** Why the path could not be followed to a load balancer (ERROR or SKIPPED results, explained). */
  problems: CheckResult[];
  /** Load balancers the integrations still send to that no longer exist. */
  vanished: VanishedLoadBalancer[];
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

/** What one path of a stage sends: the stage's integrations, or its canary's with the canary's share. */
interface PathSource {
  integrations: Collected<IntegrationFacts[]>;
  canaryShare?: number;
}

function followStageToLoadBalancers(
  stage: StageInventory,
  source: PathSource,
  inventory: Inventory,
): Followed<LoadBalancerPath> & { vanished: VanishedLoadBalancer[] } {
  const apis = [stageKeyOf(stage)];
  const { integrations, canaryShare } = source;
  if (!integrations.ok) {
    const unreadable = integrationsUnreadable(stage, integrations.error);
    return { reached: [], problems: [explained('COMPONENT_UNREADABLE', unreadable)], vanished: [] };
  }
  const problems: CheckResult[] = [];
  const vanished: VanishedLoadBalancer[] = [];
  const byLoadBalancer = new Map<string, Accumulating>();
  for (const integration of integrations.value) {
    if (integration.pathError) {
      const subject = `the path behind integration ${integration.label}`;
      const unreadable = couldNotRead(
        integrationResource(stage, integration),
        apis,
        subject,
        integration.pathError,
      );
      problems.push(explained('COMPONENT_UNREADABLE', unreadable));
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
        problems.push(
          explained(
            'COMPONENT_UNREADABLE',
            couldNotRead(resource, apis, `VPC link ${integration.vpcLinkId}`, link.error),
          ),
        );
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
    return { reached: [], problems: [noLoadBalancer(stage, integrations.value, inventory, apis)], vanished };
  }
  const reached: LoadBalancerPath[] = [];
  for (const [arn, entry] of byLoadBalancer) {
    const loadBalancer = lookup(inventory.loadBalancers, arn, 'elasticloadbalancing:DescribeLoadBalancers');
    if (loadBalancer.ok) {
      reached.push(
        followToTargetGroups(
          {
            loadBalancer: loadBalancer.value,
            integrations: entry.integrations,
            entries: uniqueEntries(entry.entries),
            vpcLinks: [...entry.vpcLinks.values()],
            unreadableVpcLinks: entry.unreadableVpcLinks,
            apis,
            ...(canaryShare !== undefined ? { canaryShare } : {}),
          },
          stage,
          inventory,
        ),
      );
    } else if (isGone(loadBalancer.error)) {
      // The diagnosis itself, reported once by integration-listener; the other checks have nothing to judge.
      const gone = { arn, integrations: entry.integrations, error: loadBalancer.error };
      vanished.push(gone);
      problems.push(
        explained(
          'LOAD_BALANCER_GONE',
          notApplicable(
            loadBalancerResource({ arn }),
            apis,
            `${vanishedMessage(gone)}: integration-listener reports it`,
          ),
        ),
      );
    } else {
      problems.push(
        explained(
          'COMPONENT_UNREADABLE',
          couldNotRead(loadBalancerResource({ arn }), apis, 'the load balancer', loadBalancer.error),
        ),
      );
    }
  }
  const behind = reached.flatMap((path) => followAlbTargets(path, stage, inventory));
  return {
    reached: [...reached, ...behind.flatMap((b) => b.reached)],
    problems: [...problems, ...behind.flatMap((b) => b.problems)],
    vanished,
  };
}

/**
 * Why a stage leads to no load balancer. Integrations through V2 links to Cloud Map services lead
 * to its instances instead (lambda/path/cloud-map.ts): say so, not "no link".
 */
function noLoadBalancer(
  stage: StageInventory,
  integrations: IntegrationFacts[],
  inventory: Inventory,
  apis: StageKey[],
): CheckResult {
  const throughLinks = integrations.filter((integration) => integration.vpcLinkId !== undefined);
  if (throughLinks.length > 0) {
    const described = throughLinks.map((integration) => {
      const link = integration.vpcLinkId ? inventory.vpcLinks[integration.vpcLinkId] : undefined;
      const name = link?.ok ? link.value.name : integration.vpcLinkId;
      return `${integration.label} through VPC link ${name} to ${integration.uri ?? 'a service'}`;
    });
    if (throughLinks.every(isCloudMapIntegration))
      return cloudMapInsteadOfLoadBalancer(stage, described, apis);
    const reason = `the integrations of ${stageLabel(stage.stage)} go through a VPC link to no load balancer (${described.join(', ')}): the link itself is judged by vpc-link-status`;
    return explained('NO_LOAD_BALANCER_BEHIND_LINK', notApplicable(stageResource(stage.stage), apis, reason));
  }
  const kinds = integrations.map((integration) => `${integration.label} (${integration.type})`);
  const reason =
    `no integration of ${stageLabel(stage.stage)} goes through a VPC link to a load balancer ` +
    `(${plural(kinds.length, 'integration')}${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''})`;
  return explained('NO_LOAD_BALANCER', notApplicable(stageResource(stage.stage), apis, reason));
}

/**
 * The ALBs an NLB's `alb` target groups forward to, as paths of their own entered on the group's
 * port. An ALB cannot itself have `alb` targets, so this goes one level deep.
 */
function followAlbTargets(
  path: LoadBalancerPath,
  stage: StageInventory,
  inventory: Inventory,
): Followed<LoadBalancerPath>[] {
  if (path.loadBalancer.type !== 'network') return [];
  return path.targetGroups.flatMap(({ targetGroup }) =>
    albsBehind(targetGroup).map(({ loadBalancerArn, entry }): Followed<LoadBalancerPath> => {
      const alb = lookup(
        inventory.loadBalancers,
        loadBalancerArn,
        'elasticloadbalancing:DescribeLoadBalancers',
      );
      if (!alb.ok) {
        const resource = loadBalancerResource({ arn: loadBalancerArn });
        return {
          reached: [],
          problems: [
            explained(
              'COMPONENT_UNREADABLE',
              couldNotRead(resource, path.apis, 'the load balancer', alb.error),
            ),
          ],
        };
      }
      const behind = {
        loadBalancer: alb.value,
        integrations: path.integrations,
        entries: [entry],
        via: { loadBalancer: path.loadBalancer, targetGroup, vpcLinks: path.vpcLinks },
        vpcLinks: [],
        unreadableVpcLinks: path.unreadableVpcLinks,
        apis: path.apis,
        ...(path.canaryShare !== undefined ? { canaryShare: path.canaryShare } : {}),
      };
      return { reached: [followToTargetGroups(behind, stage, inventory)], problems: [] };
    }),
  );
}

/** `10%`: a canary's share of the stage's requests. */
const percentOf = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** `canary (10% of requests)`: how a canary's path is named wherever it is described. */
export const describeCanary = (share: number): string => `canary (${percentOf(share)} of requests)`;

/**
 * `NLB orders-nlb`, or `ALB web-alb (behind NLB front-nlb)` for an ALB reached through an NLB; on a
 * canary's path, `NLB orders-nlb on the canary (10% of requests)`.
 */
export function describeHop(path: Pick<LoadBalancerPath, 'loadBalancer' | 'via' | 'canaryShare'>): string {
  const hop = path.via
    ? `${describeLoadBalancer(path.loadBalancer)} (behind ${describeLoadBalancer(path.via.loadBalancer)})`
    : describeLoadBalancer(path.loadBalancer);
  return path.canaryShare === undefined ? hop : `${hop} on the ${describeCanary(path.canaryShare)}`;
}

type Unrouted = Omit<LoadBalancerPath, 'listeners' | 'targetGroups' | 'targetGroupProblems'>;

/** The integrations whose traffic enters through `listener`: those whose entry reaches it (all of them behind an NLB). */
export const integrationsInto = (
  path: Pick<LoadBalancerPath, 'integrations' | 'via'>,
  listener: ListenerFacts,
): IntegrationFacts[] =>
  path.via
    ? path.integrations
    : path.integrations.filter((integration) => {
        const entry = integrationEntry(integration);
        return entry !== null && listenersReached([listener], [entry]).reached.length > 0;
      });

/** The requests that enter through `listener`. */
export const requestsInto = (
  path: Unrouted,
  listener: ListenerFacts,
  stage: StageInventory,
): KnownRequest[] =>
  integrationsInto(path, listener).flatMap((integration) => knownRequests(integration, stage.stage));

/**
 * The listeners the entries reach and the target groups their rules forward the traffic to; a load
 * balancer's other listeners and target groups are not on the path. When no listener answers the
 * entries, the path ends there (integration-listener reports it): SKIPPED, not a pass.
 */
function followToTargetGroups(path: Unrouted, stage: StageInventory, inventory: Inventory): LoadBalancerPath {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  const ended = (problem: CheckResult): LoadBalancerPath => ({
    ...path,
    listeners: [],
    targetGroups: [],
    targetGroupProblems: [problem],
  });
  if (!loadBalancer.listeners.ok) {
    const subject = `the listeners of ${describeHop(path)}`;
    return ended(
      explained('COMPONENT_UNREADABLE', couldNotRead(resource, apis, subject, loadBalancer.listeners.error)),
    );
  }
  const { reached } = listenersReached(loadBalancer.listeners.value, path.entries);
  if (reached.length === 0) {
    const sentTo = path.entries.map(describeEntry).join(', ') || 'no listener or port';
    const reason = `no listener of ${describeHop(path)} answers what the integrations send to (${sentTo}): the path ends before any target group`;
    return ended(explained('NO_LISTENER_FOR_ENTRY', notApplicable(resource, apis, reason)));
  }
  const problems: CheckResult[] = [];
  const listeners = reached.map((listener): ListenerHop => {
    const requests = requestsInto(path, listener, stage);
    const routing = mergeRoutings(
      (requests.length > 0 ? requests : [{}]).map((request) => routeThroughListener(listener, request)),
    );
    if (routing.rulesUnreadable) {
      const subject = `the rules of listener ${listener.protocol}:${listener.port} of ${describeHop(path)}`;
      problems.push(
        explained('COMPONENT_UNREADABLE', couldNotRead(resource, apis, subject, routing.rulesUnreadable)),
      );
    }
    return { listener, routing };
  });
  const targetGroups = new Map<string, TargetGroupHop>();
  for (const routed of listeners.flatMap((hop) => hop.routing.groups)) {
    const kept = targetGroups.get(routed.arn);
    if (kept && (kept.certainty === 'reaches' || routed.certainty === 'may-reach')) continue;
    const targetGroup = lookup(
      inventory.targetGroups,
      routed.arn,
      'elasticloadbalancing:DescribeTargetGroups',
    );
    if (!targetGroup.ok) {
      if (!kept) {
        const unreadable = couldNotRead(
          targetGroupResource({ arn: routed.arn }),
          apis,
          'the target group',
          targetGroup.error,
        );
        problems.push(explained('COMPONENT_UNREADABLE', unreadable));
      }
      continue;
    }
    const group = targetGroup.value;
    targetGroups.set(routed.arn, {
      targetGroup: group,
      certainty: routed.certainty,
      ...(routed.because ? { because: routed.because } : {}),
      rule: routed.rule,
      targets: group.targets.ok
        ? { ok: true, value: group.targets.value.map((target) => resolveTarget(target, group, inventory)) }
        : group.targets,
    });
  }
  if (targetGroups.size === 0 && problems.length === 0) {
    const described = reached.map((listener) => `${listener.protocol}:${listener.port}`).join(', ');
    const reason = `listener ${described} of ${describeHop(path)} forwards the integrations' requests to no target group`;
    problems.push(explained('NO_TARGET_GROUP', notApplicable(resource, apis, reason)));
  }
  return { ...path, listeners, targetGroups: [...targetGroups.values()], targetGroupProblems: problems };
}

/** The stage's paths: its own and, where the collector read one, its canary's. Built once per inventory. */
export function buildStagePaths(stage: StageInventory, inventory: Inventory): StagePath[] {
  const { canary } = stage;
  // A canary at 0% serves nothing and is no path (the collector keeps none either).
  const canaryShare = canary && canary.share > 0 ? Math.min(canary.share, 1) : 0;
  const main = buildPath(stage, 'main', 1 - canaryShare, { integrations: stage.integrations }, inventory);
  if (!canary || canaryShare === 0) return [main];
  const source = { integrations: canary.integrations, canaryShare };
  const canaryPath = buildPath(stage, 'canary', canaryShare, source, inventory);
  // A canary at 100% takes every request: the stage's own path carries none and is not judged.
  return canaryShare === 1 ? [canaryPath] : [main, canaryPath];
}

function buildPath(
  stage: StageInventory,
  variant: StagePath['variant'],
  share: number,
  source: PathSource,
  inventory: Inventory,
): StagePath {
  const { reached, problems, vanished } = followStageToLoadBalancers(stage, source, inventory);
  return {
    stage,
    apis: [stageKeyOf(stage)],
    variant,
    share,
    integrations: source.integrations,
    loadBalancers: reached,
    cloudMapServices: followToCloudMap(source.integrations, inventory, [stageKeyOf(stage)]),
    problems,
    vanished,
  };
}

const built = new WeakMap<Inventory, Map<StageInventory, StagePath[]>>();

/** Every audited stage's paths, built once per inventory (the engine and the report share them). */
export function stagePaths(inventory: Inventory): StagePath[] {
  let byStage = built.get(inventory);
  if (!byStage) {
    byStage = new Map(inventory.stages.map((stage) => [stage, buildStagePaths(stage, inventory)]));
    built.set(inventory, byStage);
  }
  return [...byStage.values()].flat();
}

/** The paths of the given stages, from the inventory's one build. */
export const pathsOf = (stages: readonly StageInventory[], inventory: Inventory): StagePath[] =>
  stagePaths(inventory).filter((path) => stages.includes(path.stage));
