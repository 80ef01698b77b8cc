/**
 * A sender's security-group egress on the emulator: two HTTP APIs, each on its own VPC link V2 to
 * its own ALB. One link's group keeps AWS's default egress rule (all out); the other's default rule
 * is revoked, as Terraform does for the groups it manages. moto stores egress rules but does not
 * enforce them: the test asserts the audit's reasoning, with the open link as the healthy twin.
 */
import { RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import { collectInventory } from '../../lambda/collect/inventory';
import type { Finding } from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { type AccountSpec, type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { must, useEmulator } from '../support/emulator';
import { LINK_NETWORK, TARGETS_GROUP } from '../support/link-network';

const steady = (value: number): number[] => new Array<number>(12).fill(value);

const albBehind = (name: string): AccountSpec['loadBalancers'][number] => ({
  name,
  type: 'application',
  subnets: ['private-a', 'private-b'],
  securityGroups: ['alb'],
  listeners: [{ port: 80, protocol: 'HTTP', targetGroup: `${name}-tg` }],
});

const httpApi = (name: string, linkGroup: string, loadBalancer: string): AccountSpec['httpApis'][number] => ({
  name,
  stage: 'prod',
  vpcLink: { name: `${name}-link`, subnets: ['link-a', 'link-b'], securityGroups: [linkGroup] },
  integrations: [{ loadBalancer, port: 80 }],
  traffic: { requests: steady(1000), errors5xx: steady(400), integrationLatencyMaxMs: 900 },
});

const SHOP: AccountSpec = {
  ...LINK_NETWORK,
  securityGroups: [
    { name: 'link-open', ingress: [] },
    { name: 'link-closed', ingress: [] },
    { name: 'alb', ingress: [{ port: 80, cidr: '10.0.0.0/16' }] },
    TARGETS_GROUP,
  ],
  targetGroups: ['open-alb-tg', 'closed-alb-tg'].map((name) => ({
    name,
    protocol: 'HTTP' as const,
    port: 8080,
    targets: ['app-a', 'app-b'],
  })),
  loadBalancers: [albBehind('open-alb'), albBehind('closed-alb')],
  flowLogs: true,
  httpApis: [
    httpApi('open-http', 'link-open', 'open-alb'),
    httpApi('closed-http', 'link-closed', 'closed-alb'),
  ],
  restApis: [],
};

describe("a sender's security-group egress on the emulator", () => {
  const aws = useEmulator();
  let seeded: SeededAccount;
  let findings: Finding[];

  beforeAll(async () => {
    seeded = await seedAccount(aws.clients(), SHOP, new Date());
    const clients = aws.clients();
    // Terraform's way: the default "all traffic to 0.0.0.0/0" egress rule is revoked.
    await clients.ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: must(seeded.securityGroups['link-closed'], 'link-closed'),
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const triage = await readTraffic(clients, seeded.window);
    const stages = triage.traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS));
    const inventory = await collectInventory(clients, stages, seeded.window, '123456789012');
    findings = evaluateChecks(inventory, { allChecks: true });
  }, 90_000);

  const onGroup = (name: string) =>
    findings.filter(
      (finding) =>
        finding.checkId === 'sender-security-group-egress' &&
        finding.resourceArn.endsWith(`security-group/${seeded.securityGroups[name]}`),
    );

  it('fails the link whose group lets nothing out, though every ingress rule admits it (was all PASS)', () => {
    const [closed, ...rest] = onGroup('link-closed');
    expect(rest).toEqual([]);
    expect(closed?.status).toBe('FAIL');
    expect(closed?.message).toContain(
      'VPC link closed-http-link has no egress rule that lets tcp/80 to ALB closed-alb',
    );
    expect(
      findings.find(
        (finding) =>
          finding.checkId === 'alb-security-group-sources' && finding.message.includes('closed-alb'),
      )?.status,
    ).toBe('PASS');
  });

  it('passes the link that keeps the default egress rule (its twin)', () => {
    expect(onGroup('link-open').map((finding) => finding.status)).toEqual(['PASS']);
  });
});
