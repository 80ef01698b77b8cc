/**
 * A REST stage's canary is a second path with its share of the requests: a canary whose stage
 * variable override sends it through another VPC link to another NLB is judged on that NLB's hops.
 * Shapes as the collector keeps them (CanaryInventory, from GetStage `canarySettings`, API Gateway
 * API reference, CanarySettings: percentTraffic, deploymentId, stageVariableOverrides).
 */
import { GetStageCommand, GetVpcLinksCommand, type Stage } from '@aws-sdk/client-api-gateway';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { tgUnhealthyAz } from '../../../lambda/checks/tg-unhealthy-az';
import type { CanaryInventory, Inventory, TargetFacts } from '../../../lambda/domain/types';
import { collected } from '../../../lambda/domain/types';
import { evaluateChecks } from '../../../lambda/engine/evaluate';
import { buildStagePaths } from '../../../lambda/path/build';
import { auditedPath } from '../../../lambda/path/components';
import {
  ACCOUNT,
  anNlb,
  aRestIntegration,
  aTarget,
  aTargetGroup,
  aVpcLink,
  NLB_ARN,
  nlbScenario,
  REGION,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';
import { VARIABLE } from '../collect/export-fixtures';
import {
  arns,
  stage as aStage,
  audit,
  dns,
  ordersNlb,
  recordOrdersNlb,
  recordRestApi,
  recordTcpForward,
  statusOf,
} from '../collect/real-account';
import { recordedClients } from '../collect/recorded-clients';

const CANARY_NLB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/orders-v2-nlb/6e1f0a9b8c7d6e5f`;
const CANARY_TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/orders-v2-tg/5d1d2e3c4b5a6978`;

/** The canary's GET /orders, its `connectionId` `${stageVariables.vpcLinkId}` resolved with the override. */
const canaryIntegration = (vpcLinkId: string) =>
  aRestIntegration({
    rawConnectionId: VARIABLE.vpcLinkId,
    vpcLinkId,
    uri: 'http://orders-v2-nlb-6e1f0a9b8c7d6e5f.elb.us-east-1.amazonaws.com:80/orders',
  });

const aCanary = (share: number, vpcLinkId = 'vl-canary'): CanaryInventory => ({
  share,
  deploymentId: 'c4n4ry',
  stageVariables: { vpcLinkId },
  integrations: collected([canaryIntegration(vpcLinkId)]),
});

/** DescribeTargetHealth's `Target.FailedHealthChecks` state, as the collector keeps it. */
const failing = (target: Partial<TargetFacts>): TargetFacts =>
  aTarget({ state: 'unhealthy', reason: 'Target.FailedHealthChecks', ...target });

/**
 * The healthy main path of nlbScenario, plus the canary's link `vl-canary` to `orders-v2-nlb`
 * (TCP:80 -> orders-v2-tg) whose targets are `targets`.
 */
function withCanary(canary: CanaryInventory | undefined, targets: TargetFacts[]): Inventory {
  return nlbScenario({ stage: canary ? { canary } : {} })
    .with(
      'vpcLinks',
      'vl-canary',
      aVpcLink({ id: 'vl-canary', name: 'orders-v2-link', targetArns: [CANARY_NLB_ARN] }),
    )
    .with(
      'loadBalancers',
      CANARY_NLB_ARN,
      anNlb({
        arn: CANARY_NLB_ARN,
        name: 'orders-v2-nlb',
        listeners: collected([
          {
            arn: `${CANARY_NLB_ARN}/listener-80`,
            port: 80,
            protocol: 'TCP',
            targetGroupArns: [CANARY_TG_ARN],
          },
        ]),
        targetGroupArns: collected([CANARY_TG_ARN]),
      }),
    )
    .with(
      'targetGroups',
      CANARY_TG_ARN,
      aTargetGroup({
        arn: CANARY_TG_ARN,
        name: 'orders-v2-tg',
        loadBalancerArns: [CANARY_NLB_ARN],
        targets: collected(targets),
      }),
    )
    .build();
}

const UNHEALTHY = [
  failing({ id: 'i-0a1', availabilityZone: 'us-east-1a' }),
  failing({ id: 'i-0b2', availabilityZone: 'us-east-1b' }),
];
const HEALTHY = [
  aTarget({ id: 'i-0a1', availabilityZone: 'us-east-1a' }),
  aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b' }),
];

const pathsOf = (inventory: Inventory) => {
  const [stage] = inventory.stages;
  if (!stage) throw new Error('no stage');
  return buildStagePaths(stage, inventory);
};

describe("a REST stage's canary as a second path", () => {
  it('follows the canary through its own link to its NLB, with its share; the main path keeps the rest', () => {
    const paths = pathsOf(withCanary(aCanary(0.1), UNHEALTHY));
    expect(paths.map((path) => [path.variant, path.share])).toEqual([
      ['main', 0.9],
      ['canary', 0.1],
    ]);
    const [main, canary] = paths;
    expect(main?.loadBalancers.map((lb) => lb.loadBalancer.arn)).toEqual([NLB_ARN]);
    expect(canary?.loadBalancers.map((lb) => lb.loadBalancer.arn)).toEqual([CANARY_NLB_ARN]);
    expect(canary?.loadBalancers[0]?.vpcLinks.map((link) => link.id)).toEqual(['vl-canary']);
    expect(canary?.loadBalancers[0]?.canaryShare).toBe(0.1);
    expect(canary?.loadBalancers[0]?.targetGroups.map((hop) => hop.targetGroup.arn)).toEqual([CANARY_TG_ARN]);
    expect(canary?.problems).toEqual([]);
  });

  it('FAILs tg-unhealthy-az for the canary NLB whose targets are all unhealthy, naming the canary', () => {
    const inventory = withCanary(aCanary(0.1), UNHEALTHY);
    const results = resultsOf(tgUnhealthyAz, inventory);
    const canaryGroup = results.find((result) => result.resourceArn === CANARY_TG_ARN);
    expect(canaryGroup?.status).toBe('FAIL');
    expect(canaryGroup?.message).toContain('orders-v2-nlb on the canary (10% of requests)');
    expect(canaryGroup?.message).toContain('us-east-1a');
    expect(canaryGroup?.apis).toEqual([{ region: REGION, apiId: 'a1b2c3', stage: 'prod' }]);
    // The main path's target group is healthy and says nothing of a canary.
    const mainGroup = results.find((result) => result.resourceArn === TG_ARN);
    expect(mainGroup?.status).toBe('PASS');
    expect(mainGroup?.message).not.toContain('canary');
  });

  it('lists the canary in the audited path: the stage and its canary carry their shares, the canary leads to its own integration', () => {
    const inventory = withCanary(aCanary(0.1), UNHEALTHY);
    const [stage] = inventory.stages;
    if (!stage) throw new Error('no stage');
    const hops = auditedPath(stage, inventory);
    const starts = hops.filter((hop) => hop.kind === 'stage' || hop.kind === 'canary');
    expect(starts.map((hop) => [hop.kind, hop.label, hop.share, hop.facts])).toEqual([
      ['stage', 'stage orders/prod', 0.9, { apiType: 'REST' }],
      ['canary', 'canary (10% of requests)', 0.1, { apiType: 'REST', deploymentId: 'c4n4ry' }],
    ]);
    const integrations = hops.filter((hop) => hop.kind === 'integration');
    expect(integrations.map((hop) => [hop.label, hop.variant])).toEqual([
      ['GET /orders', undefined],
      ['canary (10% of requests): GET /orders', 'canary'],
    ]);
    const [stageHop, canaryHop] = starts;
    expect(canaryHop?.from).toEqual([stageHop?.seq]);
    expect(integrations[1]?.from).toEqual([canaryHop?.seq]);
    // Numbered once across both paths: every hop is reached from an earlier one.
    expect(hops.map((hop) => hop.seq)).toEqual(hops.map((_, index) => index + 1));
    for (const hop of hops) expect(hop.from.every((from) => from < hop.seq)).toBe(true);
    const canaryNlb = hops.find((hop) => hop.id === CANARY_NLB_ARN);
    const canaryLink = hops.find((hop) => hop.kind === 'vpc-link' && hop.id.endsWith('/vl-canary'));
    expect(canaryNlb?.from).toEqual([canaryLink?.seq]);
  });

  it('gives a stage without a canary no share and no canary component (healthy twin)', () => {
    const inventory = withCanary(undefined, HEALTHY);
    const [stage] = inventory.stages;
    if (!stage) throw new Error('no stage');
    const hops = auditedPath(stage, inventory);
    expect(hops.filter((hop) => hop.kind === 'canary')).toEqual([]);
    expect(hops.filter((hop) => hop.share !== undefined || hop.variant !== undefined)).toEqual([]);
  });

  it('starts a canary at 100% at the canary, which carries every request', () => {
    const inventory = withCanary(aCanary(1), HEALTHY);
    const [stage] = inventory.stages;
    if (!stage) throw new Error('no stage');
    const hops = auditedPath(stage, inventory);
    expect(hops.slice(0, 3).map((hop) => [hop.kind, hop.share])).toEqual([
      ['stage', undefined],
      ['canary', 1],
      ['integration', undefined],
    ]);
  });

  it('merges a load balancer both paths cross into one hop reached from both integrations', () => {
    const inventory = withCanary(aCanary(0.25, 'vl-orders'), HEALTHY);
    const [stage] = inventory.stages;
    if (!stage) throw new Error('no stage');
    const hops = auditedPath(stage, inventory);
    const nlbHops = hops.filter((hop) => hop.kind === 'load-balancer');
    expect(nlbHops.map((hop) => hop.id)).toEqual([NLB_ARN]);
    const link = hops.filter((hop) => hop.kind === 'vpc-link');
    expect(link).toHaveLength(1);
    expect(link[0]?.from).toHaveLength(2);
  });

  describe('healthy twins stay silent', () => {
    it('the same stage without a canary has one path and no FAIL', () => {
      const inventory = withCanary(undefined, UNHEALTHY);
      const paths = pathsOf(inventory);
      expect(paths.map((path) => [path.variant, path.share])).toEqual([['main', 1]]);
      expect(resultsOf(tgUnhealthyAz, inventory).map((result) => result.resourceArn)).toEqual([TG_ARN]);
      expect(resultsOf(tgUnhealthyAz, inventory).every((result) => result.status === 'PASS')).toBe(true);
    });

    it('a canary on the same healthy path raises nothing', () => {
      const inventory = withCanary(aCanary(0.1, 'vl-orders'), HEALTHY);
      const findings = evaluateChecks(inventory, { allChecks: true });
      expect(findings.filter((finding) => finding.status === 'FAIL')).toEqual([]);
      expect(
        findings.filter((finding) => finding.checkId === 'tg-unhealthy-az').map((f) => f.status),
      ).toEqual(['PASS']);
    });

    it('a canary through another link to healthy targets passes there too', () => {
      const inventory = withCanary(aCanary(0.1), HEALTHY);
      const results = resultsOf(tgUnhealthyAz, inventory);
      expect(results.map((result) => [result.resourceArn, result.status])).toEqual([
        [TG_ARN, 'PASS'],
        [CANARY_TG_ARN, 'PASS'],
      ]);
    });

    it("a 100% canary takes every request: the stage's own path is not judged", () => {
      const inventory = withCanary(aCanary(1), HEALTHY);
      expect(pathsOf(inventory).map((path) => [path.variant, path.share])).toEqual([['canary', 1]]);
      expect(resultsOf(tgUnhealthyAz, inventory).map((result) => result.resourceArn)).toEqual([
        CANARY_TG_ARN,
      ]);
    });

    it('a 0% canary is no path: its unhealthy NLB is never judged', () => {
      const inventory = withCanary(aCanary(0), UNHEALTHY);
      expect(pathsOf(inventory).map((path) => [path.variant, path.share])).toEqual([['main', 1]]);
      expect(resultsOf(tgUnhealthyAz, inventory).map((result) => result.resourceArn)).toEqual([TG_ARN]);
    });
  });
});

/**
 * The same case collected from a real-shaped account (SDK recordings: moto's CreateStage ignores
 * `canarySettings`, notes/emulator.md). GET /orders sends to `${stageVariables.vpcLinkId}` and
 * `${stageVariables.nlbHost}`: the stage's own variables name orders-nlb (healthy, real-account.ts);
 * the canary's overrides name link vl9z8y7 to orders-v2-nlb, whose targets fail their health checks.
 */
describe('a canary collected from a real-shaped account', () => {
  const ELB = `arn:aws:elasticloadbalancing:us-east-1:${arns.nlb.split(':')[4]}`;
  const v2 = {
    nlb: `${ELB}:loadbalancer/net/orders-v2-nlb/6e1f0a9b8c7d6e5f`,
    listener: `${ELB}:listener/net/orders-v2-nlb/6e1f0a9b8c7d6e5f/0b1c2d3e4f5a6b7c`,
    tg: `${ELB}:targetgroup/orders-v2-tg/5d1d2e3c4b5a6978`,
    dns: 'orders-v2-nlb-6e1f0a9b8c7d6e5f.elb.us-east-1.amazonaws.com',
  };

  function recordCanaryAccount(
    canarySettings: Stage['canarySettings'],
    canaryHealth: 'healthy' | 'unhealthy',
  ) {
    const recorded = recordedClients();
    const { mocks } = recorded;
    recordRestApi(recorded, {
      connectionType: 'VPC_LINK',
      connectionId: VARIABLE.vpcLinkId,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own stage-variable syntax
      uri: 'http://${stageVariables.nlbHost}:80/orders',
    });
    // GetStage (API Gateway API reference, Stage; CanarySettings: percentTraffic, deploymentId, stageVariableOverrides).
    mocks.apiGateway.on(GetStageCommand).resolves({
      stageName: 'prod',
      deploymentId: 'd1e2f3',
      methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false } },
      variables: { vpcLinkId: 'vl1a2b3', nlbHost: dns.nlb },
      ...(canarySettings ? { canarySettings } : {}),
    });
    // GetVpcLinks (API Gateway API reference, VpcLink): the stage's link and the canary's.
    mocks.apiGateway.on(GetVpcLinksCommand).resolves({
      items: [
        { id: 'vl1a2b3', name: 'orders-link', targetArns: [arns.nlb], status: 'AVAILABLE' },
        { id: 'vl9z8y7', name: 'orders-v2-link', targetArns: [v2.nlb], status: 'AVAILABLE' },
      ],
    });
    recordOrdersNlb(recorded);
    const ordersV2: LoadBalancer = {
      ...ordersNlb(),
      LoadBalancerArn: v2.nlb,
      DNSName: v2.dns,
      LoadBalancerName: 'orders-v2-nlb',
    };
    // DescribeLoadBalancers (ELB API reference, LoadBalancer): both NLBs, in whatever batch they are asked.
    mocks.elb.on(DescribeLoadBalancersCommand).callsFake(({ LoadBalancerArns }) => ({
      LoadBalancers: [ordersNlb(), ordersV2].filter((lb) => LoadBalancerArns?.includes(lb.LoadBalancerArn)),
    }));
    recordTcpForward(recorded, {
      nlb: v2.nlb,
      listener: v2.listener,
      targetGroup: v2.tg,
      name: 'orders-v2-tg',
      port: 9090,
    });
    // DescribeTargetHealth (ELB API reference, TargetHealthDescription): the new version on the same instances.
    const health =
      canaryHealth === 'healthy'
        ? { State: 'healthy' as const }
        : {
            State: 'unhealthy' as const,
            Reason: 'Target.FailedHealthChecks' as const,
            Description: 'Health checks failed',
          };
    mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: v2.tg }).resolves({
      TargetHealthDescriptions: ['i-0f76fade435676abd', 'i-0598c7d356eba48d7'].map((Id) => ({
        Target: { Id, Port: 9090 },
        HealthCheckPort: '9090',
        TargetHealth: health,
      })),
    });
    return recorded;
  }

  const CANARY_SETTINGS = {
    percentTraffic: 10,
    deploymentId: 'c4n4ry',
    stageVariableOverrides: { vpcLinkId: 'vl9z8y7', nlbHost: v2.dns },
    useStageCache: false,
  };

  it("FAILs tg-unhealthy-az for the canary's target group, and the stage's own stays PASS", async () => {
    const { findings } = await audit(recordCanaryAccount(CANARY_SETTINGS, 'unhealthy'), [aStage({})]);
    expect(statusOf(findings, 'tg-unhealthy-az', v2.tg)).toBe('FAIL');
    expect(statusOf(findings, 'tg-unhealthy-az', arns.ordersTg)).toBe('PASS');
    const fail = findings.find(
      (finding) => finding.checkId === 'tg-unhealthy-az' && finding.resourceArn === v2.tg,
    );
    expect(fail?.message).toContain('on the canary (10% of requests)');
    expect(fail?.apis).toEqual([{ apiId: 'a1b2c3d4e5', stage: 'prod' }]);
  });

  it('healthy twin: the same canary on healthy targets raises no tg-unhealthy-az FAIL', async () => {
    const { findings } = await audit(recordCanaryAccount(CANARY_SETTINGS, 'healthy'), [aStage({})]);
    expect(statusOf(findings, 'tg-unhealthy-az', v2.tg)).toBe('PASS');
    expect(statusOf(findings, 'tg-unhealthy-az', arns.ordersTg)).toBe('PASS');
  });

  it('a 0% canary is no path: its unhealthy targets are never judged', async () => {
    const settings = { ...CANARY_SETTINGS, percentTraffic: 0 };
    const { findings } = await audit(recordCanaryAccount(settings, 'unhealthy'), [aStage({})]);
    expect(statusOf(findings, 'tg-unhealthy-az', v2.tg)).toBeUndefined();
    expect(statusOf(findings, 'tg-unhealthy-az', arns.ordersTg)).toBe('PASS');
  });
});
