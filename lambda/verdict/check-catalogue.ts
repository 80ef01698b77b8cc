/** The verdict's view of the registered checks: each one's role and catalogue position. */
import { CHECKS } from '../checks/index';
import type { CheckRole } from '../domain/check';
import type { CheckCatalogue } from './stage-verdict';

const roles = new Map<string, CheckRole>(CHECKS.map((check) => [check.id, check.role]));
const positions = new Map<string, number>(CHECKS.map((check, index) => [check.id, index]));

export const CHECK_CATALOGUE: CheckCatalogue = {
  role: (checkId) => roles.get(checkId),
  order: (checkId) => positions.get(checkId) ?? CHECKS.length,
};
