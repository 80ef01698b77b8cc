/** ELBv2 reads: load balancers, their attributes, listeners, target groups and target health. */
import {
  type Action,
  DescribeListenerAttributesCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
  paginateDescribeListenerCertificates,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type Rule,
  type RuleCondition,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type Collected,
  collected,
  failed,
  type ListenerCertificate,
  type ListenerFacts,
  type ListenerRuleFacts,
  type LoadBalancerFacts,
  type RuleConditionFacts,
  type TargetFacts,
  type WeightedTargetGroup,
} from '../domain/types';
import { attempt, hasErrorCode, notFound, toCollectionError } from './collect-error';
import { chunk } from './memo';

export const IAM_ACTIONS = [
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeListenerCertificates',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;

/** DescribeLoadBalancers and DescribeListeners accept at most 20 ARNs per call. */
const ARNS_PER_CALL = 20;

/** What DescribeLoadBalancers says of a load balancer: the facts before attributes, listeners and the rest. */
export type LoadBalancerDescription = Pick<
  LoadBalancerFacts,
  | 'arn'
  | 'name'
  | 'type'
  | 'scheme'
  | 'dnsName'
  | 'vpcId'
  | 'zones'
  | 'securityGroupIds'
  | 'privateLinkInboundRules'
>;

function describeLoadBalancer(lb: LoadBalancer): LoadBalancerDescription {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    type: lb.Type === 'network' || lb.Type === 'gateway' ? lb.Type : 'application',
    ...(lb.Scheme === 'internal' || lb.Scheme === 'internet-facing' ? { scheme: lb.Scheme } : {}),
    dnsName: (lb.DNSName ?? '').toLowerCase(),
    vpcId: lb.VpcId ?? '',
    zones: (lb.AvailabilityZones ?? []).map((zone) => ({
      zoneName: zone.ZoneName ?? '',
      subnetId: zone.SubnetId ?? '',
    })),
    securityGroupIds: lb.SecurityGroups ?? [],
    ...privateLinkInboundRules(lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic),
  };
}

function privateLinkInboundRules(
  value: string | undefined,
): Pick<LoadBalancerFacts, 'privateLinkInboundRules'> {
  return value === 'on' || value === 'off' ? { privateLinkInboundRules: value } : {};
}

/**
 * The CloudWatch `LoadBalancer` dimension: `net|app|gwy/<name>/<id>`. The prefix comes from the
 * type, never from the ARN text (the emulator writes `app/` for every load balancer).
 */
export function loadBalancerMetricDimension(lb: Pick<LoadBalancerDescription, 'arn' | 'type'>): string {
  const prefix = lb.type === 'network' ? 'net' : lb.type === 'gateway' ? 'gwy' : 'app';
  const [name, id] = lb.arn.split('/').slice(-2);
  return `${prefix}/${name}/${id}`;
}

/** The description AWS gives a load balancer's network interfaces: `ELB <net|app>/<name>/<id>`. */
export const interfaceDescriptionOf = (lb: Pick<LoadBalancerDescription, 'arn' | 'type'>): string =>
  `ELB ${loadBalancerMetricDimension(lb)}`;

/**
 * Reads a batch of ARNs in one call; when the call fails because one of them no longer exists,
 * reads them one by one so the others are still described.
 */
async function describeEach<T>(
  action: string,
  arns: readonly string[],
  notFoundCode: string,
  read: (batch: string[]) => Promise<T[]>,
  arnOf: (item: T) => string | undefined,
): Promise<Record<string, Collected<T>>> {
  const results: Record<string, Collected<T>> = {};
  for (const batch of chunk(arns, ARNS_PER_CALL)) {
    try {
      const items = await read(batch);
      for (const item of items) {
        const arn = arnOf(item);
        if (arn) results[arn] = collected(item);
      }
      for (const arn of batch) results[arn] ??= failed(notFound(action, arn));
    } catch (error) {
      if (hasErrorCode(error, notFoundCode) && batch.length > 1) {
        for (const arn of batch)
          Object.assign(results, await describeEach(action, [arn], notFoundCode, read, arnOf));
      } else {
        for (const arn of batch) results[arn] = failed(toCollectionError(action, error));
      }
    }
  }
  return results;
}

export async function describeLoadBalancers(
  client: ElasticLoadBalancingV2Client,
  arns: readonly string[],
): Promise<Record<string, Collected<LoadBalancerDescription>>> {
  const described = await describeEach(
    'elasticloadbalancing:DescribeLoadBalancers',
    arns,
    'LoadBalancerNotFound',
    async (batch) =>
      (await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }))).LoadBalancers ?? [],
    (lb) => lb.LoadBalancerArn,
  );
  return Object.fromEntries(
    Object.entries(described).map(([arn, lb]) => [
      arn,
      lb.ok ? collected(describeLoadBalancer(lb.value)) : lb,
    ]),
  );
}

/** Every load balancer of the Region: only read when an integration names one by DNS name. */
export function listLoadBalancers(
  client: ElasticLoadBalancingV2Client,
): Promise<Collected<LoadBalancerDescription[]>> {
  return attempt('elasticloadbalancing:DescribeLoadBalancers', async () => {
    const all: LoadBalancerDescription[] = [];
    for await (const page of paginateDescribeLoadBalancers({ client }, { PageSize: 400 })) {
      all.push(...(page.LoadBalancers ?? []).map(describeLoadBalancer));
    }
    return all;
  });
}

/** One ELB Describe...Attributes call: its `Attributes[]` of `Key` and `Value`, as a record. */
const readAttributes = (
  action: string,
  describe: () => Promise<{
    Attributes?: { Key?: string | undefined; Value?: string | undefined }[] | undefined;
  }>,
): Promise<Collected<Record<string, string>>> =>
  attempt(action, async () =>
    Object.fromEntries(((await describe()).Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? ''])),
  );

export const readLoadBalancerAttributes = (
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Collected<Record<string, string>>> =>
  readAttributes('elasticloadbalancing:DescribeLoadBalancerAttributes', () =>
    client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
  );

/**
 * A listener's attributes (ELB API reference, DescribeListenerAttributes: `Attributes[]` of `Key` and
 * `Value`; for NLB TCP listeners `tcp.idle_timeout.seconds`, 60-6000, default 350).
 */
export const readListenerAttributes = (
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<Collected<Record<string, string>>> =>
  readAttributes('elasticloadbalancing:DescribeListenerAttributes', () =>
    client.send(new DescribeListenerAttributesCommand({ ListenerArn: listenerArn })),
  );

/**
 * The groups the deciding action forwards to, with weights: `TargetGroupArn`, or the weighted
 * `ForwardConfig.TargetGroups` (ELB API reference, Action and TargetGroupTuple: `Weight` 0-999).
 */
export function forwardWeights(actions: readonly Action[] | undefined): WeightedTargetGroup[] {
  const weights = new Map<string, number>();
  for (const action of actions ?? []) {
    const tuples = action.ForwardConfig?.TargetGroups ?? [];
    for (const group of tuples) {
      if (group.TargetGroupArn) weights.set(group.TargetGroupArn, group.Weight ?? 1);
    }
    if (action.TargetGroupArn && !weights.has(action.TargetGroupArn)) weights.set(action.TargetGroupArn, 1);
  }
  return [...weights].map(([arn, weight]) => ({ arn, weight }));
}

/** Target groups actions forward to, whatever their weight. */
export const forwardTargetGroups = (actions: readonly Action[] | undefined): string[] =>
  forwardWeights(actions).map((group) => group.arn);

export function readListeners(
  client: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
): Promise<Collected<ListenerFacts[]>> {
  return attempt('elasticloadbalancing:DescribeListeners', async () => {
    const listeners: ListenerFacts[] = [];
    for await (const page of paginateDescribeListeners({ client }, { LoadBalancerArn: loadBalancerArn })) {
      for (const listener of page.Listeners ?? []) {
        // DescribeListeners gives an HTTPS or TLS listener's default certificate only.
        const certificateArns = (listener.Certificates ?? []).flatMap((c) =>
          c.CertificateArn ? [c.CertificateArn] : [],
        );
        listeners.push({
          arn: listener.ListenerArn ?? '',
          port: listener.Port ?? 0,
          protocol: listener.Protocol ?? '',
          targetGroupArns: forwardTargetGroups(listener.DefaultActions),
          defaultForward: forwardWeights(listener.DefaultActions),
          ...(certificateArns.length > 0 ? { certificateArns } : {}),
        });
      }
    }
    return listeners;
  });
}

/**
 * Every certificate an HTTPS or TLS listener can present: the default (`IsDefault` true) and its
 * certificate list, where the default may appear a second time with `IsDefault` false (ELB API
 * reference, DescribeListenerCertificates).
 */
export function readListenerCertificates(
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<Collected<ListenerCertificate[]>> {
  return attempt('elasticloadbalancing:DescribeListenerCertificates', async () => {
    const certificates: ListenerCertificate[] = [];
    for await (const page of paginateDescribeListenerCertificates(
      { client },
      { ListenerArn: listenerArn, PageSize: 400 },
    )) {
      for (const certificate of page.Certificates ?? []) {
        if (certificate.CertificateArn)
          certificates.push({ arn: certificate.CertificateArn, isDefault: certificate.IsDefault === true });
      }
    }
    return certificates;
  });
}

/** A condition's values: from its `...Config` (current shape), else the legacy `Values`. */
export function ruleCondition(condition: RuleCondition): RuleConditionFacts {
  const field = condition.Field ?? '';
  const values =
    condition.HostHeaderConfig?.Values ??
    condition.PathPatternConfig?.Values ??
    condition.HttpHeaderConfig?.Values ??
    condition.HttpRequestMethodConfig?.Values ??
    condition.SourceIpConfig?.Values ??
    condition.QueryStringConfig?.Values?.map((pair) => `${pair.Key ?? ''}=${pair.Value ?? ''}`) ??
    condition.Values ??
    [];
  const headerName = condition.HttpHeaderConfig?.HttpHeaderName;
  return { field, values, ...(headerName ? { headerName } : {}) };
}

function ruleFacts(rule: Rule): ListenerRuleFacts {
  const actions = rule.Actions ?? [];
  const last = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0)).at(-1);
  const actionType = last?.Type ?? 'forward';
  return {
    arn: rule.RuleArn ?? '',
    priority: rule.Priority ?? 'default',
    isDefault: rule.IsDefault ?? false,
    conditions: (rule.Conditions ?? []).map(ruleCondition),
    actionType,
    forward: actionType === 'forward' ? forwardWeights(actions) : [],
  };
}

/** A listener's rules, the default rule included. DescribeRules has no paginator; it pages with Marker. */
export function readListenerRules(
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<Collected<ListenerRuleFacts[]>> {
  return attempt('elasticloadbalancing:DescribeRules', async () => {
    const rules: ListenerRuleFacts[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(
        new DescribeRulesCommand({
          ListenerArn: listenerArn,
          PageSize: 400,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      rules.push(...(page.Rules ?? []).map(ruleFacts));
      marker = page.NextMarker;
    } while (marker);
    return rules;
  });
}

/** A load balancer without target groups makes DescribeTargetGroups raise TargetGroupNotFound: none. */
export function readTargetGroupsOf(
  client: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
): Promise<Collected<TargetGroup[]>> {
  return attempt('elasticloadbalancing:DescribeTargetGroups', async () => {
    const groups: TargetGroup[] = [];
    try {
      for await (const page of paginateDescribeTargetGroups(
        { client },
        { LoadBalancerArn: loadBalancerArn },
      )) {
        groups.push(...(page.TargetGroups ?? []));
      }
    } catch (error) {
      if (!hasErrorCode(error, 'TargetGroupNotFound')) throw error;
    }
    return groups;
  });
}

export const readTargetGroupAttributes = (
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Collected<Record<string, string>>> =>
  readAttributes('elasticloadbalancing:DescribeTargetGroupAttributes', () =>
    client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
  );

export function readTargetHealth(
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Collected<TargetFacts[]>> {
  return attempt('elasticloadbalancing:DescribeTargetHealth', async () => {
    const output = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return (output.TargetHealthDescriptions ?? []).map((description) => ({
      id: description.Target?.Id ?? '',
      port: description.Target?.Port ?? 0,
      ...(description.Target?.AvailabilityZone
        ? { availabilityZone: description.Target.AvailabilityZone }
        : {}),
      state: description.TargetHealth?.State ?? 'unavailable',
      ...(description.TargetHealth?.Reason ? { reason: description.TargetHealth.Reason } : {}),
    }));
  });
}
