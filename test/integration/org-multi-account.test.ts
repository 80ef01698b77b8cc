/**
 * The organization audit from the CLI against the emulator: three accounts through their member
 * role, fanned out and merged. moto keeps each account's resources apart and serves a request in the
 * account of its credentials, so credentials from AssumeRole into account X act in X. Two member
 * accounts hold the healthy shop with one different fault each (an empty zone behind the NLB, a
 * listener gone from the ALB); the third has no member role. moto's AssumeRole hands out credentials
 * for any role ARN, existing or not (moto/sts/models.py: "the role does not need to exist"), so that
 * one failure is injected (test/support/faults.ts denyAssumeRole) with the AccessDenied STS sends.
 */
import { DeleteListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { runCli } from '../../lambda/cli/main';
import type { Finding, Report } from '../../lambda/domain/types';
import { findingId } from '../../lambda/engine/finding-id';
import { auditTarget } from '../../lambda/org/audit-target';
import { renderText } from '../../lambda/report/render-text';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { type AccountSpec, type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import { denyAssumeRole, faultInjector } from '../support/faults';
import { MEMBER_ROLE, memberAccountClients } from '../support/member-accounts';
import { expectValidReport } from '../support/report-schema';

const EMPTY_ZONE_ACCOUNT = '111111111111';
const NO_LISTENER_ACCOUNT = '222222222222';
const NO_ROLE_ACCOUNT = '333333333333';

/** The healthy shop with no target in us-east-1c behind the NLB (orders-c left out), cross-zone off. */
const EMPTY_ZONE_SHOP: AccountSpec = {
  ...HEALTHY_TWIN,
  loadBalancers: HEALTHY_TWIN.loadBalancers.map((lb) =>
    lb.name === 'orders-nlb' ? { ...lb, crossZone: false } : lb,
  ),
  instances: HEALTHY_TWIN.instances.filter((instance) => instance.name !== 'orders-c'),
  targetGroups: HEALTHY_TWIN.targetGroups.map((group) =>
    group.name === 'orders-tg' ? { ...group, targets: ['orders-a', 'orders-b'] } : group,
  ),
};

const problems = (findings: Finding[]): string[] =>
  findings
    .filter((finding) => finding.status === 'FAIL' || finding.status === 'ERROR')
    .map((finding) => `${finding.status} ${finding.checkId} ${finding.resourceArn}`)
    .sort();

describe('an organization audit of three accounts through the CLI', () => {
  const aws = useEmulator();
  const now = new Date();
  const seeded: Record<string, SeededAccount> = {};
  let report: Report;
  let code: number;
  let stderr = '';

  beforeAll(async () => {
    seeded[EMPTY_ZONE_ACCOUNT] = await seedAccount(
      await memberAccountClients(aws, EMPTY_ZONE_ACCOUNT),
      EMPTY_ZONE_SHOP,
      now,
    );
    const noListener = await memberAccountClients(aws, NO_LISTENER_ACCOUNT);
    seeded[NO_LISTENER_ACCOUNT] = await seedAccount(noListener, HEALTHY_TWIN, now);
    await noListener.elb.send(
      new DeleteListenerCommand({ ListenerArn: seeded[NO_LISTENER_ACCOUNT]?.listeners['catalog-alb:80'] }),
    );

    let stdout = '';
    code = await runCli(
      [
        '--accounts',
        [EMPTY_ZONE_ACCOUNT, NO_LISTENER_ACCOUNT, NO_ROLE_ACCOUNT].join(','),
        '--role-name',
        MEMBER_ROLE,
        '--region',
        TEST_REGION,
        '--endpoint-url',
        aws.emulator().endpoint,
        '--format',
        'json',
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
        isTTY: { stdout: false, stderr: false },
      },
      {
        // The caller's credentials come from the test, and the third account's role is missing.
        verifyCredentials: async () => '123456789012',
        auditTarget: (target, access, base) =>
          auditTarget(
            target,
            { ...access, callerCredentials: TEST_CREDENTIALS },
            { ...base, plugins: [faultInjector([denyAssumeRole(NO_ROLE_ACCOUNT)])] },
          ),
        now: () => now,
      },
    );
    report = JSON.parse(stdout) as Report;
    const failsByAccount = Object.fromEntries(
      (report.accounts ?? []).map((account) => [
        account.id,
        report.findings.filter((finding) => finding.account === account.id && finding.status === 'FAIL')
          .length,
      ]),
    );
    process.stderr.write(
      `org-multi-account: exit ${code}; accounts ${JSON.stringify(report.accounts)}; ` +
        `FAIL by account ${JSON.stringify(failsByAccount)}; problems ${JSON.stringify(
          Object.fromEntries(
            [EMPTY_ZONE_ACCOUNT, NO_LISTENER_ACCOUNT].map((id) => [
              id,
              problems(report.findings.filter((finding) => finding.account === id)),
            ]),
          ),
        )}; incomplete ${JSON.stringify(report.incompleteReasons)}; calls ${JSON.stringify(report.stats.awsCalls)}\n`,
    );
    process.stderr.write(renderText(report, { color: false }));
  }, 90_000);

  it('lists each account once: two audited, the one without the role an ERROR line', () => {
    expectValidReport(report);
    expect(report.account).toBeNull();
    expect(report.accounts).toEqual([
      { id: EMPTY_ZONE_ACCOUNT, regions: [TEST_REGION], status: 'audited' },
      { id: NO_LISTENER_ACCOUNT, regions: [TEST_REGION], status: 'audited' },
      {
        id: NO_ROLE_ACCOUNT,
        regions: [TEST_REGION],
        status: 'error',
        error: {
          action: 'STS.AssumeRole',
          code: 'AccessDenied',
          message: expect.stringContaining('deploy the member-account template'),
          regions: [TEST_REGION],
        },
      },
    ]);
    expect(report.complete).toBe(false);
    expect(report.incompleteReasons).toEqual([
      expect.stringMatching(
        /^account 333333333333 could not be audited in us-east-1: STS\.AssumeRole failed \(AccessDenied\)/,
      ),
    ]);
    expect(stderr).toContain('warning: account 333333333333 could not be audited');
  });

  it('finds the empty zone in the first account only, under that account', () => {
    const ordersTg = seeded[EMPTY_ZONE_ACCOUNT]?.targetGroups['orders-tg'] ?? '';
    const mine = report.findings.filter((finding) => finding.account === EMPTY_ZONE_ACCOUNT);

    expect(problems(mine)).toEqual([
      `FAIL lb-cross-zone ${ordersTg}`,
      `FAIL tg-empty-az ${ordersTg}`,
      `FAIL tg-unhealthy-az ${ordersTg}`,
    ]);
    expect(mine.find((finding) => finding.checkId === 'tg-empty-az')?.id).toBe(
      findingId('tg-empty-az', ordersTg, EMPTY_ZONE_ACCOUNT, TEST_REGION),
    );
    // The twin check of the other account's fault: every listener is still there, so it stays silent.
    expect(
      new Set(mine.filter((finding) => finding.checkId === 'integration-listener').map((f) => f.status)),
    ).toEqual(new Set(['PASS']));
  });

  it('finds the missing listener in the second account only, under that account', () => {
    const catalogApi = seeded[NO_LISTENER_ACCOUNT]?.httpApis['catalog-http'];
    const mine = report.findings.filter((finding) => finding.account === NO_LISTENER_ACCOUNT);

    expect(problems(mine)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^FAIL integration-listener arn:aws:apigateway:us-east-1::/apis/${catalogApi}/integrations/`,
        ),
      ),
    ]);
    expect(
      mine.find((finding) => finding.checkId === 'integration-listener' && finding.status === 'FAIL')
        ?.message,
    ).toContain('listener');
    // Every target of its NLB is in place: the other account's fault, checked here, passes.
    const ordersTg = seeded[NO_LISTENER_ACCOUNT]?.targetGroups['orders-tg'];
    expect(
      mine.find((finding) => finding.checkId === 'tg-empty-az' && finding.resourceArn === ordersTg)?.status,
    ).toBe('PASS');
  });

  it('names the account of every stage, and reads each member account with one AssumeRole', () => {
    expect(report.apis.map((stage) => `${stage.account} ${stage.apiName}`).sort()).toEqual([
      `${EMPTY_ZONE_ACCOUNT} catalog-http`,
      `${EMPTY_ZONE_ACCOUNT} orders-http`,
      `${EMPTY_ZONE_ACCOUNT} payments-rest`,
      `${NO_LISTENER_ACCOUNT} catalog-http`,
      `${NO_LISTENER_ACCOUNT} orders-http`,
      `${NO_LISTENER_ACCOUNT} payments-rest`,
    ]);
    expect(
      report.findings.every(
        (finding) => finding.account === EMPTY_ZONE_ACCOUNT || finding.account === NO_LISTENER_ACCOUNT,
      ),
    ).toBe(true);
    expect(report.stats.awsCalls['STS.AssumeRole']).toBe(2);
  });

  it('reports what both shops share in each account on its own (the sporadic REST stage: client-retries)', () => {
    const clientRetries = report.findings.filter((finding) => finding.checkId === 'client-retries');

    expect(clientRetries.map((finding) => `${finding.account} ${finding.status}`)).toEqual([
      `${EMPTY_ZONE_ACCOUNT} WARN`,
      `${NO_LISTENER_ACCOUNT} WARN`,
    ]);
    expect(new Set(clientRetries.map((finding) => finding.id)).size).toBe(2);
  });

  it('exits 1: the accounts it reached have FAIL findings', () => {
    expect(code).toBe(1);
  });
});
