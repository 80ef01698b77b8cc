/**
 * Where traffic goes once it reaches a load balancer: the pure rules the collector (what to read)
 * and the checks (what to judge) share, so both follow exactly the same path.
 *   integration -> listener (by ARN, or by the port it sends to) -> rules and default action
 *   -> target groups -> targets; an `alb` target group -> the ALB's listener on the group's port.
 */
import type { IntegrationFacts, ListenerFacts, TargetGroupFacts } from './types';

/** The listener protocols that present a certificate (TLS terminates there): the ones DescribeListenerCertificates answers for. */
export const presentsCertificates = (listener: Pick<ListenerFacts, 'protocol'>): boolean =>
  listener.protocol === 'HTTPS' || listener.protocol === 'TLS';

/** How traffic enters a load balancer: a listener named by ARN (HTTP APIs) or a port. */
export type ListenerEntry = { listenerArn: string } | { port: number };

/** The entry an integration uses, or null when it names neither (then no listener is on its path). */
export function integrationEntry(integration: IntegrationFacts): ListenerEntry | null {
  if (integration.listenerArn) return { listenerArn: integration.listenerArn };
  if (integration.port !== undefined) return { port: integration.port };
  return null;
}

export const describeEntry = (entry: ListenerEntry): string =>
  'listenerArn' in entry ? `listener ${entry.listenerArn}` : `port ${entry.port}`;

const entryKey = (entry: ListenerEntry): string =>
  'listenerArn' in entry ? entry.listenerArn : `port:${entry.port}`;

export function uniqueEntries(entries: readonly ListenerEntry[]): ListenerEntry[] {
  return [...new Map(entries.map((entry) => [entryKey(entry), entry])).values()];
}

export interface ListenersReached {
  reached: ListenerFacts[];
  /** Entries no listener answers: the listener was deleted, or the port has none. */
  missing: ListenerEntry[];
}

export function listenersReached(
  listeners: readonly ListenerFacts[],
  entries: readonly ListenerEntry[],
): ListenersReached {
  const reached = new Map<string, ListenerFacts>();
  const missing: ListenerEntry[] = [];
  for (const entry of uniqueEntries(entries)) {
    const listener = listeners.find((candidate) =>
      'listenerArn' in entry ? candidate.arn === entry.listenerArn : candidate.port === entry.port,
    );
    if (listener) reached.set(listener.arn, listener);
    else missing.push(entry);
  }
  return { reached: [...reached.values()], missing };
}

/**
 * Target groups a listener may forward to: its default action's and, where read, its rules' (the
 * collector reads them all; the path model decides which the traffic reaches).
 */
export function listenerTargetGroupArns(listener: ListenerFacts): string[] {
  const fromRules = listener.rules?.ok ? listener.rules.value.flatMap((rule) => rule.forward) : [];
  return [...new Set([...listener.targetGroupArns, ...fromRules.map((group) => group.arn)])];
}

/**
 * The load balancer ARN a listener ARN belongs to (`...:listener/net/name/id/lid` ->
 * `...:loadbalancer/net/name/id`): a deleted listener still names the load balancer it was on.
 */
export function loadBalancerArnOfListener(listenerArn: string): string | null {
  const match =
    /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener\/((?:app|net|gwy)\/[^/]+\/[^/]+)\/[^/]+$/.exec(
      listenerArn,
    );
  return match ? `${match[1]}loadbalancer/${match[2]}` : null;
}

/** An `alb` target group's targets are ALBs (the target id is the ALB's ARN), entered on the target's port. */
export function albsBehind(
  targetGroup: TargetGroupFacts,
): { loadBalancerArn: string; entry: ListenerEntry }[] {
  if (targetGroup.targetType !== 'alb' || !targetGroup.targets.ok) return [];
  return targetGroup.targets.value.map((target) => ({
    loadBalancerArn: target.id,
    entry: { port: target.port || targetGroup.port },
  }));
}
