/**
 * The VPC link -> load balancer hop on the emulator: an HTTP API's V2 link (its own security group,
 * an interface in two subnets) sends to two NLBs with security groups and two ALBs. Each broken load
 * balancer has a healthy twin in the same account, so every verdict is read against its twin:
 * - NLB whose group admits the link's group: PASS; admits only an unrelated group: FAIL naming the
 *   link's subnets and zones;
 * - ALB whose group admits the link's subnets only (not the whole VPC): PASS, and its other listener,
 *   closed to the link, is not charged; ALB whose group opens the link only another listener's port:
 *   FAIL on the path's port.
 * The V1 link's PrivateLink enforcement is not expressible here (see
 * test/unit/collect/nlb-private-link-enforcement.test.ts).
 */
import { collectInventory } from '../../lambda/collect/inventory';
import type { Finding } from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { type AccountSpec, type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';
import { LINK_NETWORK, TARGETS_GROUP } from '../support/link-network';

const steady = (value: number): number[] => new Array<number>(12).fill(value);

const tcpTargets = (name: string) => ({
  name,
  protocol: 'TCP' as const,
  port: 8080,
  targets: ['app-a', 'app-b'],
});
const httpTargets = (name: string, targets = ['app-a', 'app-b']) => ({
  name,
  protocol: 'HTTP' as const,
  port: 8080,
  targets,
});

type LoadBalancerSpec = AccountSpec['loadBalancers'][number];
const inBothZones = { subnets: ['private-a', 'private-b'] };
const nlbIn = (name: string, securityGroup: string): LoadBalancerSpec => ({
  name,
  type: 'network',
  ...inBothZones,
  securityGroups: [securityGroup],
  crossZone: true,
  listeners: [{ port: 80, protocol: 'TCP', targetGroup: `${name}-tg` }],
});
const albIn = (name: string, securityGroup: string, otherPort: number): LoadBalancerSpec => ({
  name,
  type: 'application',
  ...inBothZones,
  securityGroups: [securityGroup],
  listeners: [
    { port: 80, protocol: 'HTTP', targetGroup: `${name}-tg` },
    { port: otherPort, protocol: 'HTTP', targetGroup: `${name}-billing-tg` },
  ],
});

const SHOP: AccountSpec = {
  ...LINK_NETWORK,
  securityGroups: [
    { name: 'link', ingress: [] },
    { name: 'unrelated', ingress: [] },
    TARGETS_GROUP,
    { name: 'nlb-admits-link', ingress: [{ port: 80, fromGroup: 'link' }] },
    { name: 'nlb-admits-unrelated', ingress: [{ port: 80, fromGroup: 'unrelated' }] },
    {
      name: 'alb-admits-link-subnets',
      ingress: [
        { port: 80, cidr: '10.0.21.0/24' },
        { port: 80, cidr: '10.0.22.0/24' },
      ],
    },
    { name: 'alb-admits-other-port', ingress: [{ port: 8443, fromGroup: 'link' }] },
  ],
  targetGroups: [
    tcpTargets('nlb-ok-tg'),
    tcpTargets('nlb-bad-tg'),
    httpTargets('alb-ok-tg'),
    httpTargets('alb-ok-billing-tg'),
    httpTargets('alb-bad-tg'),
    httpTargets('alb-bad-billing-tg'),
  ],
  loadBalancers: [
    nlbIn('nlb-ok', 'nlb-admits-link'),
    nlbIn('nlb-bad', 'nlb-admits-unrelated'),
    // Each ALB's second listener serves another service: it is not on the API's path.
    albIn('alb-ok', 'alb-admits-link-subnets', 9443),
    albIn('alb-bad', 'alb-admits-other-port', 8443),
  ],
  flowLogs: true,
  httpApis: [
    {
      name: 'shop-http',
      stage: 'prod',
      vpcLink: { name: 'shop-link', subnets: ['link-a', 'link-b'], securityGroups: ['link'] },
      integrations: ['nlb-ok', 'nlb-bad', 'alb-ok', 'alb-bad'].map((loadBalancer) => ({
        loadBalancer,
        port: 80,
      })),
      traffic: { requests: steady(1000), errors5xx: steady(400), integrationLatencyMaxMs: 900 },
    },
  ],
  restApis: [],
};

describe('who may connect to the load balancers behind a VPC link V2, on the emulator', () => {
  const aws = useEmulator();
  let seeded: SeededAccount;
  let findings: Finding[];

  beforeAll(async () => {
    seeded = await seedAccount(aws.clients(), SHOP, new Date());
    const clients = aws.clients();
    const triage = await readTraffic(clients, seeded.window);
    const stages = triage.traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS));
    const inventory = await collectInventory(clients, stages, seeded.window, '123456789012');
    findings = evaluateChecks(inventory, { allChecks: true });
  }, 90_000);

  const finding = (checkId: string, loadBalancer: string): Finding | undefined =>
    findings.find(
      (candidate) =>
        candidate.checkId === checkId && candidate.resourceArn === seeded.loadBalancers[loadBalancer]?.arn,
    );

  it("passes an NLB whose security group admits the link's security group", () => {
    const result = finding('nlb-target-security-groups', 'nlb-ok');
    expect(result?.status).toBe('PASS');
    expect(result?.message).toContain(`allows ${seeded.securityGroups.link} tcp/80`);
  });

  it('fails an NLB whose security group admits only an unrelated group, naming the link subnets and zones (its twin)', () => {
    const result = finding('nlb-target-security-groups', 'nlb-bad');
    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { blockedZones: ['us-east-1a', 'us-east-1b'], blockedPorts: [80] },
    });
    expect(result?.message).toContain(
      'VPC link shop-link in us-east-1a (10.0.21.0/24); VPC link shop-link in us-east-1b (10.0.22.0/24)',
    );
  });

  it("passes an ALB whose security group admits the link's subnets only, without charging its other listener", () => {
    const result = finding('alb-security-group-sources', 'alb-ok');
    expect(result?.status).toBe('PASS');
    expect(result?.message).toContain('admits tcp/80 from VPC link interfaces');
    expect(result?.message).not.toContain('9443');
  });

  it("fails an ALB whose security group opens only another listener's port to the link (its twin)", () => {
    const result = finding('alb-security-group-sources', 'alb-bad');
    expect(result).toMatchObject({ status: 'FAIL', evidence: { blockedPorts: [80] } });
    expect(result?.message).not.toContain('8443');
  });

  it("passes the targets behind the NLBs: with client IP preservation they see the link's subnets, inside the VPC", () => {
    const targets = findings.filter(
      (candidate) =>
        candidate.checkId === 'nlb-target-security-groups' && candidate.resourceType === 'AWS::EC2::Instance',
    );
    expect(targets.map((candidate) => candidate.status)).toEqual(['PASS', 'PASS']);
  });
});
