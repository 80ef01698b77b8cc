import { networkInterfaceArn } from '../domain/arns';
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, IpTargetInterfaceFacts, SecurityGroupFacts } from '../domain/types';
import {
  type CloudMapDestination,
  type CloudMapPath,
  cloudMapResource,
  describeCloudMapService,
  describeInstance,
  instancesOf,
} from '../path/cloud-map';
import { linkSenders, vpcOfInterface } from '../path/cloud-map-senders';
import { evaluateSecurityGroups } from '../path/security-groups';
import type { CheckDefinition } from './check-definition';
import { couldNotRead, failedCheck, lookup, notApplicable, passed, RESOURCE_TYPES, warned } from './results';

const DISCOVER_INSTANCES =
  'API Gateway sends to the addresses and ports of the instances DiscoverInstances returns';

interface ServiceJudgement {
  results: CheckResult[];
  destinations: CloudMapDestination[];
  /** Set when the instances' health could not be read: a blocked instance may get no traffic. */
  healthUnread?: boolean;
}

/**
 * The service itself: readable, with at least one instance that has both an address and a port and
 * is not left out by its health check.
 */
function judgeService(path: CloudMapPath): ServiceJudgement {
  const resource = cloudMapResource(path.serviceArn);
  const name = describeCloudMapService(path);
  if (!path.service.ok) {
    return { results: [couldNotRead(resource, path.apis, name, path.service.error)], destinations: [] };
  }
  const { instances, instanceHealth } = path.service.value;
  if (!instances.ok) {
    return {
      results: [couldNotRead(resource, path.apis, `the instances of ${name}`, instances.error)],
      destinations: [],
    };
  }
  const { destinations, unaddressed, unhealthy } = instancesOf(path);
  const missing = unaddressed.map((instance) => instance.id);
  const evidence = {
    instances: instances.value.length,
    withoutAddressAndPort: missing,
    unhealthy: unhealthy.map((instance) => instance.id),
  };
  const fail = (message: string) => ({
    results: [failedCheck(resource, path.apis, message, evidence)],
    destinations,
  });
  if (instances.value.length === 0) {
    return fail(
      `${name} has no registered instance: ${DISCOVER_INSTANCES}, and it returns none, so the integration has nowhere to send`,
    );
  }
  if (destinations.length === 0 && unhealthy.length > 0) {
    return fail(
      `every instance of ${name} that has an address and a port is UNHEALTHY (${evidence.unhealthy.join(', ')}): API Gateway distributes requests across the healthy instances DiscoverInstances returns, and there is none`,
    );
  }
  if (destinations.length === 0) {
    return fail(
      `no instance of ${name} has both AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT (${missing.join(', ')}): ${DISCOVER_INSTANCES}, so the integration has nowhere to send (an ECS service registered with A records gives no port)`,
    );
  }
  const results: CheckResult[] = [];
  if (missing.length > 0) {
    const message = `instance ${missing.join(', ')} of ${name} lacks AWS_INSTANCE_IPV4 or AWS_INSTANCE_PORT: requests API Gateway picks it for have nowhere to go`;
    results.push(warned(resource, path.apis, message, evidence, 'medium'));
  }
  if (instanceHealth && !instanceHealth.ok) {
    results.push(
      couldNotRead(resource, path.apis, `the health of the instances of ${name}`, instanceHealth.error),
    );
    return { results, destinations, healthUnread: true };
  }
  return { results, destinations };
}

function readGroups(ids: readonly string[], network: NetworkFacts) {
  const groups: SecurityGroupFacts[] = [];
  for (const id of ids) {
    const group = lookup(network.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok) return group;
    groups.push(group.value);
  }
  return { ok: true as const, value: groups };
}

/** The interface that holds the instance's address, or the result that says why it is not judged. */
function interfaceOf(
  path: CloudMapPath,
  { instance, networkInterface }: CloudMapDestination,
): { eni: IpTargetInterfaceFacts } | { result: CheckResult } {
  const described = describeInstance(instance);
  const resource = cloudMapResource(path.serviceArn);
  if (!networkInterface.ok) {
    const subject = `the network interface of ${described}`;
    return { result: couldNotRead(resource, path.apis, subject, networkInterface.error) };
  }
  if (networkInterface.value === null) {
    const reason = `no network interface in the VPC link's VPC holds ${instance.ipv4} (${described} of ${describeCloudMapService(path)}): it lies in a peered VPC or on premises, whose filters the audit cannot see`;
    return { result: notApplicable(resource, path.apis, reason) };
  }
  return { eni: networkInterface.value };
}

/** Whether the instance's own security groups admit its port from every interface of the links. */
function judgeInstance(
  path: CloudMapPath,
  destination: CloudMapDestination,
  network: NetworkFacts,
  healthUnread = false,
): CheckResult {
  const found = interfaceOf(path, destination);
  if ('result' in found) return found.result;
  const { eni } = found;
  const { instance } = destination;
  const described = describeInstance(instance);
  const resource = {
    resourceArn: networkInterfaceArn(network.region, network.account, eni.id),
    resourceType: RESOURCE_TYPES.networkInterface,
  };
  const senders = linkSenders(path, vpcOfInterface(eni, network), network);
  if (!senders.ok) {
    const subject = `the VPC link interfaces that connect to ${described}`;
    return couldNotRead(resource, path.apis, subject, senders.error);
  }
  const groups = readGroups(eni.securityGroupIds, network);
  if (!groups.ok)
    return couldNotRead(resource, path.apis, `the security groups of ${described}`, groups.error);
  if (senders.value.sources.length === 0) {
    return notApplicable(resource, path.apis, `no VPC link V2 interface sends to ${described}`);
  }
  const verdict = evaluateSecurityGroups({
    groups: groups.value,
    traffic: { protocol: 'tcp', port: instance.port },
    prefixLists: network.prefixLists ?? {},
    sources: senders.value.sources,
  });
  const one = eni.securityGroupIds.length === 1;
  const named = `security group${one ? '' : 's'} ${eni.securityGroupIds.join(', ') || '(none)'} of ${described} (${eni.id})`;
  const admit = one ? 'admits' : 'admit';
  const evidence = {
    instance: instance.id,
    address: instance.ipv4,
    port: instance.port,
    networkInterface: eni.id,
    securityGroups: eni.securityGroupIds,
    verdict: verdict.summary,
  };
  const [gap] = verdict.gaps;
  if (verdict.status === 'could-not-tell' && gap) {
    return couldNotRead(resource, path.apis, `a prefix list the ingress rules of ${named} reference`, gap);
  }
  if (verdict.status !== 'some-blocked') {
    return passed(
      resource,
      path.apis,
      `${named} ${admit} tcp/${instance.port}: ${verdict.summary}`,
      evidence,
    );
  }
  const { approximatedBecause } = senders.value;
  if (approximatedBecause) {
    return couldNotRead(resource, path.apis, 'the addresses of the VPC link interfaces', approximatedBecause);
  }
  const blocked = verdict.blocked.map((source) => source.label).join('; ');
  const message = `${named} ${admit} no tcp/${instance.port} from ${blocked}: the VPC link's connections to this instance of ${describeCloudMapService(path)} are refused`;
  // The shape lambda/fixes/security-group-ingress.ts reads: admit the blocked link subnets on the port.
  const blockedEvidence = { ...evidence, blockedCidrs: verdict.blocked.map((source) => source.cidr) };
  if (!healthUnread) return failedCheck(resource, path.apis, message, blockedEvidence);
  const unsure = `${message}; its health could not be read: it may be UNHEALTHY and get no traffic`;
  return warned(resource, path.apis, unsure, blockedEvidence, 'medium');
}

function evaluateCloudMap(path: CloudMapPath, network: NetworkFacts): CheckResult[] {
  const { results, destinations, healthUnread } = judgeService(path);
  return [
    ...results,
    ...destinations.map((destination) => judgeInstance(path, destination, network, healthUnread)),
  ];
}

export const cloudMapInstanceSecurityGroups: CheckDefinition<'paths' | 'network'> = {
  id: 'cloud-map-instance-security-groups',
  title: "Cloud Map instances admit the VPC link's connections",
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "An HTTP API private integration to a Cloud Map service connects from the VPC link's interfaces to each instance's AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT: an instance whose security groups do not admit that port from the link's subnets (or its groups) refuses every request sent to it, and a service with no instance, or none with both attributes, has nowhere to send.",
  remediation:
    "Add an ingress rule for the instance port to the instances' security groups from the VPC link's security group or subnets; register instances with both AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT (for ECS, SRV records or Service Connect).",
  docs: [
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
    'https://docs.aws.amazon.com/cloud-map/latest/api/API_DiscoverInstances.html',
    'https://docs.aws.amazon.com/cloud-map/latest/api/API_InstanceSummary.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) =>
    paths.flatMap((path) => path.cloudMapServices.flatMap((cloudMap) => evaluateCloudMap(cloudMap, network))),
};
