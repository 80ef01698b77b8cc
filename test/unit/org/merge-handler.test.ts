import type { TargetList } from '../../../lambda/org/list-targets-handler';
import { createMergeHandler, describeCause } from '../../../lambda/org/merge-handler';
import { mergeReports } from '../../../lambda/org/merge-reports';
import type { TargetItem } from '../../../lambda/org/run-parts';
import { MemoryPartStore, ORG_ENV } from '../../support/memory-part-store';
import { anAccountPart } from '../../support/report-builders';

const RUN = { now: '2026-12-04T10:07:00.000Z', lookbackMinutes: 60, allChecks: false };
const item = (account: string, region: string): TargetItem => ({
  runId: 'run-1',
  target: { account, accountName: `team ${account.slice(0, 1)}`, region },
  partKey: `runs/run-1/parts/${account}-${region}.json`,
  run: RUN,
});
const ITEMS = [
  item('111111111111', 'us-east-1'),
  item('222222222222', 'us-east-1'),
  item('333333333333', 'us-east-1'),
];
const LIST: TargetList = {
  runId: 'run-1',
  trigger: 'schedule',
  dryRun: false,
  targetsKey: 'runs/run-1/targets.json',
  targetCount: ITEMS.length,
  run: RUN,
};
/** What the state machine's Catch writes for a function that timed out (Step Functions' Error and Cause). */
const TIMED_OUT_PART = {
  runId: 'run-1',
  target: ITEMS[1]?.target,
  error: {
    action: 'AuditTarget',
    code: 'Sandbox.Timedout',
    message: '{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 300.00 seconds"}',
  },
};

function setUp(parts: Record<string, unknown>) {
  const store = new MemoryPartStore();
  store.objects.set(LIST.targetsKey, JSON.stringify(ITEMS));
  for (const [key, part] of Object.entries(parts)) store.objects.set(key, JSON.stringify(part));
  const notify = jest.fn(async () => ({ published: 1, changed: 1, resolved: 0, reminders: 0 }));
  const publishMetrics = jest.fn();
  const handler = createMergeHandler({
    mergeReports,
    parts: store.forBucket,
    notify,
    publishMetrics,
    env: ORG_ENV,
    clock: () => new Date('2026-12-04T10:12:00.000Z'),
  });
  return { handler, notify, publishMetrics, store };
}

describe('the Merge step', () => {
  it('merges every part, turns a failed item and a missing part into ERROR lines, and notifies once', async () => {
    // Arrange
    const [first, second, third] = ITEMS as [TargetItem, TargetItem, TargetItem];
    const report = anAccountPart(first.target.account);
    const { handler, notify, publishMetrics, store } = setUp({
      [first.partKey]: { runId: 'run-1', target: first.target, report },
      [second.partKey]: TIMED_OUT_PART,
    });

    // Act
    const summary = await handler(LIST);

    // Assert
    expect(summary).toMatchObject({ runId: 'run-1', targets: 3, complete: false, trigger: 'schedule' });
    expect(summary.accountsWithErrors).toEqual([second.target.account, third.target.account]);
    const [merged, , trigger, now] = notify.mock.calls[0] as unknown as [
      { accounts: { id: string; status: string; error?: { code: string; message: string } }[] },
      unknown,
      string,
      Date,
    ];
    expect(notify).toHaveBeenCalledTimes(1);
    expect(trigger).toBe('schedule');
    expect(now).toEqual(new Date(RUN.now));
    expect(merged.accounts.map(({ id, status, error }) => ({ id, status, code: error?.code }))).toEqual([
      { id: first.target.account, status: 'audited', code: undefined },
      { id: second.target.account, status: 'error', code: 'Sandbox.Timedout' },
      { id: third.target.account, status: 'error', code: 'NoResult' },
    ]);
    expect(merged.accounts[1]?.error?.message).toBe('Sandbox.Timedout: Task timed out after 300.00 seconds');
    expect(publishMetrics).toHaveBeenCalledTimes(1);
    expect(summary.reportKey).toBe('runs/run-1/report.json');
    expect(JSON.parse(store.objects.get(summary.reportKey) ?? '{}')).toEqual(merged);
  });

  it('is complete and names no account with an error when every part is a report (the healthy twin)', async () => {
    // Arrange
    const parts = Object.fromEntries(
      ITEMS.map((each) => [
        each.partKey,
        { runId: 'run-1', target: each.target, report: anAccountPart(each.target.account) },
      ]),
    );
    const { handler } = setUp(parts);

    // Act
    const summary = await handler(LIST);

    // Assert
    expect(summary).toMatchObject({ complete: true, accountsWithErrors: [], targets: 3 });
  });

  it('refuses a forged part (another Region injected) and a malformed one: an ERROR line for each of those targets only', async () => {
    // Arrange: the first part is genuine; the second claims its target but carries a finding and a
    // stage of eu-west-1, never audited in this run; the third is not an outcome at all.
    const [first, second, third] = ITEMS as [TargetItem, TargetItem, TargetItem];
    const genuine = anAccountPart(second.target.account);
    const forged = {
      ...genuine,
      findings: [...genuine.findings, ...anAccountPart(second.target.account, 'eu-west-1').findings],
    };
    const { handler, notify } = setUp({
      [first.partKey]: {
        runId: 'run-1',
        target: first.target,
        report: anAccountPart(first.target.account),
      },
      [second.partKey]: { runId: 'run-1', target: second.target, report: forged },
      [third.partKey]: { runId: 'run-1', target: third.target, report: { findings: 'all clear' } },
    });

    // Act
    const summary = await handler(LIST);

    // Assert
    expect(summary.accountsWithErrors).toEqual([second.target.account, third.target.account]);
    const [merged] = notify.mock.calls[0] as unknown as [
      {
        findings: { region: string }[];
        accounts: { id: string; status: string; error?: { code: string } }[];
      },
    ];
    expect(merged.findings.map((finding) => finding.region)).not.toContain('eu-west-1');
    expect(merged.accounts.map((account) => [account.id, account.status, account.error?.code])).toEqual([
      [first.target.account, 'audited', undefined],
      [second.target.account, 'error', 'ForeignResult'],
      [third.target.account, 'error', 'UnreadableResult'],
    ]);
  });

  it("refuses a part of another run, even one naming the item's own target", async () => {
    // Arrange
    const [first] = ITEMS as [TargetItem];
    const { handler } = setUp({
      [first.partKey]: {
        runId: 'run-0',
        target: first.target,
        report: anAccountPart(first.target.account),
      },
    });

    // Act
    const summary = await handler(LIST);

    // Assert
    expect(summary.accountsWithErrors).toContain(first.target.account);
  });

  it('turns a part S3 refuses to read into an ERROR line for that target, not a failed merge', async () => {
    // Arrange
    const [first, second] = ITEMS as [TargetItem, TargetItem];
    const { handler, store } = setUp({
      [first.partKey]: {
        runId: 'run-1',
        target: first.target,
        report: anAccountPart(first.target.account),
      },
    });
    const get = store.get.bind(store);
    store.get = async (key: string) => {
      if (key === second.partKey) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      return get(key);
    };

    // Act
    const summary = await handler(LIST);

    // Assert
    expect(summary.accountsWithErrors).toEqual([second.target.account, ITEMS[2]?.target.account]);
  });

  it("shows the check catalogue's documentation links, never a part's own", async () => {
    // Arrange
    const [first] = ITEMS as [TargetItem];
    const genuine = anAccountPart(first.target.account);
    const report = {
      ...genuine,
      findings: genuine.findings.map((finding) => ({ ...finding, docs: ['javascript:alert(1)'] })),
    };
    const { handler, notify } = setUp({ [first.partKey]: { runId: 'run-1', target: first.target, report } });

    // Act
    await handler(LIST);

    // Assert
    const [merged] = notify.mock.calls[0] as unknown as [{ findings: { docs: string[] }[] }];
    expect(merged.findings[0]?.docs.length).toBeGreaterThan(0);
    expect(
      merged.findings.flatMap((finding) => finding.docs).every((doc) => doc.startsWith('https://')),
    ).toBe(true);
  });

  it('publishes nothing on a dry run, but still reports the merged result', async () => {
    // Arrange
    const { handler, notify } = setUp({});

    // Act
    const summary = await handler({
      ...LIST,
      trigger: 'manual',
      dryRun: true,
      dryRunReason: 'it narrows regions',
    });

    // Assert
    expect(notify).not.toHaveBeenCalled();
    expect(summary).toMatchObject({ dryRun: true, notification: null, complete: false });
  });

  it("notifies an alarm run as alarm-triggered, its window the alarm's one-minute periods", async () => {
    // Arrange
    const run = { ...RUN, lookbackMinutes: 15, periodSeconds: 60 };
    const { handler, notify } = setUp({});

    // Act
    await handler({ ...LIST, trigger: 'alarm', run });

    // Assert
    const [merged, , trigger] = notify.mock.calls[0] as unknown as [
      { window: { start: string; end: string; periodSeconds: number } },
      unknown,
      string,
    ];
    expect(trigger).toBe('alarm');
    expect(merged.window).toEqual({
      start: '2026-12-04T09:52:00.000Z',
      end: '2026-12-04T10:07:00.000Z',
      periodSeconds: 60,
    });
  });

  it('fails the run when its list of targets is gone (nothing to merge against)', async () => {
    // Arrange
    const { handler } = setUp({});

    // Act / Assert
    await expect(handler({ ...LIST, targetsKey: 'runs/other/targets.json' })).rejects.toThrow(/missing/);
  });

  it('keeps the message of a Lambda error and a plain-text cause as it is', () => {
    // Arrange / Act / Assert
    expect(describeCause('{"errorType":"Error","errorMessage":"boom"}')).toBe('Error: boom');
    expect(describeCause('States.Timeout')).toBe('States.Timeout');
  });
});
