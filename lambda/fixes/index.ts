/**
 * The exact fix for each failing finding whose cause one can paste away. Checks without an entry
 * have none the audit can know for sure: tg-unhealthy-az (why the targets fail is the
 * application's), vpc-link-status (a failed link is recreated, an inactive one woken by traffic),
 * integration-listener (which protocol, certificate and target group a new listener needs is not
 * determined by the integration). A finding whose evidence does not have the expected shape
 * gets no fix: never a wrong command.
 */
import type { Finding, FixSuggestion } from '../domain/types';
import { integrationTimeoutFix } from './integration-timeout';
import { lbCrossZoneFix } from './lb-cross-zone';
import { nlbTargetSecurityGroupsFix } from './nlb-target-security-groups';
import { securityGroupIngressFix } from './security-group-ingress';
import { stageDeploymentDriftFix } from './stage-deployment-drift';
import { subnetNetworkAclsFix } from './subnet-network-acls';
import { tgEmptyAzFix } from './tg-empty-az';

export const FIXES: Readonly<Record<string, (finding: Finding) => FixSuggestion | undefined>> = {
  'nlb-target-security-groups': nlbTargetSecurityGroupsFix,
  'alb-security-group-sources': securityGroupIngressFix,
  'lb-cross-zone': lbCrossZoneFix,
  'tg-empty-az': tgEmptyAzFix,
  'integration-timeout': integrationTimeoutFix,
  'stage-deployment-drift': stageDeploymentDriftFix,
  'subnet-network-acls': subnetNetworkAclsFix,
  'cloud-map-instance-security-groups': securityGroupIngressFix,
};

export function fixFor(finding: Finding): FixSuggestion | undefined {
  if (finding.status !== 'FAIL') return undefined;
  return FIXES[finding.checkId]?.(finding);
}

/** The findings, each FAIL with a known fix carrying it as `fix` (and no other finding any). */
export function attachFixes(findings: Finding[]): Finding[] {
  return findings.map(({ fix: _earlier, ...finding }) => {
    const fix = fixFor(finding);
    return fix ? { ...finding, fix } : finding;
  });
}
