/**
 * A large account, from the inventory on: 300 REST stages, each behind its own VPC link, NLB, target
 * group and two instances (3,000+ resources, one zone of each NLB left without targets). The whole
 * evaluate -> report -> render -> notify chain must stay fast and within SNS's limits.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { MemoryStateStore } from '../../../lambda/cli/memory-state-store';
import { collected, type Inventory, type Report } from '../../../lambda/domain/types';
import { evaluateChecks } from '../../../lambda/engine/evaluate';
import type { MachineNotification } from '../../../lambda/notify/notification-messages';
import { publishSizeBytes, SNS_MESSAGE_MAX_BYTES } from '../../../lambda/notify/notification-messages';
import { notifyReport } from '../../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import { buildReport } from '../../../lambda/report/build-report';
import { renderMarkdown } from '../../../lambda/report/render-markdown';
import { renderText } from '../../../lambda/report/render-text';
import { DEFAULT_THRESHOLDS } from '../../../lambda/triage/classify-stage';
import {
  ACCOUNT,
  anInstance,
  anInventory,
  anNlb,
  aRestIntegration,
  aStageInventory,
  aTarget,
  aTargetGroup,
  aVpcLink,
  nlbScenario,
  REGION,
} from '../../support/inventory-builders';
import { expectValidReport } from '../../support/report-schema';

const STAGES = 300;

/** Stage i -> vpc link i -> NLB i (zones a, b, c) -> target group i -> instances in a and b only. */
function largeInventory(): Inventory {
  const shared = nlbScenario().build();
  const builder = anInventory();
  for (let i = 0; i < STAGES; i += 1) {
    const id = String(i).padStart(4, '0');
    const nlbArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/nlb-${id}/${id}0000000000`;
    const tgArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/tg-${id}/${id}0000000000`;
    const apiId = `api${id}xyz`;
    builder
      .withStage(
        aStageInventory({
          stage: { apiId, apiName: `orders ${id} — ünïcode`, stage: 'prod' },
          integrations: collected([
            aRestIntegration({
              arn: `arn:aws:apigateway:${REGION}::/restapis/${apiId}/resources/r${id}/methods/GET/integration`,
              vpcLinkId: `vl-${id}`,
              rawConnectionId: `vl-${id}`,
              loadBalancerArns: [nlbArn],
            }),
          ]),
        }),
      )
      .with('vpcLinks', `vl-${id}`, aVpcLink({ id: `vl-${id}`, targetArns: [nlbArn] }))
      .with(
        'loadBalancers',
        nlbArn,
        anNlb({
          arn: nlbArn,
          name: `nlb-${id}`,
          zones: [
            { zoneName: 'us-east-1a', subnetId: 'subnet-lb-a' },
            { zoneName: 'us-east-1b', subnetId: 'subnet-lb-b' },
            { zoneName: 'us-east-1c', subnetId: 'subnet-lb-a' },
          ],
          listeners: collected([
            { arn: `${nlbArn}/l80`, port: 80, protocol: 'TCP', targetGroupArns: [tgArn] },
          ]),
          targetGroupArns: collected([tgArn]),
          attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }),
        }),
      )
      .with(
        'targetGroups',
        tgArn,
        aTargetGroup({
          arn: tgArn,
          name: `tg-${id}`,
          loadBalancerArns: [nlbArn],
          targets: collected([
            aTarget({ id: `i-${id}a`, availabilityZone: 'us-east-1a' }),
            aTarget({ id: `i-${id}b`, availabilityZone: 'us-east-1b', state: 'unused' }),
          ]),
        }),
      )
      .with('instances', `i-${id}a`, anInstance({ id: `i-${id}a` }))
      .with(
        'instances',
        `i-${id}b`,
        anInstance({ id: `i-${id}b`, subnetId: 'subnet-app-b', availabilityZone: 'us-east-1b' }),
      );
  }
  const inventory = builder.build();
  // The network the scenario's NLB sits in: subnets, ACLs, security groups, VPC, flow logs.
  return {
    ...inventory,
    subnets: shared.subnets,
    networkAclsBySubnet: shared.networkAclsBySubnet,
    securityGroups: shared.securityGroups,
    vpcs: shared.vpcs,
    flowLogsByVpc: shared.flowLogsByVpc,
  };
}

const resourceCount = (inventory: Inventory): number =>
  inventory.stages.length +
  inventory.stages.reduce(
    (sum, stage) => sum + (stage.integrations.ok ? stage.integrations.value.length : 0),
    0,
  ) +
  [
    inventory.vpcLinks,
    inventory.loadBalancers,
    inventory.targetGroups,
    inventory.instances,
    inventory.securityGroups,
    inventory.subnets,
  ].reduce((sum, record) => sum + Object.keys(record).length, 0) +
  Object.values(inventory.loadBalancers).reduce(
    (sum, lb) => sum + (lb.ok && lb.value.listeners.ok ? lb.value.listeners.value.length : 0),
    0,
  ) +
  Object.values(inventory.targetGroups).reduce(
    (sum, tg) => sum + (tg.ok && tg.value.targets.ok ? tg.value.targets.value.length : 0),
    0,
  );

describe('an audit of thousands of resources', () => {
  const inventory = largeInventory();
  let report: Report;
  let evaluateMs = 0;

  beforeAll(() => {
    const started = performance.now();
    const findings = evaluateChecks(inventory, { allChecks: false });
    evaluateMs = performance.now() - started;
    report = buildReport({
      tool: { name: 'api-network-auditor', version: '0.0.0-test' },
      generatedAt: '2026-11-29T12:00:00.000Z',
      account: ACCOUNT,
      regions: [REGION],
      window: inventory.window,
      thresholds: DEFAULT_THRESHOLDS,
      stages: inventory.stages.map((stage) => stage.stage),
      findings,
      stats: { durationMs: 0, awsCalls: {}, retries: 0 },
      incompleteReasons: [],
    });
  });

  it('evaluates more than 3,000 resources into thousands of findings without quadratic work', () => {
    // Assert
    expect(resourceCount(inventory)).toBeGreaterThan(3_000);
    expect(report.findings.length).toBeGreaterThan(3_000);
    expect(new Set(report.findings.map((finding) => finding.id)).size).toBe(report.findings.length);
    expect(report.findings.filter((f) => f.checkId === 'tg-empty-az' && f.status === 'FAIL')).toHaveLength(
      STAGES,
    );
    // A guard against quadratic work (minutes at this size), not a benchmark: `npm run bench` measures.
    expect(evaluateMs).toBeLessThan(30_000);
    expectValidReport(report);
  });

  it('renders the whole report as text and Markdown', () => {
    // Act
    const started = performance.now();
    const text = renderText(report, { color: false });
    const markdown = renderMarkdown(report);
    const renderMs = performance.now() - started;

    // Assert
    expect(text).toContain('orders 0299 — ünïcode/prod');
    expect(markdown).toContain('orders 0299 — ünïcode/prod');
    expect(renderMs).toBeLessThan(30_000);
  });

  it('splits the notification into SNS messages under 256 KB with valid subjects that together announce every finding', async () => {
    // Act
    const outcome = await notifyReport(report, {
      sns: {} as SNSClient,
      topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:auditor-findings`,
      store: new MemoryStateStore(),
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: new Date('2026-11-29T12:00:00.000Z'),
      dryRun: true,
    });

    // Assert
    const messages = outcome.wouldPublish ?? [];
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(publishSizeBytes(message)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
      expect(message.Subject?.length).toBeLessThan(100);
      expect(message.Subject).toMatch(/^[\x20-\x7e]+$/);
    }
    const announced = messages.flatMap(
      (message) =>
        (
          JSON.parse(
            (JSON.parse(message.Message ?? '{}') as { default: string }).default,
          ) as MachineNotification
        ).changes,
    );
    expect(announced).toHaveLength(outcome.changed);
    expect(outcome.changed).toBeGreaterThan(STAGES);
  });
});
