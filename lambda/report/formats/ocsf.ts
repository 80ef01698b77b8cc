/**
 * `--format ocsf`: the open findings (FAIL and WARN) and what could not be evaluated (ERROR, an
 * incomplete audit's unreadable parts included) as OCSF 1.3.0 Detection Finding events
 * (class 2004, category Findings), a JSON array for a security lake.
 * https://schema.ocsf.io/1.3.0/classes/detection_finding
 */

import { recordText } from '../../domain/display-text';
import type { Finding, Report, Severity } from '../../domain/types';
import { fixText } from '../human-view';
import { findingsWithUnreadableParts } from '../unreadable-parts';

export const OCSF_VERSION = '1.3.0';

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

function detectionFinding(finding: Finding, report: Report): Record<string, unknown> {
  const severity = SEVERITY[finding.severity];
  return {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    time: Date.parse(report.generatedAt),
    severity_id: severity.id,
    severity: severity.name,
    status_id: 1,
    status: 'New',
    message: recordText(finding.message, 4000),
    finding_info: {
      uid: finding.id,
      title: recordText(finding.title, 500),
      desc: recordText(finding.message, 4000),
      types: [finding.checkId],
      analytic: { uid: finding.checkId, name: finding.checkId, type_id: 1, type: 'Rule' },
    },
    metadata: {
      version: OCSF_VERSION,
      product: { name: report.tool.name, vendor_name: report.tool.name, version: report.tool.version },
    },
    cloud: {
      provider: 'AWS',
      region: finding.region,
      ...((finding.account ?? report.account)
        ? { account: { uid: finding.account ?? report.account, type_id: 10, type: 'AWS Account' } }
        : {}),
    },
    resources: [
      { uid: recordText(finding.resourceArn, 2048), type: finding.resourceType, region: finding.region },
    ],
    remediation: { desc: recordText(fixText(finding), 4000), references: [...finding.docs] },
    unmapped: {
      auditStatus: finding.status,
      apiStages: finding.apis.map((api) => recordText(`${api.apiId}/${api.stage}`, 300)),
    },
  };
}

export function renderOcsf(report: Report): string {
  const open = findingsWithUnreadableParts(report).filter(
    (finding) => finding.status === 'FAIL' || finding.status === 'WARN' || finding.status === 'ERROR',
  );
  return `${JSON.stringify(
    open.map((finding) => detectionFinding(finding, report)),
    null,
    2,
  )}\n`;
}
