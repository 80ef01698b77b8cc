/**
 * The load-balancer hops of the path: from the entries the integrations use (a listener ARN or a
 * port) to the listeners they reach, those listeners' rules, the target groups they forward to and
 * their targets; an `alb` target group leads on to its ALB, entered on the group's port. Only what
 * is on a path is read: a shared load balancer's other listeners and target groups are not, and
 * only listeners on a path have their certificate lists read.
 */
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  albsBehind,
  type ListenerEntry,
  listenersReached,
  listenerTargetGroupArns,
  presentsCertificates,
} from '../domain/path';
import {
  type Collected,
  collected,
  failed,
  type ListenerFacts,
  type TargetGroupFacts,
} from '../domain/types';
import type { AwsClients } from './clients';
import { notFound } from './collect-error';
import {
  describeLoadBalancers,
  type LoadBalancerDescription,
  readListenerAttributes,
  readListenerCertificates,
  readListenerRules,
  readListeners,
  readLoadBalancerAttributes,
  readTargetGroupAttributes,
  readTargetGroupsOf,
  readTargetHealth,
} from './load-balancers';
import { mapBounded, unique } from './memo';

/** Calls in flight: the ELB API refills 10 tokens per second. */
const CONCURRENCY = 5;

/** What was read of one load balancer on a path. */
export interface LoadBalancerRead {
  description: LoadBalancerDescription;
  attributes: Collected<Record<string, string>>;
  /** Its listeners; those on a path carry their rules' target groups. */
  listeners: Collected<ListenerFacts[]>;
  targetGroupArns: Collected<string[]>;
}

export interface LoadBalancerHops {
  loadBalancers: Record<string, Collected<LoadBalancerRead>>;
  /** The target groups on a path, with their targets (zones not yet resolved). */
  targetGroups: Record<string, Collected<TargetGroupFacts>>;
}

/** The health check settings, when the description carries them (DescribeTargetGroups `HealthCheck*`). */
function healthCheckOf(group: TargetGroup): Pick<TargetGroupFacts, 'healthCheck'> {
  if (!group.HealthCheckProtocol) return {};
  return {
    healthCheck: {
      protocol: group.HealthCheckProtocol,
      port: group.HealthCheckPort ?? 'traffic-port',
      intervalSeconds: group.HealthCheckIntervalSeconds ?? 30,
      healthyThreshold: group.HealthyThresholdCount ?? 5,
      unhealthyThreshold: group.UnhealthyThresholdCount ?? 2,
    },
  };
}

function targetGroupFacts(group: TargetGroup): Omit<TargetGroupFacts, 'attributes' | 'targets'> {
  const targetType = group.TargetType;
  return {
    ...healthCheckOf(group),
    arn: group.TargetGroupArn ?? '',
    name: group.TargetGroupName ?? '',
    port: group.Port ?? 0,
    protocol: group.Protocol ?? '',
    targetType:
      targetType === 'ip' || targetType === 'lambda' || targetType === 'alb' ? targetType : 'instance',
    vpcId: group.VpcId ?? '',
    loadBalancerArns: group.LoadBalancerArns ?? [],
  };
}

interface Reading {
  read: Collected<LoadBalancerRead>;
  groups: Collected<TargetGroup[]>;
}

async function readLoadBalancer(
  clients: AwsClients,
  description: Collected<LoadBalancerDescription>,
): Promise<Reading> {
  if (!description.ok) return { read: description, groups: description };
  const { arn } = description.value;
  const [attributes, listeners, groups] = await Promise.all([
    readLoadBalancerAttributes(clients.elb, arn),
    readListeners(clients.elb, arn),
    readTargetGroupsOf(clients.elb, arn),
  ]);
  const targetGroupArns: Collected<string[]> = groups.ok
    ? collected(groups.value.flatMap((group) => (group.TargetGroupArn ? [group.TargetGroupArn] : [])))
    : groups;
  return {
    read: collected({ description: description.value, attributes, listeners, targetGroupArns }),
    groups,
  };
}

/** Only an NLB's TCP listeners have a settable idle timeout (`tcp.idle_timeout.seconds`); TLS ones are fixed at 350 s. */
const hasIdleTimeoutAttribute = (read: LoadBalancerRead, listener: ListenerFacts): boolean =>
  read.description.type === 'network' && listener.protocol === 'TCP';

/**
 * Reads, once each, the rules of the listeners the entries reach, an NLB's TCP listeners' attributes
 * (their idle timeout) and the certificates HTTPS and TLS listeners can present; returns the target
 * groups they forward to.
 */
async function followListeners(
  clients: AwsClients,
  read: LoadBalancerRead,
  entries: readonly ListenerEntry[],
): Promise<string[]> {
  if (!read.listeners.ok) return [];
  const { reached } = listenersReached(read.listeners.value, entries);
  const unread = reached.filter((listener) => listener.rules === undefined);
  const rules = await mapBounded(unread, CONCURRENCY, (listener) =>
    readListenerRules(clients.elb, listener.arn),
  );
  const withoutAttributes = unread.filter((listener) => hasIdleTimeoutAttribute(read, listener));
  const secure = reached.filter((listener) => presentsCertificates(listener) && !listener.certificates);
  const [attributes, certificates] = await Promise.all([
    mapBounded(withoutAttributes, CONCURRENCY, (listener) =>
      readListenerAttributes(clients.elb, listener.arn),
    ),
    mapBounded(secure, CONCURRENCY, (listener) => readListenerCertificates(clients.elb, listener.arn)),
  ]);
  const withRules = new Map(unread.map((listener, index) => [listener.arn, rules[index]]));
  const withAttributes = new Map(
    withoutAttributes.map((listener, index) => [listener.arn, attributes[index]]),
  );
  const withCertificates = new Map(secure.map((listener, index) => [listener.arn, certificates[index]]));
  const listeners = read.listeners.value.map((listener) => {
    const listenerRules = withRules.get(listener.arn);
    const listenerAttributes = withAttributes.get(listener.arn);
    const listenerCertificates = withCertificates.get(listener.arn);
    return {
      ...listener,
      ...(listenerRules ? { rules: listenerRules } : {}),
      ...(listenerAttributes ? { attributes: listenerAttributes } : {}),
      ...(listenerCertificates ? { certificates: listenerCertificates } : {}),
    };
  });
  read.listeners = collected(listeners);
  return unique(
    listeners
      .filter((listener) => reached.some((r) => r.arn === listener.arn))
      .flatMap(listenerTargetGroupArns),
  );
}

async function readTargetGroup(
  clients: AwsClients,
  arn: string,
  listed: TargetGroup | undefined,
  owner: Reading | undefined,
): Promise<Collected<TargetGroupFacts>> {
  if (!listed) {
    if (owner && !owner.groups.ok) return owner.groups;
    return failed(notFound('elasticloadbalancing:DescribeTargetGroups', `target group ${arn}`));
  }
  const [attributes, targets] = await Promise.all([
    readTargetGroupAttributes(clients.elb, arn),
    readTargetHealth(clients.elb, arn),
  ]);
  return collected({ ...targetGroupFacts(listed), attributes, targets });
}

/**
 * Follows the entries into their load balancers, round by round: each round reads the load
 * balancers it reaches for the first time, the listeners the entries reach, and the target groups
 * those forward to; `alb` target groups give the next round's entries.
 */
export async function followLoadBalancerHops(
  clients: AwsClients,
  initial: ReadonlyMap<string, ListenerEntry[]>,
  alreadyListed: readonly LoadBalancerDescription[],
): Promise<LoadBalancerHops> {
  const readings = new Map<string, Reading>();
  const listedByArn = new Map(alreadyListed.map((lb) => [lb.arn, lb]));
  const targetGroups: Record<string, Collected<TargetGroupFacts>> = {};
  const groupOwner = new Map<string, string>();
  let pending = new Map(initial);

  while (pending.size > 0) {
    const newArns = [...pending.keys()].filter((arn) => !readings.has(arn));
    const described = await describeLoadBalancers(
      clients.elb,
      newArns.filter((arn) => !listedByArn.has(arn)),
    );
    const fresh = await mapBounded(newArns, CONCURRENCY, (arn) => {
      const listed = listedByArn.get(arn);
      return readLoadBalancer(
        clients,
        listed
          ? collected(listed)
          : (described[arn] ?? failed(notFound('elasticloadbalancing:DescribeLoadBalancers', arn))),
      );
    });
    newArns.forEach((arn, index) => {
      const reading = fresh[index];
      if (reading) readings.set(arn, reading);
    });

    const groupArns = await mapBounded([...pending.entries()], CONCURRENCY, async ([arn, entries]) => {
      const reading = readings.get(arn);
      if (!reading?.read.ok) return [];
      const arns = await followListeners(clients, reading.read.value, entries);
      for (const groupArn of arns) if (!groupOwner.has(groupArn)) groupOwner.set(groupArn, arn);
      return arns;
    });
    const newGroups = unique(groupArns.flat()).filter((arn) => targetGroups[arn] === undefined);
    const groupReads = await mapBounded(newGroups, CONCURRENCY, (arn) => {
      const owner = readings.get(groupOwner.get(arn) ?? '');
      const listed = owner?.groups.ok ? owner.groups.value.find((g) => g.TargetGroupArn === arn) : undefined;
      return readTargetGroup(clients, arn, listed, owner);
    });
    newGroups.forEach((arn, index) => {
      const read = groupReads[index];
      if (read) targetGroups[arn] = read;
    });

    const next = new Map<string, ListenerEntry[]>();
    for (const group of groupReads) {
      if (!group?.ok) continue;
      for (const { loadBalancerArn, entry } of albsBehind(group.value)) {
        next.set(loadBalancerArn, [...(next.get(loadBalancerArn) ?? []), entry]);
      }
    }
    pending = next;
  }

  return {
    loadBalancers: Object.fromEntries([...readings].map(([arn, reading]) => [arn, reading.read])),
    targetGroups,
  };
}
