/** A Cloud Map service behind a V2 VPC link, shared by the checks' and the path's unit tests. */
import { cloudMapInstance } from '../../../lambda/collect/cloud-map';
import {
  type CloudMapInstanceFacts,
  type CloudMapServiceFacts,
  type Collected,
  collected,
  type Inventory,
  type IpPermission,
} from '../../../lambda/domain/types';
import {
  albScenario,
  anHttpIntegration,
  anIpPermission,
  anIpTargetInterface,
  aSecurityGroup,
  withV2LinkSubnets,
} from '../../support/inventory-builders';

// GetIntegrations (apigatewayv2 API reference, IntegrationUri): "the ARN of ... AWS Cloud Map service".
// Service id and ARN shape: Cloud Map API reference, GetService example (`srv-e4anhexw6v5e7a2c`).
export const SERVICE_ARN = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-e4anhexw6v5e7a2c';

/**
 * ListInstances (AWS CLI reference, servicediscovery list-instances example):
 * `{"Id": "i-06bdabbae60f65a4e", "Attributes": {"AWS_INSTANCE_IPV4": "172.2.1.3", "AWS_INSTANCE_PORT": "808"}}`,
 * here with an address in the app subnet and the port the task listens on.
 */
export const listed = (id: string, attributes: Record<string, string>): CloudMapInstanceFacts =>
  cloudMapInstance({ Id: id, Attributes: attributes });

/** The task's interface (DescribeNetworkInterfaces, `addresses.private-ip-address` = the instance's IPv4). */
export const TASK_ENI = anIpTargetInterface({
  id: 'eni-task-a',
  privateIp: '10.0.11.20',
  subnetId: 'subnet-app-a',
  availabilityZone: 'us-east-1a',
  securityGroupIds: ['sg-task'],
});

export const anInstance = (overrides: Partial<CloudMapInstanceFacts> = {}): CloudMapInstanceFacts => ({
  ...listed('task-a', { AWS_INSTANCE_IPV4: '10.0.11.20', AWS_INSTANCE_PORT: '8080' }),
  networkInterface: collected(TASK_ENI),
  ...overrides,
});

/** GetService (Cloud Map API reference, GetService response): `HealthCheckCustomConfig` set by ECS. */
export const aService = (overrides: Partial<CloudMapServiceFacts> = {}): CloudMapServiceFacts => ({
  arn: SERVICE_ARN,
  id: 'srv-e4anhexw6v5e7a2c',
  name: 'orders',
  healthCheck: 'custom',
  instances: collected([anInstance()]),
  ...overrides,
});

export const fromLinkGroup = [
  anIpPermission({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-link'] }),
];
/** Only the load balancers' subnets: what a group written for an ALB in front of the tasks admits. */
export const fromLbSubnetsOnly = [anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })];

export interface Scenario {
  service?: Collected<CloudMapServiceFacts>;
  taskIngress?: IpPermission[];
  linkEgress?: IpPermission[];
}

/** An HTTP API stage -> VPC link V2 (two subnets, sg-link) -> Cloud Map service -> one task. */
export function cloudMapScenario({ service, taskIngress, linkEgress }: Scenario = {}): Inventory {
  const integration = anHttpIntegration({
    label: `int123 ${SERVICE_ARN}`,
    uri: SERVICE_ARN,
    loadBalancerArns: [],
  });
  delete integration.listenerArn;
  const inventory = withV2LinkSubnets(
    albScenario({
      stage: { integrations: collected([integration]) },
      vpcLink: { subnetIds: ['subnet-link-a', 'subnet-link-b'] },
    }),
  )
    .with(
      'securityGroups',
      'sg-task',
      aSecurityGroup({ id: 'sg-task', name: 'task', inbound: taskIngress ?? fromLinkGroup }),
    )
    .with(
      'securityGroups',
      'sg-link',
      aSecurityGroup({
        id: 'sg-link',
        name: 'link',
        inbound: [],
        ...(linkEgress ? { outbound: linkEgress } : {}),
      }),
    )
    .build();
  inventory.cloudMapServices = { [SERVICE_ARN]: service ?? collected(aService()) };
  return inventory;
}
