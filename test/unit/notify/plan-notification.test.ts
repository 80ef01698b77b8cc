import type { FindingState } from '../../../lambda/notify/finding-state';
import {
  absenceResolution,
  INCOMPLETE_RUN_STATE_ID,
  incompleteSignature,
  planNotification,
} from '../../../lambda/notify/plan-notification';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../../../lambda/notify/settings';
import { aFinding, aFindingState, aReport, aStage } from '../../support/report-builders';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const HOUR = 3_600_000;
const settings: NotifySettings = {
  ...DEFAULT_NOTIFY_SETTINGS,
  minSeverity: 'medium',
  reminderIntervalHours: 24,
};

/** The state a previous run left for a finding it announced `hoursAgo` hours ago. */
function announced(finding = aFinding(), hoursAgo = 1, overrides: Partial<FindingState> = {}): FindingState {
  const at = new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
  return aFindingState(finding, at, { expiresAt: NOW.getTime() / 1000 + 29 * 24 * 3600, ...overrides });
}

const statesOf = (...states: FindingState[]) => new Map(states.map((state) => [state.findingId, state]));

describe('planNotification', () => {
  it('announces a FAIL finding seen for the first time as new and remembers it as open', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const plan = planNotification(aReport({ findings: [finding] }), new Map(), settings, NOW);

    // Assert
    expect(plan.changes).toEqual([{ kind: 'new', findingId: finding.id, finding }]);
    expect(plan.nextStates).toEqual([
      expect.objectContaining({
        findingId: finding.id,
        open: true,
        firstSeen: NOW.toISOString(),
        lastNotified: NOW.toISOString(),
      }),
    ]);
    expect(plan.openAfter).toBe(1);
  });

  it('never resolves a muted announced finding, nor says all clear: it stays open, silently', () => {
    // Arrange: the finding was announced; this run's report has it muted (the fault persists).
    const finding = aFinding();
    const report = aReport({
      findings: [],
      muted: [
        {
          id: finding.id,
          checkId: finding.checkId,
          status: finding.status,
          severity: finding.severity,
          resourceArn: finding.resourceArn,
          reason: 'accepted until the migration',
        },
      ],
    });

    // Act
    const plan = planNotification(
      report,
      statesOf(announced(finding, 2)),
      { ...settings, sendAllClear: true },
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([]);
    expect(plan.allClear).toBe(false);
    expect(plan.openAfter).toBe(1);
    expect(plan.nextStates).toEqual([
      expect.objectContaining({ findingId: finding.id, open: true, lastSeen: NOW.toISOString() }),
    ]);
  });

  it('resolves the same announced finding when the run no longer reports it and nothing mutes it (the twin)', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const plan = planNotification(
      aReport({ findings: [] }),
      statesOf(announced(finding, 2)),
      { ...settings, sendAllClear: true },
      NOW,
    );

    // Assert
    expect(plan.changes.map((change) => change.kind)).toEqual(['resolved']);
    expect(plan.allClear).toBe(true);
  });

  it('announces nothing when the same findings are reported again within the reminder interval', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const plan = planNotification(
      aReport({ findings: [finding] }),
      statesOf(announced(finding, 2)),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([]);
    expect(plan.nextStates).toEqual([
      expect.objectContaining({
        lastSeen: NOW.toISOString(),
        lastNotified: new Date(NOW.getTime() - 2 * HOUR).toISOString(),
      }),
    ]);
  });

  it('reminds of a still-open finding once the reminder interval has passed', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const plan = planNotification(
      aReport({ findings: [finding] }),
      statesOf(announced(finding, 24)),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes.map((change) => change.kind)).toEqual(['reminder']);
    expect(plan.nextStates[0]?.lastNotified).toBe(NOW.toISOString());
  });

  it('never reminds when the reminder interval is 0', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const plan = planNotification(
      aReport({ findings: [finding] }),
      statesOf(announced(finding, 1000)),
      { ...settings, reminderIntervalHours: 0 },
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([]);
  });

  it('announces a change of status or severity and keeps the first-seen time', () => {
    // Arrange
    const before = aFinding({ status: 'WARN', severity: 'medium' });
    const now = aFinding({ status: 'FAIL', severity: 'high' });

    // Act
    const plan = planNotification(
      aReport({ findings: [now] }),
      statesOf(announced(before, 3)),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'changed', previous: expect.objectContaining({ status: 'WARN' }) }),
    ]);
    expect(plan.nextStates[0]).toMatchObject({
      status: 'FAIL',
      severity: 'high',
      firstSeen: new Date(NOW.getTime() - 3 * HOUR).toISOString(),
    });
  });

  it('does not announce findings below the minimum severity', () => {
    // Act
    const plan = planNotification(
      aReport({ findings: [aFinding({ severity: 'low' })] }),
      new Map(),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([]);
    expect(plan.nextStates).toEqual([]);
  });

  it('announces an announced finding whose severity dropped below the minimum, once', () => {
    // Arrange
    const before = aFinding({ severity: 'high' });
    const lowered = aFinding({ severity: 'low' });

    // Act
    const first = planNotification(
      aReport({ findings: [lowered] }),
      statesOf(announced(before)),
      settings,
      NOW,
    );
    const second = planNotification(
      aReport({ findings: [lowered] }),
      statesOf(...first.nextStates),
      settings,
      new Date(NOW.getTime() + 48 * HOUR),
    );

    // Assert
    expect(first.changes.map((change) => change.kind)).toEqual(['changed']);
    expect(second.changes).toEqual([]);
  });

  it('resolves an announced finding that now passes, and says all clear when it was the last one', () => {
    // Arrange
    const before = aFinding();
    const passing = aFinding({ status: 'PASS' });

    // Act
    const plan = planNotification(
      aReport({ findings: [passing] }),
      statesOf(announced(before)),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'resolved', resolution: 'passed' })]);
    expect(plan.nextStates[0]).toMatchObject({ open: false, status: 'PASS', resolvedAt: NOW.toISOString() });
    expect(plan.allClear).toBe(true);
    expect(plan.openAfter).toBe(0);
  });

  it('says all clear on a complete run though an incomplete run was remembered, and closes that', () => {
    // Arrange
    const before = aFinding();
    const incomplete = announced(before, 1, {
      findingId: INCOMPLETE_RUN_STATE_ID,
      checkId: 'audit-incomplete',
      region: '',
      title: incompleteSignature(['ec2:DescribeFlowLogs could not be read']),
    });

    // Act
    const plan = planNotification(
      aReport({ findings: [aFinding({ status: 'PASS' })] }),
      statesOf(announced(before), incomplete),
      settings,
      NOW,
    );

    // Assert
    expect(plan.allClear).toBe(true);
    expect(plan.incompleteRun).toBeNull();
    expect(plan.nextStates).toContainEqual(
      expect.objectContaining({ findingId: INCOMPLETE_RUN_STATE_ID, open: false }),
    );
  });

  it('reminds of an incompleteness that lasts past the reminder interval', () => {
    // Arrange
    const reasons = ['ec2:DescribeFlowLogs could not be read: vpc-flow-logs not evaluated'];
    const incomplete = announced(aFinding(), 25, {
      findingId: INCOMPLETE_RUN_STATE_ID,
      region: '',
      title: incompleteSignature(reasons),
    });
    const report = aReport({ findings: [], complete: false, incompleteReasons: reasons });

    // Act
    const due = planNotification(report, statesOf(incomplete), settings, NOW);
    const notDue = planNotification(
      report,
      statesOf({ ...incomplete, lastNotified: NOW.toISOString() }),
      settings,
      NOW,
    );

    // Assert
    expect(due.incompleteRun).toBe('reminder');
    expect(notDue.incompleteRun).toBeNull();
    expect(notDue.changes).toEqual([]);
  });

  it('does not say all clear when the settings turn it off or another finding stays open', () => {
    // Arrange
    const resolved = aFinding();
    const stillOpen = aFinding({ checkId: 'lb-cross-zone' });
    const report = aReport({ findings: [aFinding({ status: 'PASS' }), stillOpen] });
    const previous = statesOf(announced(resolved), announced(stillOpen));

    // Act
    const withOpen = planNotification(report, previous, settings, NOW);
    const switchedOff = planNotification(
      aReport({ findings: [aFinding({ status: 'PASS' })] }),
      statesOf(announced(resolved)),
      { ...settings, sendAllClear: false },
      NOW,
    );

    // Assert
    expect(withOpen.allClear).toBe(false);
    expect(withOpen.openAfter).toBe(1);
    expect(switchedOff.allClear).toBe(false);
    expect(switchedOff.changes.map((change) => change.kind)).toEqual(['resolved']);
  });

  it('resolves an absent finding as stage-recovered when its stage is now healthy', () => {
    // Arrange
    const gone = aFinding();
    const report = aReport({
      apis: [aStage({ classification: 'healthy', errors5xx: 0, errorRatio: 0 })],
      findings: [],
    });

    // Act
    const plan = planNotification(report, statesOf(announced(gone)), settings, NOW);

    // Assert
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'resolved', resolution: 'stage-recovered', findingId: gone.id }),
    ]);
    expect(plan.changes[0]?.finding).toBeUndefined();
  });

  it('keeps an absent finding open when its stage was not audited, the Region not covered or the report is incomplete', () => {
    // Arrange
    const state = announced(aFinding());

    // Act
    const notListed = absenceResolution(state, aReport({ apis: [aStage({ stage: 'other' })], findings: [] }));
    const otherRegion = absenceResolution(state, aReport({ regions: ['eu-west-1'], findings: [] }));
    const incomplete = absenceResolution(
      state,
      aReport({ complete: false, incompleteReasons: ['time budget'], findings: [] }),
    );
    const plan = planNotification(aReport({ apis: [], findings: [] }), statesOf(state), settings, NOW);

    // Assert
    expect([notListed, otherRegion, incomplete]).toEqual([null, null, null]);
    expect(plan.changes).toEqual([]);
    expect(plan.nextStates).toEqual([]);
    expect(plan.openAfter).toBe(1);
  });

  it('announces an open finding whose stage vanished as no longer audited before its state expires', () => {
    // Arrange: the stage is gone from every report since; the state expires in 47 hours
    const state = announced(aFinding(), 27 * 24, { expiresAt: NOW.getTime() / 1000 + 47 * 3600 });
    const report = aReport({ apis: [aStage({ stage: 'other' })], findings: [] });

    // Act
    const plan = planNotification(report, statesOf(state), settings, NOW);

    // Assert
    expect(plan.changes).toEqual([
      { kind: 'resolved', findingId: state.findingId, previous: state, resolution: 'no-longer-audited' },
    ]);
    expect(plan.nextStates).toEqual([
      expect.objectContaining({ findingId: state.findingId, open: false, resolvedAt: NOW.toISOString() }),
    ]);
    expect(plan.allClear).toBe(false);
    expect(plan.openAfter).toBe(0);
  });

  it('keeps following the finding of a vanished stage while its state has more than two days left', () => {
    // Arrange
    const state = announced(aFinding(), 24, { expiresAt: NOW.getTime() / 1000 + 49 * 3600 });

    // Act
    const plan = planNotification(aReport({ apis: [], findings: [] }), statesOf(state), settings, NOW);

    // Assert
    expect(plan.changes).toEqual([]);
    expect(plan.openAfter).toBe(1);
  });

  it('resolves an absent finding as no-longer-reported when its stage still fails', () => {
    // Act
    const resolution = absenceResolution(announced(aFinding()), aReport({ findings: [] }));

    // Assert
    expect(resolution).toBe('no-longer-reported');
  });

  it('keeps an absent finding open when absence may not resolve (an alarm-triggered run), yet resolves one that passes', () => {
    // Arrange: the schedule opened both; the alarm run's short window ran other checks on the stage.
    const absent = aFinding({ checkId: 'client-retries', severity: 'low', status: 'WARN' });
    const fixed = aFinding();
    const report = aReport({ findings: [{ ...fixed, status: 'PASS' }] });
    const states = statesOf(announced(absent), announced(fixed));

    // Act
    const plan = planNotification(report, states, settings, NOW, { resolveAbsent: false });

    // Assert
    expect(absenceResolution(announced(absent), report)).toBe('no-longer-reported');
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'resolved', resolution: 'passed', findingId: fixed.id }),
    ]);
    expect(plan.openAfter).toBe(1);
  });

  it('announces a finding again as new when it reopens after being resolved', () => {
    // Arrange
    const finding = aFinding();
    const closed = announced(finding, 5, { open: false, status: 'PASS', resolvedAt: NOW.toISOString() });

    // Act
    const plan = planNotification(aReport({ findings: [finding] }), statesOf(closed), settings, NOW);

    // Assert
    expect(plan.changes.map((change) => change.kind)).toEqual(['new']);
    expect(plan.nextStates[0]?.firstSeen).toBe(NOW.toISOString());
  });

  it('orders new before changed before reminders before resolved, highest severity first', () => {
    // Arrange
    const newLow = aFinding({ checkId: 'a-new-medium', severity: 'medium' });
    const newCritical = aFinding({ checkId: 'b-new-critical', severity: 'critical' });
    const reminded = aFinding({ checkId: 'c-reminded' });
    const resolved = aFinding({ checkId: 'd-resolved' });
    const report = aReport({
      findings: [newLow, reminded, aFinding({ checkId: 'd-resolved', status: 'PASS' }), newCritical],
    });

    // Act
    const plan = planNotification(
      report,
      statesOf(announced(reminded, 30), announced(resolved)),
      settings,
      NOW,
    );

    // Assert
    expect(plan.changes.map((change) => `${change.kind}:${change.finding?.checkId}`)).toEqual([
      'new:b-new-critical',
      'new:a-new-medium',
      'reminder:c-reminded',
      'resolved:d-resolved',
    ]);
  });
});
