/**
 * A merged report of several accounts in every human output and in the notifier's state: each stage
 * and finding under its account, the account that could not be audited an ERROR line, account names
 * cleaned like every other name read from AWS, and one resource ARN in two accounts two findings
 * with two notification states.
 */
import type { Report } from '../../../lambda/domain/types';
import { buildNotificationMessages } from '../../../lambda/notify/notification-messages';
import { type NotificationView, runIdOf } from '../../../lambda/notify/notification-view';
import { absenceResolution, planNotification } from '../../../lambda/notify/plan-notification';
import { renderChatNotification } from '../../../lambda/notify/render-chat';
import { renderEmailBody, renderEmailSubject } from '../../../lambda/notify/render-email';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import type { TargetOutcome } from '../../../lambda/org/contract';
import { mergeReports } from '../../../lambda/org/merge-reports';
import { renderMarkdown } from '../../../lambda/report/render-markdown';
import { renderText } from '../../../lambda/report/render-text';
import { anAccountPart, aReport, aStage, SHARED_TARGET_GROUP_ARN } from '../../support/report-builders';

const NOW = new Date('2026-11-29T12:05:00.000Z');
/** An account name is free text in AWS Organizations: an escape sequence, a link, a line break. */
const HOSTILE_NAME = 'team-a\u001b[31m https://evil.example\nFAIL';

const DENIED = {
  action: 'STS.AssumeRole',
  code: 'AccessDenied',
  message: 'could not assume arn:aws:iam::333333333333:role/auditor. Deploy the member-account template.',
};

function mergedOf(...outcomes: TargetOutcome[]): Report {
  return mergeReports(outcomes, { generatedAt: NOW });
}

const threeAccounts = (): Report =>
  mergedOf(
    {
      target: { account: '111111111111', accountName: HOSTILE_NAME, region: 'us-east-1' },
      report: anAccountPart('111111111111'),
    },
    {
      target: { account: '222222222222', accountName: 'team-b', region: 'us-east-1' },
      report: anAccountPart('222222222222', 'us-east-1', {
        apis: [{ ...aStage({ apiName: 'billing' }), account: '222222222222' }],
      }),
    },
    { target: { account: '333333333333', region: 'us-east-1' }, error: DENIED },
  );

const viewOf = (report: Report): NotificationView => ({
  report,
  plan: planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, NOW),
  runId: runIdOf(report),
});

/** The lines from the one that contains `start` on. */
const from = (text: string, start: string): string => text.slice(text.indexOf(start));

describe('a merged report of several accounts', () => {
  it('text: counts the accounts, lists each with its status, and names the account of each stage', () => {
    const text = renderText(threeAccounts(), { color: false });

    expect(text).toContain('3 accounts: 2 audited, 1 could not be audited · us-east-1');
    expect(text).toMatch(/ERROR 333333333333 · us-east-1: STS\.AssumeRole AccessDenied in us-east-1/);
    const unspaced = text.replace(/\s+/g, ' ');
    expect(unspaced).toContain('billing/prod (a1b2c3) in 222222222222 (team-b)');
    expect(unspaced).toMatch(/== orders\/prod \(a1b2c3, us-east-1\) in 111111111111 \(team-a/);
    expect(unspaced).toMatch(/== billing\/prod \(a1b2c3, us-east-1\) in 222222222222 \(team-b\)/);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('https://evil');
    expect(text).not.toMatch(/\nFAIL\)/);
  });

  it('text --wide: names the account of every stage and group of findings', () => {
    const text = renderText(threeAccounts(), { color: false, wide: true });

    expect(text).toContain('3 accounts: 2 audited, 1 could not be audited · us-east-1');
    expect(text).toMatch(/ {2}billing\/prod \(a1b2c3\) in 222222222222 \(team-b\)/);
    expect(text).toMatch(/== orders\/prod \(a1b2c3, us-east-1\) in 111111111111 \(team-a/);
  });

  it('markdown: an accounts table with the ERROR line, an account column, a heading per account, names escaped', () => {
    const markdown = renderMarkdown(threeAccounts());

    expect(markdown).toContain('- Accounts: 3 accounts: 2 audited, 1 could not be audited');
    expect(markdown).toMatch(
      /\| ERROR \| `333333333333` \| {2}\| us-east-1 \| `STS.AssumeRole` `AccessDenied` in us-east-1: /,
    );
    expect(markdown).toContain('| Account | Classification |');
    expect(markdown).toContain('### billing/prod (a1b2c3, us-east-1) in 222222222222 (team-b)');
    expect(markdown).toMatch(/### orders\/prod \(a1b2c3, us-east-1\) in 111111111111 \(team-a/);
    expect(markdown).not.toContain('https://evil');
    expect(markdown).not.toContain('\u001b');
  });

  it('email: grouped by account, the accounts that could not be audited first in the accounts section', () => {
    const view = viewOf(threeAccounts());

    const body = renderEmailBody(view);
    const subject = renderEmailSubject(view);

    expect(subject).toMatch(/\(3 accounts us-east-1\)$/);
    expect(body).toContain('failing with 5xx errors in 3 accounts (us-east-1)');
    const accounts = from(body, '=== Accounts: 3 accounts');
    expect(accounts.indexOf('- ERROR 333333333333')).toBeLessThan(accounts.indexOf('- AUDITED 111111111111'));
    expect(accounts).toContain('Deploy the member-account template.');
    const first = body.indexOf('##### Account 111111111111');
    const second = body.indexOf('##### Account 222222222222 (team-b) #####');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(body.slice(first, second)).toContain('orders / prod (REST a1b2c3, 111111111111 us-east-1)');
    expect(body.slice(second)).toContain('billing / prod (REST a1b2c3, 222222222222 us-east-1)');
    expect(body).not.toContain('https://evil');
  });

  it('chat: names the accounts in the title and the account of each stage', () => {
    const chat = renderChatNotification(viewOf(threeAccounts()));

    expect(chat.content.title).toContain('(3 accounts us-east-1)');
    expect(chat.content.description).toContain('(REST, `111111111111` us-east-1)');
    expect(chat.content.description).toContain('(REST, `222222222222` us-east-1)');
    expect(chat.metadata.additionalContext).toMatchObject({
      account: 'several',
      accounts: '111111111111,222222222222,333333333333',
    });
  });

  it('SNS: the account attribute lists every account, so a filter policy on one still matches', () => {
    const [message] = buildNotificationMessages(
      viewOf(threeAccounts()),
      'arn:aws:sns:us-east-1:123456789012:audit',
    );

    expect(message?.MessageAttributes?.account).toEqual({
      DataType: 'String.Array',
      StringValue: '["111111111111","222222222222","333333333333"]',
    });
  });

  it('single-account reports keep their layout: no accounts section, no account headings (the twin)', () => {
    const report = aReport();

    const text = renderText(report, { color: false });
    const markdown = renderMarkdown(report);
    const view = viewOf(report);

    expect(text).toContain('Account 123456789012 · us-east-1');
    expect(text).not.toContain('Accounts (');
    expect(text).not.toContain('== Account');
    expect(markdown).toContain('- Account: `123456789012`');
    expect(markdown).not.toContain('| Account |');
    expect(renderEmailBody(view)).not.toContain('##### Account');
    expect(renderEmailSubject(view)).toMatch(/\(123456789012 us-east-1\)$/);
    expect(
      buildNotificationMessages(view, 'arn:aws:sns:us-east-1:123456789012:audit')[0]?.MessageAttributes
        ?.account,
    ).toEqual({
      DataType: 'String',
      StringValue: '123456789012',
    });
  });
});

describe('notification de-duplication across accounts', () => {
  const twoAccounts = (): Report =>
    mergedOf(
      { target: { account: '111111111111', region: 'us-east-1' }, report: anAccountPart('111111111111') },
      { target: { account: '222222222222', region: 'us-east-1' }, report: anAccountPart('222222222222') },
    );

  it('gives one resource ARN in two accounts two findings, two announcements and two states', () => {
    const report = twoAccounts();

    const plan = planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, NOW);

    expect(report.findings.map((finding) => finding.resourceArn)).toEqual([
      SHARED_TARGET_GROUP_ARN,
      SHARED_TARGET_GROUP_ARN,
    ]);
    expect(plan.changes.map((change) => change.kind)).toEqual(['new', 'new']);
    expect(new Set(plan.nextStates.map((state) => state.findingId)).size).toBe(2);
    expect(plan.nextStates.map((state) => state.account).sort()).toEqual(['111111111111', '222222222222']);
  });

  it('announces nothing again on the next run, and resolves one account’s finding without touching the other’s', () => {
    const first = planNotification(twoAccounts(), new Map(), DEFAULT_NOTIFY_SETTINGS, NOW);
    const states = new Map(first.nextStates.map((state) => [state.findingId, state]));
    const later = new Date(NOW.getTime() + 3_600_000);

    const again = planNotification(twoAccounts(), states, DEFAULT_NOTIFY_SETTINGS, later);
    const fixedInA = mergedOf(
      {
        target: { account: '111111111111', region: 'us-east-1' },
        report: anAccountPart('111111111111', 'us-east-1', { findings: [] }),
      },
      { target: { account: '222222222222', region: 'us-east-1' }, report: anAccountPart('222222222222') },
    );
    const afterFix = planNotification(fixedInA, states, DEFAULT_NOTIFY_SETTINGS, later);

    expect(again.changes).toEqual([]);
    expect(afterFix.changes.map((change) => [change.kind, change.previous?.account])).toEqual([
      ['resolved', '111111111111'],
    ]);
  });

  it('keeps an account’s open state when the merged report did not audit that account', () => {
    const [state] = planNotification(twoAccounts(), new Map(), DEFAULT_NOTIFY_SETTINGS, NOW).nextStates;
    const onlyOther = mergedOf({
      target: { account: '999999999999', region: 'us-east-1' },
      report: anAccountPart('999999999999'),
    });

    expect(state && absenceResolution(state, onlyOther)).toBeNull();
  });
});
