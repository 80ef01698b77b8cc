/**
 * subnet-network-acls: an ACL denies a flow of the path (the listener or target port, or the
 * return traffic's ephemeral ports). The fix is an allow rule for exactly that flow, numbered
 * before the lowest rule that denies any of it (any free number when only the default deny does),
 * in a number no rule of that direction uses. No free number: no fix.
 */
import { z } from 'zod';
import type { Finding, FixSuggestion } from '../domain/types';
import { isRegion, type SourceRange, sourceRange } from './ids';
import { awsCommand } from './shell';

const port = z.number().int().min(0).max(65535);
const ruleNumber = z.number().int().min(1).max(32767);
const aclEvidence = z.object({
  blockedFlows: z
    .array(
      z.object({
        egress: z.boolean(),
        peerCidr: z.string(),
        fromPort: port,
        toPort: port,
        denyingRule: ruleNumber.nullable(),
      }),
    )
    .min(1),
  ruleNumbers: z.object({ inbound: z.array(ruleNumber), outbound: z.array(ruleNumber) }),
});

/** The highest user rule number AWS allows; 32767 is the default rule's. */
const MAX_RULE_NUMBER = 32766;

const aclIdOf = (arn: string): string | undefined =>
  /^arn:aws(?:-cn|-us-gov)?:ec2:[a-z0-9-]+:\d{0,12}:network-acl\/(acl-[0-9a-f]{8,17})$/.exec(arn)?.[1];

/** The highest free number below `before` (or the highest free one at all), or undefined. */
function freeRuleNumber(used: Set<number>, before: number | null): number | undefined {
  for (let candidate = (before ?? MAX_RULE_NUMBER + 1) - 1; candidate >= 1; candidate -= 1) {
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** The rule that comes first; null (the default deny) comes after every numbered rule. */
const lowerRule = (a: number | null | undefined, b: number | null): number | null =>
  a === undefined || a === null ? b : b === null ? a : Math.min(a, b);

interface AllowRule {
  number: number;
  egress: boolean;
  range: SourceRange;
  fromPort: number;
  toPort: number;
}

function allowRules(evidence: z.infer<typeof aclEvidence>): AllowRule[] | undefined {
  const used = {
    inbound: new Set(evidence.ruleNumbers.inbound),
    outbound: new Set(evidence.ruleNumbers.outbound),
  };
  // Several subnets behind one ACL block the same flow: one rule, before the lowest deny of any of them.
  const flows = new Map<string, (typeof evidence.blockedFlows)[number]>();
  for (const flow of evidence.blockedFlows) {
    const key = `${flow.egress}|${flow.peerCidr}|${flow.fromPort}|${flow.toPort}`;
    const seen = flows.get(key);
    const denyingRule = lowerRule(seen?.denyingRule, flow.denyingRule);
    flows.set(key, { ...flow, denyingRule: seen ? denyingRule : flow.denyingRule });
  }
  const rules: AllowRule[] = [];
  for (const flow of flows.values()) {
    const range = sourceRange(flow.peerCidr);
    const taken = flow.egress ? used.outbound : used.inbound;
    const number = freeRuleNumber(taken, flow.denyingRule);
    if (!range || number === undefined || flow.fromPort > flow.toPort) return undefined;
    taken.add(number);
    rules.push({ number, egress: flow.egress, range, fromPort: flow.fromPort, toPort: flow.toPort });
  }
  return rules;
}

function command(region: string, aclId: string, rule: AllowRule): string {
  return awsCommand('ec2', 'create-network-acl-entry', region, [
    ['--network-acl-id', aclId],
    ['--rule-number', String(rule.number)],
    // The AWS CLI's own name for a false Egress (botocore's `--no-egress`, renamed by the CLI).
    [rule.egress ? '--egress' : '--ingress'],
    ['--protocol', '6'],
    ['--port-range', JSON.stringify({ From: rule.fromPort, To: rule.toPort })],
    [rule.range.family === 'ipv4' ? '--cidr-block' : '--ipv6-cidr-block', rule.range.cidr],
    ['--rule-action', 'allow'],
  ]);
}

function cloudFormationLine(aclId: string, rule: AllowRule): string {
  const cidr =
    rule.range.family === 'ipv4' ? `CidrBlock: ${rule.range.cidr}` : `Ipv6CidrBlock: ${rule.range.cidr}`;
  return `AWS::EC2::NetworkAclEntry in ${aclId}: {NetworkAclId: ${aclId}, RuleNumber: ${rule.number}, Egress: ${rule.egress}, Protocol: 6, PortRange: {From: ${rule.fromPort}, To: ${rule.toPort}}, ${cidr}, RuleAction: allow}`;
}

export function subnetNetworkAclsFix(finding: Finding): FixSuggestion | undefined {
  const aclId = aclIdOf(finding.resourceArn);
  const parsed = aclEvidence.safeParse(finding.evidence);
  if (!aclId || !parsed.success || !isRegion(finding.region)) return undefined;
  const rules = allowRules(parsed.data);
  if (!rules) return undefined;
  return {
    commands: rules.map((rule) => command(finding.region, aclId, rule)),
    cloudFormation: rules.map((rule) => cloudFormationLine(aclId, rule)),
  };
}
