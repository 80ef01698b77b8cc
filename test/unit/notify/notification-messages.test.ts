import {
  buildNotificationMessages,
  type MachineNotification,
  publishSizeBytes,
  SNS_MESSAGE_MAX_BYTES,
} from '../../../lambda/notify/notification-messages';
import { type NotificationView, runIdOf } from '../../../lambda/notify/notification-view';
import { planNotification } from '../../../lambda/notify/plan-notification';
import type { ChatNotification } from '../../../lambda/notify/render-chat';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import { aFinding, aReport, aStage, manyFindings } from '../../support/report-builders';
import { expectValidReport } from '../../support/report-schema';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:auditor';

function viewOf(report = aReport()): NotificationView {
  return {
    report,
    plan: planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, NOW),
    runId: runIdOf(report),
  };
}

const bodies = (message: string | undefined) =>
  JSON.parse(message ?? '{}') as { default: string; email: string; https: string };

describe('buildNotificationMessages', () => {
  it('publishes one JSON-structured message with email, chat and machine bodies and filterable attributes', () => {
    // Arrange
    const report = aReport({
      findings: [aFinding(), aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' })],
    });

    // Act
    const [message, ...rest] = buildNotificationMessages(viewOf(report), TOPIC);

    // Assert
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ TopicArn: TOPIC, MessageStructure: 'json' });
    expect(message?.MessageAttributes).toEqual({
      highestSeverity: { DataType: 'String', StringValue: 'high' },
      // The worst stage's verdict: the check of its first cause, as the email and chat name it.
      cause: { DataType: 'String', StringValue: 'tg-unhealthy-az' },
      account: { DataType: 'String', StringValue: '123456789012' },
      region: { DataType: 'String', StringValue: 'us-east-1' },
      failCount: { DataType: 'Number', StringValue: '1' },
      findingCount: { DataType: 'Number', StringValue: '2' },
      notificationType: { DataType: 'String', StringValue: 'findings' },
      runId: { DataType: 'String', StringValue: runIdOf(report) },
      part: { DataType: 'Number', StringValue: '1' },
    });
    const { default: machine, email, https } = bodies(message?.Message);
    expect(email).toContain('[NEW] FAIL (high) tg-unhealthy-az');
    const chat = JSON.parse(https) as ChatNotification;
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    const payload = JSON.parse(machine) as MachineNotification;
    expect(payload.notification).toMatchObject({
      part: 1,
      parts: 1,
      changes: { new: 2, total: 2 },
      totals: { findings: 2, openFindings: 2 },
    });
    expectValidReport({ ...payload.report });
  });

  it('names the verdict in the cause attribute when no finding explains the errors (twin of a cause)', () => {
    // Arrange: a low-frequency stage whose only finding is the retry advice
    const report = aReport({
      apis: [aStage({ classification: 'low-frequency' })],
      findings: [aFinding({ checkId: 'client-retries', severity: 'low', status: 'WARN' })],
    });

    // Act
    const [message] = buildNotificationMessages(
      {
        ...viewOf(report),
        plan: planNotification(report, new Map(), { ...DEFAULT_NOTIFY_SETTINGS, minSeverity: 'low' }, NOW),
        trigger: 'alarm',
      },
      TOPIC,
    );

    // Assert
    expect(message?.MessageAttributes?.cause).toEqual({ DataType: 'String', StringValue: 'transient' });
    // Ten at most: more and an SQS subscription with raw message delivery discards the message.
    expect(Object.keys(message?.MessageAttributes ?? {}).length).toBeLessThanOrEqual(10);
  });

  it('marks an alarm-triggered notification in its subject and a trigger attribute, and only that one', () => {
    // Arrange
    const report = aReport({ findings: [aFinding()] });

    // Act
    const [alarmed] = buildNotificationMessages({ ...viewOf(report), trigger: 'alarm' }, TOPIC);
    const [scheduled] = buildNotificationMessages({ ...viewOf(report), trigger: 'schedule' }, TOPIC);

    // Assert
    expect(alarmed?.Subject).toMatch(/^\[HIGH\] \[alarm-triggered\] /);
    expect(alarmed?.Subject?.length).toBeLessThan(100);
    expect(alarmed?.MessageAttributes?.trigger).toEqual({ DataType: 'String', StringValue: 'alarm' });
    expect(scheduled?.Subject).not.toContain('alarm-triggered');
    expect(scheduled?.MessageAttributes?.trigger).toEqual({ DataType: 'String', StringValue: 'schedule' });
  });

  it('splits 5,000 findings into numbered parts under 256 KB that together hold every one', () => {
    // Arrange
    const report = aReport({ findings: manyFindings(5000) });

    // Act
    const messages = buildNotificationMessages(viewOf(report), TOPIC);

    // Assert
    expect(messages.length).toBeGreaterThan(1);
    const payloads = messages.map(
      (message) => JSON.parse(bodies(message.Message).default) as MachineNotification,
    );
    for (const message of messages)
      expect(publishSizeBytes(message)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(payloads.map((payload) => [payload.notification.part, payload.notification.parts])).toEqual(
      messages.map((_, index) => [index + 1, messages.length]),
    );
    expect(new Set(payloads.map((payload) => payload.notification.runId))).toEqual(
      new Set([runIdOf(report)]),
    );
    const ids = payloads.flatMap((payload) => payload.changes.map((change) => change.findingId));
    expect(ids).toHaveLength(5000);
    expect(new Set(ids)).toEqual(new Set(report.findings.map((finding) => finding.id)));
    for (const payload of payloads) expectValidReport(payload.report);
  });

  it('keeps a finding whose evidence alone exceeds a message, without its evidence', () => {
    // Arrange
    const huge = aFinding({ evidence: { dump: 'x'.repeat(400_000) } });

    // Act
    const messages = buildNotificationMessages(viewOf(aReport({ findings: [huge] })), TOPIC);

    // Assert
    const payloads = messages.map(
      (message) => JSON.parse(bodies(message.Message).default) as MachineNotification,
    );
    expect(payloads.flatMap((payload) => payload.report.findings.map((finding) => finding.id))).toEqual([
      huge.id,
    ]);
    expect(payloads[0]?.report.findings[0]?.evidence).toEqual({
      omitted: expect.stringContaining('too large for one SNS message'),
    });
  });
});
