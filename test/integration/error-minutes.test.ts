/**
 * What coincided with a stage's error minutes, read from the load balancers' own CloudWatch series
 * put in the emulator in their namespaces (AWS/NetworkELB, AWS/ApplicationELB), each finding beside
 * its healthy twin. The shop is the healthy twin of the broken one: every path sound at audit time,
 * so only the series over the window can explain the errors.
 */
import {
  ModifyListenerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { latencyAtTimeout } from '../../lambda/checks/latency-at-timeout';
import { listenerCertificateExpiry } from '../../lambda/checks/listener-certificate-expiry';
import { targetResetsCoincide } from '../../lambda/checks/target-resets-coincide';
import { targetsAnswered5xx } from '../../lambda/checks/targets-answered-5xx';
import { tgFailedOpen } from '../../lambda/checks/tg-failed-open';
import { tgHealthCheckPort } from '../../lambda/checks/tg-health-check-port';
import { tgHealthyDip } from '../../lambda/checks/tg-healthy-dip';
import { tgProxyProtocolV2 } from '../../lambda/checks/tg-proxy-protocol-v2';
import { tgTcpHealthCheck } from '../../lambda/checks/tg-tcp-health-check';
import { collectInventory } from '../../lambda/collect/inventory';
import type { Finding } from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import {
  type AccountSpec,
  type LoadBalancerSeriesSpec,
  type SeededAccount,
  seedAccount,
} from '../../scripts/seed/seed-account';
import { must, useEmulator } from '../support/emulator';
import { importTestCertificate } from '../support/test-certificate';

const CHECKS = [
  tgHealthyDip,
  tgFailedOpen,
  targetResetsCoincide,
  targetsAnswered5xx,
  latencyAtTimeout,
  tgTcpHealthCheck,
  tgHealthCheckPort,
  tgProxyProtocolV2,
  listenerCertificateExpiry,
];

const PERIODS = 12;
const steady = (value: number): number[] => new Array<number>(PERIODS).fill(value);
/** The window's periods 5 and 6 (0-based): the burst. */
const BURST = [5, 6];
const inBurst = (during: number, otherwise: number): number[] =>
  Array.from({ length: PERIODS }, (_, i) => (BURST.includes(i) ? during : otherwise));

/** orders-http (NLB orders-nlb) and catalog-http (ALB catalog-alb) fail in the burst only. */
function burstShop(series: {
  nlb?: LoadBalancerSeriesSpec[];
  alb?: LoadBalancerSeriesSpec[];
  resets?: number[];
  catalogLatencyMs?: number[];
  targetGroups?: Partial<Record<string, Partial<AccountSpec['targetGroups'][number]>>>;
  /** catalog-http then sends to an HTTPS listener of catalog-alb, on 443, with this certificate. */
  catalogCertificateArn?: string;
}): AccountSpec {
  const https = series.catalogCertificateArn;
  return {
    ...HEALTHY_TWIN,
    targetGroups: HEALTHY_TWIN.targetGroups.map((group) => ({
      ...group,
      ...series.targetGroups?.[group.name],
    })),
    loadBalancers: HEALTHY_TWIN.loadBalancers.map((lb) => ({
      ...lb,
      ...(lb.name === 'orders-nlb'
        ? { series: series.nlb ?? [], ...(series.resets ? { resets: series.resets } : {}) }
        : {}),
      ...(lb.name === 'catalog-alb'
        ? {
            series: series.alb ?? [],
            ...(https
              ? {
                  listeners: [
                    ...lb.listeners,
                    {
                      port: 443,
                      protocol: 'HTTPS' as const,
                      targetGroup: 'catalog-tg',
                      certificateArn: https,
                    },
                  ],
                }
              : {}),
          }
        : {}),
    })),
    httpApis: HEALTHY_TWIN.httpApis.map((api) => ({
      ...api,
      ...(https && api.name === 'catalog-http'
        ? { integrations: api.integrations.map((integration) => ({ ...integration, port: 443 })) }
        : {}),
      traffic: {
        requests: steady(1000),
        errors5xx: inBurst(400, 0),
        ...(api.name === 'catalog-http' && series.catalogLatencyMs
          ? { integrationLatencyByPeriodMs: series.catalogLatencyMs }
          : { integrationLatencyMaxMs: 200 }),
      },
    })),
  };
}

/** Steady group and zone health for orders-tg (three zones, one target each). */
const steadyNlbHealth: LoadBalancerSeriesSpec[] = [
  { metricName: 'HealthyHostCount', targetGroup: 'orders-tg', values: steady(3) },
  { metricName: 'UnHealthyHostCount', targetGroup: 'orders-tg', values: steady(0) },
  ...['us-east-1a', 'us-east-1b', 'us-east-1c'].map((zone) => ({
    metricName: 'HealthyHostCount',
    targetGroup: 'orders-tg',
    zone,
    values: steady(1),
  })),
];

describe('what coincided with the error minutes', () => {
  const aws = useEmulator();

  beforeEach(async () => {
    await aws.emulator().reset();
  });

  async function audit(
    spec: AccountSpec,
    now = new Date(),
    configure?: (seeded: SeededAccount) => Promise<unknown>,
  ): Promise<Finding[]> {
    const clients = aws.clients();
    const seeded = await seedAccount(clients, spec, now);
    await configure?.(seeded);
    const triage = await readTraffic(clients, seeded.window);
    const stages = triage.traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS, seeded.window));
    const inventory = await collectInventory(clients, stages, seeded.window, '123456789012');
    return evaluateChecks(inventory, { allChecks: false, checks: CHECKS });
  }

  /** The one finding of `checkId` on a resource whose ARN (or, for a stage, whose message) names `name`. */
  const only = (findings: Finding[], checkId: string, name: string): Finding => {
    const matching = findings.filter(
      (f) =>
        f.checkId === checkId &&
        (f.resourceArn.includes(name) ||
          (f.resourceType.endsWith('::Stage') && f.message.includes(`${name}/`))),
    );
    expect(matching).toHaveLength(1);
    return matching[0] as Finding;
  };

  it('finds a deploy burst: healthy targets of a zone fell to zero in the error minutes, all healthy now', async () => {
    // Arrange: the NLB's targets were replaced at once (scale-in then new ones not yet healthy).
    const spec = burstShop({
      nlb: [
        { metricName: 'HealthyHostCount', targetGroup: 'orders-tg', values: inBurst(0, 3) },
        { metricName: 'UnHealthyHostCount', targetGroup: 'orders-tg', values: steady(0) },
        ...['us-east-1a', 'us-east-1b', 'us-east-1c'].map((zone) => ({
          metricName: 'HealthyHostCount',
          targetGroup: 'orders-tg',
          zone,
          values: zone === 'us-east-1a' ? inBurst(0, 1) : inBurst(0, 1),
        })),
      ],
    });

    // Act
    const findings = await audit(spec);

    // Assert
    const dip = only(findings, 'tg-healthy-dip', 'orders-tg');
    expect(dip.status).toBe('FAIL');
    expect(dip.message).toMatch(/zone us-east-1a fell to 0 \(from 1\) at \d\d:\d\d-\d\d:\d\d/);
    expect(dip.message).toContain('all 3 registered targets are healthy now');
    expect(dip.message).toMatch(/deregistration delay 300 s/);
    expect(dip.message).toContain('registration and deregistration each take a few minutes');
    expect(dip.evidence.errorMinutes).toHaveLength(2);
    // Deregistered, not unhealthy: the group did not fail open.
    expect(only(findings, 'tg-failed-open', 'orders-tg').status).toBe('PASS');
  }, 120_000);

  it('stays silent when healthy targets held steady through the error minutes (healthy twin)', async () => {
    const findings = await audit(burstShop({ nlb: steadyNlbHealth }));
    expect(only(findings, 'tg-healthy-dip', 'orders-tg').status).toBe('PASS');
    expect(only(findings, 'tg-failed-open', 'orders-tg').status).toBe('PASS');
  }, 120_000);

  it('finds a group that failed open: no healthy target, all unhealthy, in the error minutes', async () => {
    const spec = burstShop({
      nlb: [
        { metricName: 'HealthyHostCount', targetGroup: 'orders-tg', values: inBurst(0, 3) },
        { metricName: 'UnHealthyHostCount', targetGroup: 'orders-tg', values: inBurst(3, 0) },
        ...steadyNlbHealth.filter((series) => series.zone),
      ],
    });
    const findings = await audit(spec);
    const open = only(findings, 'tg-failed-open', 'orders-tg');
    expect(open.status).toBe('FAIL');
    expect(open.message).toMatch(
      /no healthy target and up to 3 unhealthy ones at \d\d:\d\d-\d\d:\d\d.*failed open/,
    );
  }, 120_000);

  it('finds target resets bunched in the error minutes, and stays silent when they are not there', async () => {
    const broken = await audit(burstShop({ nlb: steadyNlbHealth, resets: inBurst(60, 0) }));
    const resets = only(broken, 'target-resets-coincide', 'orders-nlb');
    expect(resets.status).toBe('FAIL');
    expect(resets.message).toMatch(/120 TCP_Target_Reset_Count at \d\d:\d\d-\d\d:\d\d/);

    await aws.emulator().reset();
    // Twin: the same number of resets, but in periods the stage did not fail.
    const twin = await audit(
      burstShop({ nlb: steadyNlbHealth, resets: [60, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }),
    );
    expect(only(twin, 'target-resets-coincide', 'orders-nlb').status).toBe('PASS');
  }, 240_000);

  it("names the load balancer's idle timeout beside resets that coincided, and nothing of it without them", async () => {
    // The NLB's TCP listener times idle flows out after 120 s (ModifyListenerAttributes, NLB guide
    // "Update the TCP idle timeout": `tcp.idle_timeout.seconds`, 60-6000).
    const nlbIdle120 = (seeded: SeededAccount) =>
      aws.clients().elb.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: must(seeded.listeners['orders-nlb:80'], 'orders-nlb:80'),
          Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '120' }],
        }),
      );
    const broken = await audit(
      burstShop({ nlb: steadyNlbHealth, resets: inBurst(60, 0) }),
      new Date(),
      nlbIdle120,
    );
    const resets = only(broken, 'target-resets-coincide', 'orders-nlb');
    expect(resets.status).toBe('FAIL');
    expect(resets.message).toContain(
      'Idle timeout of NLB orders-nlb: 120 s (listener TCP:80, tcp.idle_timeout.seconds); the targets must keep idle connections open longer than that',
    );
    expect(resets.message).toContain("the audit cannot read the targets' keep-alive timeout");
    expect(resets.evidence.idleTimeouts).toEqual([
      { where: 'listener TCP:80', seconds: 120, source: 'tcp.idle_timeout.seconds' },
    ]);

    await aws.emulator().reset();
    // The ALB's own 502s in the burst, its idle timeout raised to 90 s (ALB guide, "Edit attributes":
    // `idle_timeout.timeout_seconds`).
    const albIdle90 = (seeded: SeededAccount) =>
      aws.clients().elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: must(seeded.loadBalancers['catalog-alb'], 'catalog-alb').arn,
          Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '90' }],
        }),
      );
    const alb502 = await audit(
      burstShop({
        nlb: steadyNlbHealth,
        alb: [{ metricName: 'HTTPCode_ELB_502_Count', values: inBurst(400, 0) }],
      }),
      new Date(),
      albIdle90,
    );
    const gateway = only(alb502, 'target-resets-coincide', 'catalog-alb');
    expect(gateway.status).toBe('FAIL');
    expect(gateway.message).toContain(
      ': 90 s (load balancer, idle_timeout.timeout_seconds); the targets must keep',
    );

    await aws.emulator().reset();
    // Twin: the same idle timeouts, no resets and no 502s: no advice on either load balancer.
    const twin = await audit(burstShop({ nlb: steadyNlbHealth }), new Date(), async (seeded) => {
      await nlbIdle120(seeded);
      await albIdle90(seeded);
    });
    for (const name of ['orders-nlb', 'catalog-alb']) {
      const silent = only(twin, 'target-resets-coincide', name);
      expect(silent.status).toBe('PASS');
      expect(silent.message).not.toContain('idle');
      expect(silent.evidence).not.toHaveProperty('idleTimeouts');
    }
  }, 360_000);

  it('says there is no network cause when the ALB targets answered the 5xx themselves', async () => {
    const answered = await audit(
      burstShop({
        alb: [
          { metricName: 'HTTPCode_Target_5XX_Count', targetGroup: 'catalog-tg', values: inBurst(400, 0) },
        ],
      }),
    );
    const finding = only(answered, 'targets-answered-5xx', 'catalog-alb');
    expect(finding.status).toBe('WARN');
    expect(finding.message).toMatch(/^no network cause: the targets answered 5xx themselves/);
    expect(finding.evidence).toMatchObject({ notNetworkCause: true, stageErrors: 800, answeredShare: 1 });
    // The NLB sees no status codes: not applicable there, never a pass.
    expect(only(answered, 'targets-answered-5xx', 'orders-nlb').status).toBe('SKIPPED');

    await aws.emulator().reset();
    // Twin: the ALB itself answered 502 in the burst; the targets answered none.
    const twin = await audit(
      burstShop({
        alb: [
          { metricName: 'HTTPCode_ELB_5XX_Count', values: inBurst(400, 0) },
          { metricName: 'HTTPCode_ELB_502_Count', values: inBurst(400, 0) },
        ],
      }),
    );
    const silent = only(twin, 'targets-answered-5xx', 'catalog-alb');
    expect(silent.status).toBe('PASS');
    expect(silent.evidence.notNetworkCause).toBe(false);
    // ...and the ALB's own 502s in those minutes are connection failures to the targets.
    expect(only(twin, 'target-resets-coincide', 'catalog-alb').status).toBe('FAIL');
  }, 240_000);

  it('finds latency at the integration timeout in the failing minutes only', async () => {
    // catalog-http's integration times out at 30 s (the HTTP API default).
    const atTimeout = await audit(burstShop({ catalogLatencyMs: inBurst(29_900, 200) }));
    const finding = only(atTimeout, 'latency-at-timeout', 'catalog-http');
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toMatch(
      /reached its integration timeout in the error minutes \d\d:\d\d-\d\d:\d\d \(up to 29900 ms against 30000 ms\)/,
    );

    await aws.emulator().reset();
    // Twin: as slow, but outside the error minutes.
    const twin = await audit(
      burstShop({ catalogLatencyMs: [29_900, 29_900, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] }),
    );
    expect(only(twin, 'latency-at-timeout', 'catalog-http').status).toBe('PASS');
  }, 240_000);

  it("finds the HTTPS listener's certificate expired before the stage's errors, and passes a valid one", async () => {
    // ACM (and the emulator) refuse to import an expired certificate: import one that expires in an
    // hour and audit the hour that starts two hours later, as a run then would see it.
    const now = Date.now();
    const expiring = await importTestCertificate(
      aws.clients(),
      'catalog.example.com',
      new Date(now - 86_400_000).toISOString(),
      new Date(now + 3_600_000).toISOString(),
    );
    const findings = await audit(
      burstShop({ catalogCertificateArn: expiring }),
      new Date(now + 3 * 3_600_000),
    );
    const finding = only(findings, 'listener-certificate-expiry', 'catalog-alb');
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toMatch(
      /listener HTTPS:443 of ALB catalog-alb \(catalog.example.com\) expired at .*, and the stage failed after that, at \d\d:\d\d-\d\d:\d\d/,
    );

    await aws.emulator().reset();
    const valid = await importTestCertificate(
      aws.clients(),
      'catalog.example.com',
      new Date(now - 86_400_000).toISOString(),
      new Date(now + 365 * 86_400_000).toISOString(),
    );
    const twin = await audit(burstShop({ catalogCertificateArn: valid }));
    expect(only(twin, 'listener-certificate-expiry', 'catalog-alb').status).toBe('PASS');
  }, 240_000);

  it('advises on a TCP health check, a side health check port and proxy protocol v2, and passes their twins', async () => {
    const findings = await audit(
      burstShop({
        targetGroups: {
          'orders-tg': {
            healthCheck: { protocol: 'TCP', port: '9000' },
            attributes: { 'proxy_protocol_v2.enabled': 'true' },
          },
          'catalog-tg': { healthCheck: { protocol: 'HTTP' } },
        },
      }),
    );
    expect(only(findings, 'tg-tcp-health-check', 'orders-tg').status).toBe('WARN');
    expect(only(findings, 'tg-health-check-port', 'orders-tg').message).toContain(
      'port 9000, not on the traffic port 8080',
    );
    expect(only(findings, 'tg-proxy-protocol-v2', 'orders-tg').status).toBe('WARN');
    // Twins: the ALB's group checks HTTP on the traffic port; proxy protocol is an NLB setting.
    expect(only(findings, 'tg-tcp-health-check', 'catalog-tg').status).toBe('PASS');
    expect(only(findings, 'tg-health-check-port', 'catalog-tg').status).toBe('PASS');
    expect(only(findings, 'tg-proxy-protocol-v2', 'catalog-tg').status).toBe('SKIPPED');
  }, 120_000);
});
