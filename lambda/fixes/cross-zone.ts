/**
 * Cross-zone load balancing on for one target group: each load balancer node then sends to the
 * healthy targets of every zone, so a zone without (serving) targets no longer fails its share.
 * The target group's own attribute overrides the load balancer's, and touches nothing else.
 */

import { RESOURCE_TYPES } from '../checks/results';
import type { Finding, FixSuggestion } from '../domain/types';
import { isRegion, isTargetGroupArn } from './ids';
import { awsCommand } from './shell';

const CROSS_ZONE_ON = [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }];

export function crossZoneOnFix(finding: Finding): FixSuggestion | undefined {
  const arn = finding.resourceArn;
  if (finding.resourceType !== RESOURCE_TYPES.targetGroup) return undefined;
  if (!isTargetGroupArn(arn) || !isRegion(finding.region)) return undefined;
  const name = arn.split('/')[1];
  return {
    commands: [
      awsCommand('elbv2', 'modify-target-group-attributes', finding.region, [
        ['--target-group-arn', arn],
        ['--attributes', JSON.stringify(CROSS_ZONE_ON)],
      ]),
    ],
    cloudFormation: [
      `AWS::ElasticLoadBalancingV2::TargetGroup ${name}: add to TargetGroupAttributes {Key: load_balancing.cross_zone.enabled, Value: "true"}`,
    ],
  };
}
