/**
 * `--format sarif`: SARIF 2.1.0 (OASIS), the format code-scanning dashboards import.
 * One rule per check that has a result, with the check's title, risk and fix as help; one result per
 * FAIL, WARN or ERROR finding. A cloud resource is no file: each result names its resource ARN as a
 * logical location. https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */

import type { CheckDefinition } from '../../checks/check-definition';
import { CHECKS } from '../../checks/index';
import { recordText } from '../../domain/display-text';
import type { Finding, Report, Severity } from '../../domain/types';
import { fixText } from '../human-view';
import { findingsWithUnreadableParts } from '../unreadable-parts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub code scanning's `security-severity` scores (0-10) for each severity. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  helpUri?: string;
  properties: { severity: Severity; 'security-severity': string; tags: string[] };
}

const reported = (finding: Finding) =>
  finding.status === 'FAIL' || finding.status === 'WARN' || finding.status === 'ERROR';

/** A check the registry does not know (a newer report) is described from its first finding. */
function ruleFor(checkId: string, first: Finding, checks: readonly CheckDefinition[]): SarifRule {
  const check = checks.find((candidate) => candidate.id === checkId);
  const title = check?.title ?? first.title;
  const remediation = check?.remediation ?? first.remediation;
  const docs = check?.docs ?? first.docs;
  const severity = check?.severity ?? first.severity;
  return {
    id: checkId,
    shortDescription: { text: recordText(title, 500) },
    fullDescription: { text: recordText(check?.risk ?? title, 2000) },
    help: { text: [recordText(remediation, 2000), ...docs.map((url) => `See ${url}`)].join('\n') },
    ...(docs[0] ? { helpUri: docs[0] } : {}),
    properties: { severity, 'security-severity': SECURITY_SEVERITY[severity], tags: ['aws', 'api-gateway'] },
  };
}

/** FAIL and WARN are failed rules; ERROR is a rule the audit could not decide (kind `open`, level `none`). */
function classification(finding: Finding): { kind: 'fail' | 'open'; level: 'error' | 'warning' | 'none' } {
  if (finding.status === 'ERROR') return { kind: 'open', level: 'none' };
  return { kind: 'fail', level: finding.status === 'FAIL' ? 'error' : 'warning' };
}

function result(finding: Finding, ruleIndex: number) {
  return {
    ruleId: finding.checkId,
    ruleIndex,
    ...classification(finding),
    message: { text: recordText(`${finding.status}: ${finding.title}. ${finding.message}`, 4000) },
    locations: [
      {
        logicalLocations: [{ fullyQualifiedName: recordText(finding.resourceArn, 2000), kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'findingId/v1': finding.id },
    properties: {
      status: finding.status,
      severity: finding.severity,
      region: finding.region,
      ...(finding.account ? { account: finding.account } : {}),
      resourceType: finding.resourceType,
      stages: finding.apis.map((api) => recordText(`${api.apiId}/${api.stage}`, 500)),
      remediation: recordText(fixText(finding), 2000),
    },
  };
}

export function renderSarif(report: Report, checks: readonly CheckDefinition[] = CHECKS): string {
  // An incomplete audit's unreadable parts are ERROR results of their own: never an empty, clean log.
  const findings = findingsWithUnreadableParts(report).filter(reported);
  const ruleIds = [...new Set(findings.map((finding) => finding.checkId))];
  const rules = ruleIds.map((checkId) =>
    ruleFor(checkId, findings.find((finding) => finding.checkId === checkId) as Finding, checks),
  );
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, rules } },
        invocations: [
          {
            executionSuccessful: report.complete,
            endTimeUtc: report.generatedAt,
            toolExecutionNotifications: report.incompleteReasons.map((reason) => ({
              level: 'warning',
              message: { text: recordText(reason, 2000) },
            })),
          },
        ],
        results: findings.map((finding) => result(finding, ruleIds.indexOf(finding.checkId))),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
