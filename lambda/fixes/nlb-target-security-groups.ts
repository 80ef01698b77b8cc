/**
 * nlb-target-security-groups: admit the blocked senders in the targets' security group, or in the
 * NLB's own. One sender no rule can name: API Gateway through a V1 link's PrivateLink, whose
 * addresses are not published (the check writes it as 0.0.0.0/0). For it the fix is AWS's own
 * (the API Gateway NLB guide): turn "enforce inbound rules on PrivateLink traffic" off, setting the
 * NLB's security groups to the ones it has.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../checks/results';
import type { Finding, FixSuggestion } from '../domain/types';
import { isNetworkLoadBalancerArn, isRegion, isSecurityGroupId } from './ids';
import { blockedIngress, ingressFix, judgedIngress, securityGroupIngressFix } from './security-group-ingress';
import { awsCommand } from './shell';

const EVERYONE = new Set(['0.0.0.0/0', '::/0']);
const privateLinkEnforced = z.object({ privateLinkInboundRules: z.string().startsWith('on') });

function privateLinkFix(finding: Finding): FixSuggestion | undefined {
  const judged = judgedIngress(finding.evidence);
  if (!judged?.securityGroups.every(isSecurityGroupId)) return undefined;
  if (!isNetworkLoadBalancerArn(finding.resourceArn)) return undefined;
  const others = {
    ...judged,
    ports: judged.ports.map(({ port, blocked }) => ({
      port,
      blocked: blocked.filter((cidr) => !EVERYONE.has(cidr)),
    })),
  };
  const rest = others.ports.some(({ blocked }) => blocked.length > 0) ? blockedIngress(others) : undefined;
  if (rest === undefined && others.ports.some(({ blocked }) => blocked.length > 0)) return undefined;
  const restFix = rest ? ingressFix(finding.region, rest) : { commands: [], cloudFormation: [] };
  const name = finding.resourceArn.split('/')[2];
  return {
    commands: [
      awsCommand('elbv2', 'set-security-groups', finding.region, [
        ['--load-balancer-arn', finding.resourceArn],
        ['--security-groups', JSON.stringify(judged.securityGroups)],
        ['--enforce-security-group-inbound-rules-on-private-link-traffic', 'off'],
      ]),
      ...restFix.commands,
    ],
    cloudFormation: [
      `AWS::ElasticLoadBalancingV2::LoadBalancer ${name}: EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off"`,
      ...restFix.cloudFormation,
    ],
  };
}

export function nlbTargetSecurityGroupsFix(finding: Finding): FixSuggestion | undefined {
  if (!isRegion(finding.region)) return undefined;
  const throughPrivateLink =
    finding.resourceType === RESOURCE_TYPES.loadBalancer &&
    privateLinkEnforced.safeParse(finding.evidence).success &&
    judgedIngress(finding.evidence)?.ports.some(({ blocked }) => blocked.some((cidr) => EVERYONE.has(cidr)));
  return throughPrivateLink ? privateLinkFix(finding) : securityGroupIngressFix(finding);
}
