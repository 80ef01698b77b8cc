/** The verdict's view of the registered checks: each one's role, and how much traffic its failure stops. */
import { CHECKS } from '../checks/index';
import type { CheckRole } from '../domain/check';
import type { CheckCatalogue } from './stage-verdict';

/**
 * Among causes of equal severity, the ones that stop all the traffic of a path before the ones that
 * stop a zone's share: a hop that is gone or refuses every sender (the VPC link, the listener, the
 * deployment the stage serves, a security group or ACL on the way) before a zone without a (healthy)
 * target, before targets too slow for the timeout. Checks not listed keep their catalogue order after.
 */
const BY_REACH = [
  'vpc-link-status',
  'integration-listener',
  'stage-deployment-drift',
  'nlb-target-security-groups',
  'alb-security-group-sources',
  'subnet-network-acls',
  'tg-unhealthy-az',
  'tg-empty-az',
  'integration-timeout',
];

const roles = new Map<string, CheckRole>(CHECKS.map((check) => [check.id, check.role]));
const positions = new Map<string, number>(
  [...BY_REACH, ...CHECKS.map((check) => check.id).filter((id) => !BY_REACH.includes(id))].map(
    (id, index) => [id, index],
  ),
);

export const CHECK_CATALOGUE: CheckCatalogue = {
  role: (checkId) => roles.get(checkId),
  order: (checkId) => positions.get(checkId) ?? positions.size,
};
