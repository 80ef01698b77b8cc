import type { Inventory } from './types';

/** Which part of `checks.md` a check comes from; decides which classified stages it runs for. */
export type CheckGroup = 'low-frequency' | 'high-frequency' | 'beyond-the-article';

/**
 * What a failing result of the check means for a stage's verdict (lambda/verdict/):
 * `cause` stops traffic (nothing reaches a target, a deleted hop, a blocked port, no serving target in
 * a zone that receives traffic, a timeout below the latency, drift to a broken path); `condition`
 * makes failures likelier or worse (cross-zone off, target resets); `evidence` tells this error from
 * other 5xx without being a cause; `observability` makes diagnosis harder and is never the cause;
 * `advice` is guidance for a stage whose errors are transient.
 */
export const CHECK_ROLES = ['cause', 'condition', 'evidence', 'observability', 'advice'] as const;
export type CheckRole = (typeof CHECK_ROLES)[number];

/** The facts about a Region's network that checks look up (security groups, subnets, ACLs, flow logs...). */
export type NetworkFacts = Pick<
  Inventory,
  | 'region'
  | 'account'
  | 'vpcLinks'
  | 'securityGroups'
  | 'subnets'
  | 'networkAclsBySubnet'
  | 'vpcs'
  | 'flowLogsByVpc'
  | 'prefixLists'
>;
