/**
 * The I/O layer end to end against the emulator: seed the broken shop, triage from CloudWatch,
 * follow the failing stages' paths, evaluate, and check both the inventory and the findings.
 */
import type { AwsClients } from '../../lambda/collect/clients';
import { collectInventory } from '../../lambda/collect/inventory';
import type { ClassifiedStage, Finding, Inventory, StageTraffic } from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';

/** Calls of one audit by service family, as the report's `stats.awsCalls` would sum them. */
function callsByService(clients: AwsClients): Record<string, number> {
  return {
    apiGateway: clients.stats.total('APIGateway.') + clients.stats.total('ApiGatewayV2.'),
    cloudWatch: clients.stats.total('CloudWatch.'),
    logs: clients.stats.total('CloudWatchLogs.'),
    elb: clients.stats.total('ElasticLoadBalancingV2.'),
    ec2: clients.stats.total('EC2.'),
  };
}

describe('reading the broken account', () => {
  const aws = useEmulator();
  let seeded: SeededAccount;
  let traffic: StageTraffic[];
  let classified: ClassifiedStage[];
  let inventory: Inventory;
  let findings: Finding[];
  let auditClients: AwsClients;

  beforeAll(async () => {
    seeded = await seedAccount(aws.clients(), BROKEN_ACCOUNT, new Date());
    auditClients = aws.clients();
    const triage = await readTraffic(auditClients, seeded.window);
    expect(triage.errors).toEqual([]);
    traffic = triage.traffic;
    classified = traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS));
    const failing = classified.filter((stage) => stage.classification.endsWith('-frequency'));
    inventory = await collectInventory(auditClients, failing, seeded.window, '123456789012');
    findings = evaluateChecks(inventory, { allChecks: false });
    process.stderr.write(
      `collect-broken-account: audit calls ${JSON.stringify(callsByService(auditClients))} ` +
        `${JSON.stringify(auditClients.stats.calls)}\n`,
    );
  }, 60_000);

  it('reads each stage’s per-period requests and 5xx from CloudWatch, aligned on the window', () => {
    // Arrange
    const expected = [...BROKEN_ACCOUNT.httpApis, ...BROKEN_ACCOUNT.restApis].map((api) => ({
      apiName: api.name,
      stage: api.stage,
      requests: api.traffic.requests,
      errors5xx: api.traffic.errors5xx,
    }));

    // Act
    const read = traffic.map(({ apiName, stage, requests, errors5xx }) => ({
      apiName,
      stage,
      requests,
      errors5xx,
    }));

    // Assert
    expect(read).toEqual(expect.arrayContaining(expected));
    expect(read).toHaveLength(expected.length);
    expect(classified.map((stage) => [stage.apiName, stage.classification]).sort()).toEqual([
      ['catalog-http', 'high-frequency'],
      ['orders-http', 'high-frequency'],
      ['payments-rest', 'low-frequency'],
    ]);
  });

  it('follows the HTTP integration through its listener to the NLB, its targets and their zones', () => {
    // Arrange
    const nlb = seeded.loadBalancers['orders-nlb'];
    const orders = inventory.stages.find((stage) => stage.stage.apiName === 'orders-http');

    // Act
    const integrations = orders?.integrations.ok ? orders.integrations.value : [];
    const lb = nlb ? inventory.loadBalancers[nlb.arn] : undefined;
    const group = inventory.targetGroups[seeded.targetGroups['orders-tg'] ?? ''];

    // Assert
    expect(integrations).toEqual([
      expect.objectContaining({
        connectionType: 'VPC_LINK',
        vpcLinkId: seeded.vpcLinks['orders-link'],
        listenerArn: seeded.listeners['orders-nlb:80'],
        loadBalancerArns: [nlb?.arn],
      }),
    ]);
    expect(orders?.integrationLatencyMaxMs).toEqual({ ok: true, value: 900 });
    expect(lb?.ok && lb.value).toMatchObject({
      type: 'network',
      zones: [{ zoneName: 'us-east-1a' }, { zoneName: 'us-east-1b' }, { zoneName: 'us-east-1c' }],
      attributes: {
        ok: true,
        value: expect.objectContaining({ 'load_balancing.cross_zone.enabled': 'false' }),
      },
      tcpTargetResets: { ok: true, value: BROKEN_ACCOUNT.loadBalancers[0]?.resets },
    });
    expect(lb?.ok && lb.value.networkInterfaces.ok && lb.value.networkInterfaces.value).toHaveLength(3);
    expect(group?.ok && group.value.targets).toEqual({
      ok: true,
      value: expect.arrayContaining([
        expect.objectContaining({
          id: seeded.instances['orders-a'],
          availabilityZone: 'us-east-1a',
          state: 'healthy',
        }),
        expect.objectContaining({
          id: seeded.instances['orders-b'],
          availabilityZone: 'us-east-1b',
          state: 'unused',
        }),
      ]),
    });
  });

  it('leads a REST integration whose VPC link the emulator dropped to the NLB by its DNS name', () => {
    // Arrange
    const payments = inventory.stages.find((stage) => stage.stage.apiName === 'payments-rest');

    // Act
    const integrations = payments?.integrations.ok ? payments.integrations.value : [];

    // Assert
    expect(integrations).toEqual([
      expect.objectContaining({
        label: 'POST /payments',
        connectionType: 'VPC_LINK',
        port: 80,
        timeoutMs: 29_000,
        loadBalancerArns: [seeded.loadBalancers['orders-nlb']?.arn],
      }),
    ]);
    expect(payments?.settings).toMatchObject({
      ok: true,
      value: { accessLog: null, executionLogging: { loggingLevel: 'OFF', dataTraceEnabled: false } },
    });
  });

  it('records the network around the load balancers: VPC, subnets, ACLs, security groups, no flow logs', () => {
    // Arrange
    const subnetIds = Object.values(seeded.subnets);

    // Act
    const vpc = inventory.vpcs[seeded.vpcId];

    // Assert
    expect(vpc).toEqual({
      ok: true,
      value: { id: seeded.vpcId, cidrs: ['10.0.0.0/16'], ownerId: '123456789012' },
    });
    expect(Object.keys(inventory.subnets).sort()).toEqual([...subnetIds].sort());
    expect(Object.keys(inventory.networkAclsBySubnet).sort()).toEqual([...subnetIds].sort());
    expect(Object.values(inventory.networkAclsBySubnet).every((acl) => acl.ok)).toBe(true);
    expect(inventory.flowLogsByVpc[seeded.vpcId]).toEqual({ ok: true, value: [] });
    expect(inventory.securityGroups[seeded.securityGroups['orders-targets'] ?? '']).toMatchObject({
      ok: true,
      value: {
        inbound: [expect.objectContaining({ protocol: 'tcp', fromPort: 8080, cidrs: ['192.168.50.0/24'] })],
      },
    });
  });

  it('finds exactly the faults the account was built with', () => {
    // Arrange
    const nlb = seeded.loadBalancers['orders-nlb']?.arn;
    const alb = seeded.loadBalancers['catalog-alb']?.arn;
    const ordersTg = seeded.targetGroups['orders-tg'];
    const paymentsStage = `arn:aws:apigateway:us-east-1::/restapis/${seeded.restApis['payments-rest']}/stages/live`;

    // Act
    const problems = findings
      .filter((finding) => finding.status !== 'PASS' && finding.status !== 'SKIPPED')
      .map((finding) => `${finding.status} ${finding.checkId} ${finding.resourceArn}`);

    // Assert
    expect(problems.sort()).toEqual(
      [
        `FAIL lb-cross-zone ${ordersTg}`,
        // One finding on the root cause, the targets' security group, not one per instance.
        `FAIL nlb-target-security-groups arn:aws:ec2:us-east-1:123456789012:security-group/${seeded.securityGroups['orders-targets']}`,
        `FAIL stage-access-logging ${paymentsStage}`,
        `FAIL tg-empty-az ${ordersTg}`,
        `FAIL tg-unhealthy-az ${ordersTg}`,
        `FAIL vpc-flow-logs ${alb}`,
        `FAIL vpc-flow-logs ${nlb}`,
        `WARN client-retries ${paymentsStage}`,
        `WARN nlb-tcp-target-resets ${nlb}`,
        // The NLB's TCP target group checks health over TCP, in front of an HTTP application.
        `WARN tg-tcp-health-check ${ordersTg}`,
      ].sort(),
    );
  });

  it('reads the path with one batched call per kind of resource', () => {
    // Arrange
    const calls = auditClients.stats.calls;

    // Act
    const byService = callsByService(auditClients);

    // Assert
    expect(calls['APIGateway.GetResources']).toBe(1);
    expect(calls['ElasticLoadBalancingV2.DescribeLoadBalancers']).toBe(1);
    expect(calls['EC2.DescribeInstances']).toBe(1);
    expect(calls['EC2.DescribeSecurityGroups']).toBe(1);
    expect(calls['EC2.DescribeFlowLogs']).toBe(1);
    expect(calls['EC2.DescribeNetworkInterfaces']).toBe(1);
    expect(calls['CloudWatch.GetMetricData']).toBe(2);
    // Two more than before the path model: GetRoutes, once per audited HTTP API.
    expect(byService.apiGateway).toBeLessThanOrEqual(12);
    expect(byService.ec2).toBe(7);
  });

  it('queries no access-log group outside the configured prefix, and only that prefix with one', async () => {
    // Arrange: the failing HTTP stages log to orders-http-access and catalog-http-access
    const http = classified.filter(
      (stage) => stage.apiType === 'HTTP' && stage.classification.endsWith('-frequency'),
    );
    const withPrefix = aws.clients();

    // Act
    const narrowed = await collectInventory(withPrefix, http, seeded.window, '123456789012', {
      accessLogGroupPrefix: 'orders-',
    });

    // Assert: without a prefix (the collect above) no access-log group was searched
    const unsearched = inventory.stages
      .filter((stage) => stage.stage.apiType === 'HTTP')
      .map((stage) => stage.networkErrorLogLines);
    expect(unsearched).toEqual([
      { ok: true, value: expect.objectContaining({ notSearched: expect.stringContaining('none is set') }) },
      { ok: true, value: expect.objectContaining({ notSearched: expect.stringContaining('none is set') }) },
    ]);
    expect(withPrefix.stats.calls['CloudWatchLogs.FilterLogEvents']).toBe(1);
    const byGroup = Object.fromEntries(
      narrowed.stages.map((stage) => [stage.stage.apiName, stage.networkErrorLogLines]),
    );
    expect(byGroup['catalog-http']).toEqual({
      ok: true,
      value: expect.objectContaining({ logGroup: 'catalog-http-access', notSearched: expect.any(String) }),
    });
    expect(byGroup['orders-http']).toBeDefined();
    expect(byGroup['orders-http']).not.toMatchObject({ value: { notSearched: expect.any(String) } });
  });
});
