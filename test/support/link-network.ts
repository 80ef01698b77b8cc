/**
 * The network of the emulator tests of a VPC link V2: two private subnets for the load balancers
 * and targets, two for the link's interfaces, and one instance per zone in the `targets` group.
 */
import type { AccountSpec } from '../../scripts/seed/seed-account';

export const LINK_NETWORK: Pick<AccountSpec, 'vpcCidr' | 'subnets' | 'instances'> = {
  vpcCidr: '10.0.0.0/16',
  subnets: [
    { name: 'private-a', cidr: '10.0.1.0/24', zone: 'us-east-1a' },
    { name: 'private-b', cidr: '10.0.2.0/24', zone: 'us-east-1b' },
    { name: 'link-a', cidr: '10.0.21.0/24', zone: 'us-east-1a' },
    { name: 'link-b', cidr: '10.0.22.0/24', zone: 'us-east-1b' },
  ],
  instances: [
    { name: 'app-a', subnet: 'private-a', securityGroups: ['targets'] },
    { name: 'app-b', subnet: 'private-b', securityGroups: ['targets'] },
  ],
};

/** The targets' group: the target port from the whole VPC. */
export const TARGETS_GROUP = { name: 'targets', ingress: [{ port: 8080, cidr: '10.0.0.0/16' }] };
