import type { TargetError, TargetOutcome } from '../../../lambda/org/contract';
import { mergeReports } from '../../../lambda/org/merge-reports';
import { anAccountPart, SHARED_TARGET_GROUP_ARN } from '../../support/report-builders';
import { expectValidReport } from '../../support/report-schema';

const GENERATED_AT = new Date('2026-11-29T12:05:00.000Z');
const SHARED_ARN = SHARED_TARGET_GROUP_ARN;
const partOf = anAccountPart;

const DENIED: TargetError = {
  action: 'STS.AssumeRole',
  code: 'AccessDenied',
  message: 'could not assume arn:aws:iam::333333333333:role/auditor. Deploy the member-account template.',
};

const ok = (account: string, region: string, report = partOf(account, region)): TargetOutcome => ({
  target: { account, region, accountName: `team-${account.slice(0, 1)}` },
  report,
});
const failed = (account: string, region: string, error = DENIED): TargetOutcome => ({
  target: { account, region },
  error,
});

describe('mergeReports', () => {
  it('names the account of every stage and finding, and gives a role that cannot be assumed an ERROR line', () => {
    const merged = mergeReports(
      [
        ok('111111111111', 'us-east-1'),
        ok('222222222222', 'us-east-1'),
        ok('222222222222', 'eu-west-1'),
        failed('333333333333', 'us-east-1'),
        failed('333333333333', 'eu-west-1'),
      ],
      { generatedAt: GENERATED_AT },
    );

    expectValidReport(merged);
    expect(merged.account).toBeNull();
    expect(merged.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(merged.accounts).toEqual([
      { id: '111111111111', name: 'team-1', regions: ['us-east-1'], status: 'audited' },
      { id: '222222222222', name: 'team-2', regions: ['us-east-1', 'eu-west-1'], status: 'audited' },
      {
        id: '333333333333',
        regions: ['us-east-1', 'eu-west-1'],
        status: 'error',
        error: { ...DENIED, regions: ['us-east-1', 'eu-west-1'] },
      },
    ]);
    expect(merged.complete).toBe(false);
    expect(merged.incompleteReasons).toEqual([
      `account 333333333333 could not be audited in us-east-1, eu-west-1: STS.AssumeRole failed (AccessDenied): ${DENIED.message}`,
    ]);
    expect(merged.apis.map((stage) => `${stage.account} ${stage.region}`)).toEqual([
      '111111111111 us-east-1',
      '222222222222 eu-west-1',
      '222222222222 us-east-1',
    ]);
    expect(merged.findings.map((finding) => finding.account)).toEqual([
      '111111111111',
      '222222222222',
      '222222222222',
    ]);
    expect(merged.stats).toEqual({
      durationMs: 3000,
      awsCalls: { 'STS.AssumeRole': 3, 'CloudWatch.GetMetricData': 6 },
      retries: 3,
    });
  });

  it('keeps one resource ARN in two accounts as two findings with two ids', () => {
    const merged = mergeReports([ok('111111111111', 'us-east-1'), ok('222222222222', 'us-east-1')], {
      generatedAt: GENERATED_AT,
    });

    expect(merged.findings.map((finding) => finding.resourceArn)).toEqual([SHARED_ARN, SHARED_ARN]);
    expect(new Set(merged.findings.map((finding) => finding.id)).size).toBe(2);
  });

  it('is complete, with every account audited, when every item returned a complete part', () => {
    const merged = mergeReports([ok('111111111111', 'us-east-1'), ok('222222222222', 'us-east-1')], {
      generatedAt: GENERATED_AT,
    });

    expectValidReport(merged);
    expect(merged.complete).toBe(true);
    expect(merged.incompleteReasons).toEqual([]);
    expect(merged.accounts?.map((account) => account.status)).toEqual(['audited', 'audited']);
    expect(merged.generatedAt).toBe(GENERATED_AT.toISOString());
  });

  it('keeps the account at the top when every item was in one account', () => {
    const merged = mergeReports([ok('111111111111', 'us-east-1'), ok('111111111111', 'eu-west-1')], {
      generatedAt: GENERATED_AT,
    });

    expect(merged.account).toBe('111111111111');
    expect(merged.accounts).toHaveLength(1);
  });

  it('marks an account incomplete when one of its Regions failed or was cut short, naming the account', () => {
    const cutShort = partOf('222222222222', 'us-east-1', {
      complete: false,
      incompleteReasons: ['time budget exhausted before Region us-east-1 was audited'],
    });
    const merged = mergeReports(
      [
        ok('111111111111', 'us-east-1'),
        failed('111111111111', 'eu-west-1', { ...DENIED, code: 'Throttling', message: 'STS throttled' }),
        ok('222222222222', 'us-east-1', cutShort),
      ],
      { generatedAt: GENERATED_AT },
    );

    expect(merged.accounts?.map((account) => [account.id, account.status])).toEqual([
      ['111111111111', 'incomplete'],
      ['222222222222', 'incomplete'],
    ]);
    expect(merged.incompleteReasons).toEqual([
      'account 111111111111 could not be audited in eu-west-1: STS.AssumeRole failed (Throttling): STS throttled',
      'account 222222222222: time budget exhausted before Region us-east-1 was audited',
    ]);
  });

  it('spans the items windows, which differ when items started in different periods', () => {
    const later = partOf('222222222222', 'us-east-1', {
      window: { start: '2026-11-29T11:05:00.000Z', end: '2026-11-29T12:05:00.000Z', periodSeconds: 300 },
    });
    const merged = mergeReports([ok('111111111111', 'us-east-1'), ok('222222222222', 'us-east-1', later)], {
      generatedAt: GENERATED_AT,
    });

    expect(merged.window).toEqual({
      start: '2026-11-29T11:00:00.000Z',
      end: '2026-11-29T12:05:00.000Z',
      periodSeconds: 300,
    });
  });

  it('shows the asked-for window and thresholds when no account could be audited', () => {
    const window = { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 60 };
    const thresholds = { highErrorRatio: 0.2, continuousPeriodShare: 0.4, minRequests: 10 };
    const merged = mergeReports([failed('333333333333', 'us-east-1')], {
      generatedAt: GENERATED_AT,
      window,
      thresholds,
    });

    expectValidReport(merged);
    expect(merged).toMatchObject({ window, thresholds, complete: false, apis: [], findings: [] });
    expect(merged.accounts?.[0]?.status).toBe('error');
  });

  it('is incomplete, not silently clean, when there was nothing to audit', () => {
    const merged = mergeReports([], { generatedAt: GENERATED_AT });

    expectValidReport(merged);
    expect(merged.complete).toBe(false);
    expect(merged.accounts).toEqual([]);
  });

  it('carries the mutes and excluded checks of every part, each mute in its account', () => {
    const mute = {
      id: 'abcdef0123456789',
      checkId: 'vpc-flow-logs',
      status: 'WARN' as const,
      severity: 'low' as const,
      resourceArn: 'arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1',
      reason: 'sandbox',
    };
    const muted = partOf('111111111111', 'us-east-1', { muted: [mute], excludedChecks: ['client-retries'] });
    const merged = mergeReports([ok('111111111111', 'us-east-1', muted), ok('222222222222', 'us-east-1')], {
      generatedAt: GENERATED_AT,
    });

    expectValidReport(merged);
    expect(merged.muted).toEqual([{ ...mute, account: '111111111111' }]);
    expect(merged.excludedChecks).toEqual(['client-retries']);
  });
});
