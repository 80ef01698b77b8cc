/**
 * The building blocks every check shares: the resources and ERROR / SKIPPED results the path model
 * also uses (re-exported from it), and the PASS / WARN / FAIL results a check answers with.
 */
import type { CheckResult, Severity, StageKey } from '../domain/types';
import type { Resource } from '../path/resources';

export * from '../path/resources';

export {
  couldNotRead,
  integrationsUnreadable,
  lookup,
  notApplicable,
  plural,
  RESOURCE_TYPES,
  type Resource,
  stageKeyOf,
  stageLabel,
  stageResource,
  vpcLinkResourceType,
} from '../path/resources';

type Evidence = Record<string, unknown>;

export const passed = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
): CheckResult => ({
  ...resource,
  status: 'PASS',
  apis,
  message,
  ...(evidence ? { evidence } : {}),
});

export const failedCheck = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
): CheckResult => ({ ...resource, status: 'FAIL', apis, message, ...(evidence ? { evidence } : {}) });

/** WARN: a weakness, or a failure that may not be on the path; `severity` overrides the check's. */
export const warned = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
  severity: Severity = 'low',
): CheckResult => ({
  ...resource,
  status: 'WARN',
  severity,
  apis,
  message,
  ...(evidence ? { evidence } : {}),
});
