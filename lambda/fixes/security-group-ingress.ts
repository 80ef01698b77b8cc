/**
 * The fix for a security group that does not admit the senders that really connect: one
 * `authorize-security-group-ingress` naming each blocked sender's address or range on the port it
 * is blocked on. Read from the evidence the security-group checks write (one port and its sources
 * for a target, `ports[]` for a load balancer's own groups); evidence of another shape gives no fix.
 */
import { z } from 'zod';
import type { Finding, FixSuggestion } from '../domain/types';
import { isRegion, isSecurityGroupId, type SourceRange, sourceRange } from './ids';
import { awsCommand } from './shell';

const portNumber = z.number().int().min(1).max(65535);
const judgedSource = z.object({ cidr: z.string(), status: z.string() });
const targetEvidence = z.object({
  port: portNumber,
  securityGroups: z.array(z.string()).min(1),
  sources: z.array(judgedSource),
});
const entryEvidence = z.object({
  securityGroups: z.array(z.string()).min(1),
  ports: z.array(z.object({ port: portNumber, sources: z.array(judgedSource) })),
});

/** The ranges blocked on one port. */
export interface BlockedPort {
  port: number;
  ranges: SourceRange[];
}

export interface BlockedIngress {
  groupId: string;
  ports: BlockedPort[];
}

/**
 * The blocked senders of either evidence shape; undefined when the evidence does not parse, names
 * no valid group, or holds a blocked sender with no exact range (a /0 or an unknown address).
 */
export function blockedIngress(evidence: unknown): BlockedIngress | undefined {
  const target = targetEvidence.safeParse(evidence);
  const entry = target.success ? undefined : entryEvidence.safeParse(evidence);
  const groups = target.success
    ? target.data.securityGroups
    : entry?.success
      ? entry.data.securityGroups
      : [];
  const judged = target.success
    ? [{ port: target.data.port, sources: target.data.sources }]
    : entry?.success
      ? entry.data.ports
      : [];
  // The first group of the receiver: a rule in any of its groups admits the traffic.
  const [groupId] = groups;
  if (groupId === undefined || !isSecurityGroupId(groupId)) return undefined;
  const ports: BlockedPort[] = [];
  for (const { port, sources } of judged) {
    const blocked = sources.filter((source) => source.status === 'blocked');
    if (blocked.length === 0) continue;
    const ranges = blocked.map((source) => sourceRange(source.cidr));
    if (ranges.some((range) => range === undefined)) return undefined;
    const unique = new Map(ranges.flatMap((range) => (range ? [[range.cidr, range]] : [])));
    ports.push({ port, ranges: [...unique.values()] });
  }
  return ports.length > 0 ? { groupId, ports } : undefined;
}

function ipPermission({ port, ranges }: BlockedPort) {
  const ipv4 = ranges.filter((range) => range.family === 'ipv4').map((range) => ({ CidrIp: range.cidr }));
  const ipv6 = ranges.filter((range) => range.family === 'ipv6').map((range) => ({ CidrIpv6: range.cidr }));
  return {
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    ...(ipv4.length > 0 ? { IpRanges: ipv4 } : {}),
    ...(ipv6.length > 0 ? { Ipv6Ranges: ipv6 } : {}),
  };
}

function cloudFormationLine(groupId: string, port: number, range: SourceRange): string {
  const source = range.family === 'ipv4' ? `CidrIp: ${range.cidr}` : `CidrIpv6: ${range.cidr}`;
  return `AWS::EC2::SecurityGroup ${groupId}: add to SecurityGroupIngress {IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, ${source}}`;
}

/** The fix for a finding whose evidence names the receiving groups and their blocked senders. */
export function securityGroupIngressFix(finding: Finding): FixSuggestion | undefined {
  const blocked = blockedIngress(finding.evidence);
  if (!blocked || !isRegion(finding.region)) return undefined;
  const permissions = JSON.stringify(blocked.ports.map(ipPermission));
  return {
    commands: [
      awsCommand('ec2', 'authorize-security-group-ingress', finding.region, [
        ['--group-id', blocked.groupId],
        ['--ip-permissions', permissions],
      ]),
    ],
    cloudFormation: blocked.ports.flatMap(({ port, ranges }) =>
      ranges.map((range) => cloudFormationLine(blocked.groupId, port, range)),
    ),
  };
}
