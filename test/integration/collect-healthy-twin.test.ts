/** The healthy twin of the broken shop: every check runs on every stage, and none fails. */
import { collectInventory } from '../../lambda/collect/inventory';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { classifyStage, DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { readTraffic } from '../../lambda/triage/read-traffic';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';

describe('reading the healthy twin', () => {
  const aws = useEmulator();

  it('reports no FAIL and no ERROR when every check runs on every stage', async () => {
    // Arrange
    const seeded = await seedAccount(aws.clients(), HEALTHY_TWIN, new Date());
    const clients = aws.clients();
    const triage = await readTraffic(clients, seeded.window);
    const stages = triage.traffic.map((stage) => classifyStage(stage, DEFAULT_THRESHOLDS));

    // Act
    const inventory = await collectInventory(clients, stages, seeded.window, '123456789012');
    const findings = evaluateChecks(inventory, { allChecks: true });

    // Assert
    expect(triage.errors).toEqual([]);
    expect(stages).toHaveLength(3);
    expect(findings.filter((f) => f.status === 'FAIL' || f.status === 'ERROR').map((f) => f.message)).toEqual(
      [],
    );
    expect(new Set(findings.filter((f) => f.status === 'PASS').map((f) => f.checkId))).toEqual(
      new Set([
        'alb-security-group-sources',
        'integration-listener',
        'integration-timeout',
        'lb-cross-zone',
        'nlb-target-security-groups',
        'sender-security-group-egress',
        'stage-access-logging',
        'stage-execution-logging',
        'subnet-network-acls',
        'tg-empty-az',
        'tg-health-check-port',
        'tg-proxy-protocol-v2',
        'tg-tcp-health-check',
        'tg-unhealthy-az',
        'vpc-flow-logs',
        'vpc-link-status',
        'nlb-tcp-target-resets',
      ]),
    );
  }, 60_000);
});
