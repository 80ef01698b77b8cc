/**
 * Follows an audited stage to the load balancers behind it:
 * stage -> integrations -> VPC link -> load balancers -> target groups -> targets.
 * Every step that cannot be followed becomes an ERROR result naming the AWS action; a stage
 * that leads to no load balancer becomes one SKIPPED result, so a load balancer check never
 * passes for a stage it could not look behind.
 */
import { vpcLinkArn } from '../domain/arns';
import type {
  CheckResult,
  CollectionError,
  IntegrationFacts,
  Inventory,
  LoadBalancerFacts,
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
  /** The stage's integrations that lead to this load balancer. */
  integrations: IntegrationFacts[];
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
  vpcLinks: Map<string, VpcLinkFacts>;
  unreadableVpcLinks: CollectionError[];
}

export function followStageToLoadBalancers(
  stage: StageInventory,
  inventory: Inventory,
): Followed<LoadBalancerPath> {
  const apis = [stageKeyOf(stage)];
  if (!stage.integrations.ok) {
    return { reached: [], problems: [integrationsUnreadable(stage, stage.integrations.error)] };
  }
  const problems: CheckResult[] = [];
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
    const arns = new Set(integration.loadBalancerArns);
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
        vpcLinks: new Map(),
        unreadableVpcLinks: [],
      };
      entry.integrations.push(integration);
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
    return { reached: [], problems: [notApplicable(stageResource(stage.stage), apis, reason)] };
  }
  const reached: LoadBalancerPath[] = [];
  for (const [arn, entry] of byLoadBalancer) {
    const loadBalancer = lookup(inventory.loadBalancers, arn, 'elasticloadbalancing:DescribeLoadBalancers');
    if (loadBalancer.ok) {
      reached.push({
        loadBalancer: loadBalancer.value,
        integrations: entry.integrations,
        vpcLinks: [...entry.vpcLinks.values()],
        unreadableVpcLinks: entry.unreadableVpcLinks,
        apis,
      });
    } else {
      problems.push(
        couldNotRead(loadBalancerResource({ arn }), apis, 'the load balancer', loadBalancer.error),
      );
    }
  }
  return { reached, problems };
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

export function followToTargetGroups(
  path: LoadBalancerPath,
  inventory: Inventory,
): Followed<TargetGroupFacts> {
  const { loadBalancer, apis } = path;
  if (!loadBalancer.targetGroupArns.ok) {
    return {
      reached: [],
      problems: [
        couldNotRead(
          loadBalancerResource(loadBalancer),
          apis,
          `the target groups of ${describeLoadBalancer(loadBalancer)}`,
          loadBalancer.targetGroupArns.error,
        ),
      ],
    };
  }
  const reached: TargetGroupFacts[] = [];
  const problems: CheckResult[] = [];
  for (const arn of loadBalancer.targetGroupArns.value) {
    const targetGroup = lookup(inventory.targetGroups, arn, 'elasticloadbalancing:DescribeTargetGroups');
    if (targetGroup.ok) reached.push(targetGroup.value);
    else
      problems.push(couldNotRead(targetGroupResource({ arn }), apis, 'the target group', targetGroup.error));
  }
  if (reached.length === 0 && problems.length === 0) {
    problems.push(
      notApplicable(
        loadBalancerResource(loadBalancer),
        apis,
        `${describeLoadBalancer(loadBalancer)} forwards to no target group`,
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

/** The target's zone: its own, else its instance's; undefined when neither is known. */
export function targetZone(target: TargetFacts, inventory: Inventory): string | undefined {
  if (target.availabilityZone) return target.availabilityZone;
  const instance = inventory.instances[target.id];
  return instance?.ok ? instance.value.availabilityZone : undefined;
}
