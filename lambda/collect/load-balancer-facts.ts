/** Each load balancer on the path as the checks see it: what the hops read, its interfaces and resets. */
import { type Collected, collected, type Inventory, type NetworkInterfaceFacts } from '../domain/types';
import type { LoadBalancerHops } from './load-balancer-hops';
import { interfaceDescriptionOf } from './load-balancers';
import { type SeriesByKey, tcpTargetResets } from './path-metrics';

export function loadBalancerFacts(
  reads: LoadBalancerHops['loadBalancers'],
  interfaces: Record<string, Collected<NetworkInterfaceFacts[]>>,
  series: SeriesByKey,
): Inventory['loadBalancers'] {
  const loadBalancers: Inventory['loadBalancers'] = {};
  for (const [arn, read] of Object.entries(reads)) {
    if (!read.ok) {
      loadBalancers[arn] = read;
      continue;
    }
    const { description: lb, attributes, listeners, targetGroupArns } = read.value;
    loadBalancers[arn] = collected({
      ...lb,
      attributes,
      listeners,
      targetGroupArns,
      networkInterfaces: interfaces[interfaceDescriptionOf(lb)] ?? collected([]),
      tcpTargetResets: tcpTargetResets(series, lb),
    });
  }
  return loadBalancers;
}
