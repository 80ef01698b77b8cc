/**
 * One finding that affects thousands of stages (a shared load balancer or VPC link failing) must not
 * stop the notification: every finding is still delivered, each message fits SNS's limit.
 */
import fc from 'fast-check';
import type { Finding } from '../../../lambda/domain/types';
import {
  buildNotificationMessages,
  CUT_NOTE,
  MAX_STAGES_PER_FINDING,
  type MachineNotification,
  publishSizeBytes,
  SNS_MESSAGE_MAX_BYTES,
} from '../../../lambda/notify/notification-messages';
import { type NotificationView, runIdOf } from '../../../lambda/notify/notification-view';
import { planNotification } from '../../../lambda/notify/plan-notification';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import { aFinding, aReport, aStage, type ReportStage } from '../../support/report-builders';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:auditor';

function viewOf(findings: Finding[], stages: ReportStage[]): NotificationView {
  const report = aReport({ findings, apis: stages });
  return {
    report,
    plan: planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, NOW),
    runId: runIdOf(report),
  };
}

/** `count` stages whose API and stage names are `name` plus a number. */
function stagesNamed(count: number, name: (index: number) => string): ReportStage[] {
  return Array.from({ length: count }, (_, index) =>
    aStage({ apiId: `api${String(index).padStart(7, '0')}`, apiName: name(index), stage: name(index) }),
  );
}

const machineOf = (message: { Message?: string | undefined }) =>
  JSON.parse((JSON.parse(message.Message ?? '{}') as { default: string }).default) as MachineNotification;

const deliveredIds = (messages: { Message?: string | undefined }[]) =>
  messages.flatMap((message) => machineOf(message).changes.map((change) => change.findingId));

describe('notifications degrade, never fail', () => {
  it('delivers every finding when one of them lists 5,001 stages with 1,024-character names', () => {
    // Arrange
    const stages = stagesNamed(5001, (index) => `${'n'.repeat(1018)}${String(index).padStart(6, '0')}`);
    const outage = aFinding({
      checkId: 'vpc-link-status',
      severity: 'high',
      resourceArn: 'arn:aws:apigateway:us-east-1::/vpclinks/shared',
      apis: stages.map(({ apiId, stage }) => ({ apiId, stage })),
    });
    const unrelated = aFinding({
      checkId: 'tg-unhealthy-az',
      severity: 'critical',
      apis: [{ apiId: 'a1b2c3', stage: 'prod' }],
    });
    const view = viewOf([outage, unrelated], [aStage(), ...stages]);

    // Act
    const messages = buildNotificationMessages(view, TOPIC);

    // Assert
    for (const message of messages)
      expect(publishSizeBytes(message)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(new Set(deliveredIds(messages))).toEqual(new Set([outage.id, unrelated.id]));
    const outageChange = messages
      .flatMap((message) => machineOf(message).changes)
      .find((change) => change.findingId === outage.id);
    expect(outageChange?.stagesOmitted).toBe(5001 - MAX_STAGES_PER_FINDING);
    const listed = messages
      .flatMap((message) => machineOf(message).report.findings)
      .find((finding) => finding.id === outage.id);
    expect(listed?.apis).toHaveLength(MAX_STAGES_PER_FINDING);
    const email = (JSON.parse(messages[0]?.Message ?? '{}') as { email: string }).email;
    expect(email).toContain('[NEW] FAIL (critical) tg-unhealthy-az');
    expect(email).toContain('=== 5001 API stages share these findings (5 shown;');
  });

  it('lists every stage and omits nothing when a finding has no more than the stage limit', () => {
    // Arrange
    const stages = stagesNamed(MAX_STAGES_PER_FINDING, (index) => `api-${index}`);
    const finding = aFinding({ apis: stages.map(({ apiId, stage }) => ({ apiId, stage })) });

    // Act
    const [message] = buildNotificationMessages(viewOf([finding], stages), TOPIC);

    // Assert
    const machine = machineOf(message ?? {});
    expect(machine.changes[0]?.stagesOmitted).toBeUndefined();
    expect(machine.report.findings[0]?.apis).toHaveLength(MAX_STAGES_PER_FINDING);
    expect(message?.Message).not.toContain(JSON.stringify(CUT_NOTE).slice(1, -1));
  });

  it('never throws from message building, whatever the names and counts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 1024 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.string({ unit: 'binary', maxLength: 3000 }),
        (name, stageCount, findingCount, message) => {
          const stages = stagesNamed(stageCount, (index) => `${name}${index}`);
          const apis = stages.map(({ apiId, stage }) => ({ apiId, stage }));
          const findings = Array.from({ length: findingCount }, (_, index) =>
            aFinding({
              resourceArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name.slice(0, 200)}/${index}`,
              title: name,
              message,
              apis: index === 0 ? apis : apis.slice(0, 1 + (index % 3)),
            }),
          );
          const messages = buildNotificationMessages(viewOf(findings, stages), TOPIC);
          for (const published of messages)
            expect(publishSizeBytes(published)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
          expect(new Set(deliveredIds(messages))).toEqual(new Set(findings.map((finding) => finding.id)));
        },
      ),
      { numRuns: 25 },
    );
  });
});
