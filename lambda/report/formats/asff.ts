/**
 * `--format asff`: the findings in the AWS Security Finding Format, a JSON array ready for
 * `aws securityhub batch-import-findings --findings file://findings.json` (at most 100 per call).
 * The product is the account's own "default" product, which any account may import into.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
 */

import { recordText, truncate } from '../../domain/display-text';
import type { Finding, Report, Severity, Status } from '../../domain/types';
import { fixText } from '../human-view';
import { findingsWithUnreadableParts } from '../unreadable-parts';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const COMPLIANCE: Record<Exclude<Status, 'SKIPPED'>, string> = {
  FAIL: 'FAILED',
  WARN: 'WARNING',
  PASS: 'PASSED',
  ERROR: 'NOT_AVAILABLE',
};

/** CloudFormation resource types to ASFF's; anything else is `Other`, which ASFF accepts. */
const RESOURCE_TYPES: Record<string, string> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'AwsElbv2LoadBalancer',
  'AWS::ApiGateway::Stage': 'AwsApiGatewayStage',
  'AWS::ApiGatewayV2::Stage': 'AwsApiGatewayV2Stage',
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::NetworkAcl': 'AwsEc2NetworkAcl',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::NetworkInterface': 'AwsEc2NetworkInterface',
  'AWS::::Account': 'AwsAccount',
};

export class AsffUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsffUnavailableError';
  }
}

const partitionOf = (arn: string): string => (arn.startsWith('arn:') ? (arn.split(':')[1] ?? 'aws') : 'aws');

function asffFinding(finding: Finding, report: Report, account: string): Record<string, unknown> {
  const partition = partitionOf(finding.resourceArn);
  const status = finding.status as Exclude<Status, 'SKIPPED'>;
  const recommendation = {
    Text: truncate(recordText(fixText(finding), 2000), 512),
    ...(finding.docs[0] ? { Url: finding.docs[0] } : {}),
  };
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `${finding.region}/${report.tool.name}/${finding.id}`,
    ProductArn: `arn:${partition}:securityhub:${finding.region}:${account}:product/${account}/default`,
    ProductName: report.tool.name,
    GeneratorId: `${report.tool.name}/${finding.checkId}`,
    AwsAccountId: account,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    CreatedAt: report.generatedAt,
    UpdatedAt: report.generatedAt,
    Severity: { Label: status === 'PASS' ? 'INFORMATIONAL' : SEVERITY_LABEL[finding.severity] },
    Title: truncate(recordText(finding.title, 1000), 256),
    Description: truncate(recordText(finding.message, 4000), 1024) || recordText(finding.title, 256),
    Remediation: { Recommendation: recommendation },
    Resources: [
      {
        Type: RESOURCE_TYPES[finding.resourceType] ?? 'Other',
        Id: recordText(finding.resourceArn, 2048),
        Partition: partition,
        Region: finding.region,
      },
    ],
    Compliance: { Status: COMPLIANCE[status] },
    Workflow: { Status: status === 'PASS' ? 'RESOLVED' : 'NEW' },
    RecordState: 'ACTIVE',
    ProductFields: {
      checkId: finding.checkId,
      status: finding.status,
      apiStages: recordText(finding.apis.map((api) => `${api.apiId}/${api.stage}`).join(' '), 2000),
    },
  };
}

/** Every finding but SKIPPED (not applicable: nothing to import); PASS resolves what an earlier import opened. */
/**
 * Each finding in its own account's default product, as BatchImportFindings wants for it: a merged
 * report's findings are imported account by account (the caller's account must be AwsAccountId).
 */
export function renderAsff(report: Report): string {
  const shown = findingsWithUnreadableParts(report).filter((finding) => finding.status !== 'SKIPPED');
  if (shown.some((finding) => !(finding.account ?? report.account))) {
    throw new AsffUnavailableError(
      '--format asff needs the account id, and this audit could not read it (sts:GetCallerIdentity)',
    );
  }
  const findings = shown.map((finding) =>
    asffFinding(finding, report, finding.account ?? report.account ?? ''),
  );
  return `${JSON.stringify(findings, null, 2)}\n`;
}
