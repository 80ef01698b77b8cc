import { MemoryStateStore } from '../../lambda/cli/memory-state-store';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { type MachineNotification, SNS_MESSAGE_MAX_BYTES } from '../../lambda/notify/notification-messages';
import { notifyReport } from '../../lambda/notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../../lambda/notify/settings';
import { useEmulator } from '../support/emulator';
import { aReport, manyFindings } from '../support/report-builders';
import { capturePublishes, createNotifyFixture, drainQueue, type NotifyFixture } from './notify-fixtures';

const NOW = new Date('2026-11-29T12:00:00.000Z');

describe('notifying a report of 5,000 findings (emulator)', () => {
  const aws = useEmulator();
  let fixture: NotifyFixture;

  beforeAll(async () => {
    fixture = await createNotifyFixture(aws.clients(), aws.target(), 'large');
  });

  it('splits it into numbered parts that each fit SNS and together hold every finding, and remembers them all', async () => {
    // Arrange
    const report = aReport({ findings: manyFindings(5000) });
    const captured = capturePublishes();
    const clients = createClients(aws.target({ plugins: [captured.plugin] }), new CallStats());
    // The state table's batching is proven in notify-state-store.test.ts; moto scans 5,000 items slowly.
    const store = new MemoryStateStore();

    // Act
    const outcome = await notifyReport(report, {
      sns: clients.sns,
      topicArn: fixture.topicArn,
      store,
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: NOW,
    });

    // Assert
    const envelopes = await drainQueue(fixture);
    expect(outcome.published).toBeGreaterThan(1);
    expect(envelopes).toHaveLength(outcome.published);
    for (const input of captured.inputs)
      expect(Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? '')).toBeLessThan(
        SNS_MESSAGE_MAX_BYTES,
      );
    const payloads = envelopes
      .map((envelope) => JSON.parse(envelope.Message) as MachineNotification)
      .sort((a, b) => a.notification.part - b.notification.part);
    expect(payloads.map((payload) => payload.notification.part)).toEqual(
      payloads.map((_, index) => index + 1),
    );
    expect(
      new Set(payloads.map((payload) => `${payload.notification.runId}/${payload.notification.parts}`)).size,
    ).toBe(1);
    const received = payloads.flatMap((payload) => payload.report.findings.map((finding) => finding.id));
    expect(received).toHaveLength(5000);
    expect(new Set(received)).toEqual(new Set(report.findings.map((finding) => finding.id)));
    expect(await store.listOpen()).toHaveLength(5000);
  });
});
