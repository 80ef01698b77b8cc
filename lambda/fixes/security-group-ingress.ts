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
/** One FAIL per blocking group (the targets it blocks grouped): the blocked senders' addresses. */
const groupEvidence = z.object({
  port: portNumber,
  securityGroups: z.array(z.string()).min(1),
  blockedCidrs: z.array(z.string()).min(1),
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

/** The receiving groups and, per port, the addresses of the senders found blocked (as the evidence writes them). */
export interface JudgedIngress {
  securityGroups: string[];
  ports: { port: number; blocked: string[] }[];
}

/** Either evidence shape, read; undefined when it is neither. */
export function judgedIngress(evidence: unknown): JudgedIngress | undefined {
  const group = groupEvidence.safeParse(evidence);
  if (group.success)
    return {
      securityGroups: group.data.securityGroups,
      ports: [{ port: group.data.port, blocked: group.data.blockedCidrs }],
    };
  const target = targetEvidence.safeParse(evidence);
  const entry = target.success ? undefined : entryEvidence.safeParse(evidence);
  const read = target.success
    ? {
        securityGroups: target.data.securityGroups,
        ports: [{ port: target.data.port, sources: target.data.sources }],
      }
    : entry?.success
      ? entry.data
      : undefined;
  if (!read) return undefined;
  const ports = read.ports.map(({ port, sources }) => ({
    port,
    blocked: sources.filter((source) => source.status === 'blocked').map((source) => source.cidr),
  }));
  return { securityGroups: read.securityGroups, ports };
}

/**
 * The blocked senders to admit in the receiver's first group (a rule in any of its groups admits
 * the traffic); undefined when no valid group is named, nothing is blocked, or a blocked sender
 * has no exact range (a /0 or an unknown address).
 */
export function blockedIngress(judged: JudgedIngress): BlockedIngress | undefined {
  const [groupId] = judged.securityGroups;
  if (groupId === undefined || !isSecurityGroupId(groupId)) return undefined;
  const ports: BlockedPort[] = [];
  for (const { port, blocked } of judged.ports) {
    if (blocked.length === 0) continue;
    const ranges = blocked.map(sourceRange);
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

/** The command and CloudFormation lines that admit the blocked senders. */
export function ingressFix(region: string, blocked: BlockedIngress): FixSuggestion {
  const permissions = JSON.stringify(blocked.ports.map(ipPermission));
  return {
    commands: [
      awsCommand('ec2', 'authorize-security-group-ingress', region, [
        ['--group-id', blocked.groupId],
        ['--ip-permissions', permissions],
      ]),
    ],
    cloudFormation: blocked.ports.flatMap(({ port, ranges }) =>
      ranges.map((range) => cloudFormationLine(blocked.groupId, port, range)),
    ),
  };
}

/** The fix for a finding whose evidence names the receiving groups and their blocked senders. */
export function securityGroupIngressFix(finding: Finding): FixSuggestion | undefined {
  const judged = judgedIngress(finding.evidence);
  const blocked = judged && blockedIngress(judged);
  return blocked && isRegion(finding.region) ? ingressFix(finding.region, blocked) : undefined;
}
