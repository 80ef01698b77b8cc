/**
 * One item of the organization-wide fan-out against the emulator: assume the member role in one
 * account, audit one Region with its credentials, and return that part of the report within the
 * item's own time budget; a role that cannot be assumed is an outcome with an error, never a throw.
 */
import { type AuditRequest, runAudit } from '../../lambda/audit';
import { findingId } from '../../lambda/engine/finding-id';
import { auditTarget } from '../../lambda/org/audit-target';
import type { AuditTarget, MemberAccess } from '../../lambda/org/contract';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import { denyAssumeRole, FaultLog, faultInjector, throttlingResponse } from '../support/faults';
import { MEMBER_ROLE, memberAccountClients } from '../support/member-accounts';
import { expectValidReport } from '../support/report-schema';

const MEMBER = '111111111111';
const TARGET: AuditTarget = { account: MEMBER, accountName: 'payments-prod', region: TEST_REGION };
const ACCESS: MemberAccess = {
  roleName: MEMBER_ROLE,
  externalId: 'org-audit-7',
  callerCredentials: TEST_CREDENTIALS,
};
const BUDGET_MS = 60_000;

describe('auditing one account and Region through its member role', () => {
  const aws = useEmulator();
  const now = new Date();
  let seeded: SeededAccount;
  let base: Omit<AuditRequest, 'regions' | 'account' | 'credentials'>;

  beforeAll(async () => {
    seeded = await seedAccount(await memberAccountClients(aws, MEMBER), BROKEN_ACCOUNT, now);
    const {
      regions: _regions,
      credentials: _credentials,
      ...rest
    } = aws.auditRequest(now, { allChecks: false });
    base = rest;
  }, 60_000);

  it('returns the member account’s part of the report, its findings keyed by that account, within its budget', async () => {
    // Arrange
    const log = new FaultLog();
    const started = Date.now();

    // Act
    const outcome = await auditTarget(TARGET, ACCESS, {
      ...base,
      deadline: started + BUDGET_MS,
      plugins: [faultInjector([], log)],
    });

    // Assert
    const elapsed = Date.now() - started;
    expect(outcome.error).toBeUndefined();
    const report = outcome.report;
    if (!report) throw new Error('no report');
    expectValidReport(report);
    expect(elapsed).toBeLessThan(BUDGET_MS);
    expect(report).toMatchObject({ account: MEMBER, regions: [TEST_REGION], complete: true });
    expect(report.apis.map((stage) => stage.apiName).sort()).toEqual([
      'catalog-http',
      'orders-http',
      'payments-rest',
    ]);
    expect(new Set(report.apis.map((stage) => stage.account))).toEqual(new Set([MEMBER]));
    const emptyZone = report.findings.find(
      (finding) =>
        finding.checkId === 'tg-empty-az' && finding.resourceArn === seeded.targetGroups['orders-tg'],
    );
    expect(emptyZone).toMatchObject({
      status: 'FAIL',
      account: MEMBER,
      id: findingId('tg-empty-az', seeded.targetGroups['orders-tg'] ?? '', MEMBER, TEST_REGION),
    });
    expect(report.stats.awsCalls['STS.AssumeRole']).toBe(1);
    expect(report.stats.awsCalls['STS.GetCallerIdentity']).toBeUndefined();
    const assumeRole = log.attempts.find((attempt) => attempt.action === 'sts:AssumeRole');
    expect(assumeRole?.input).toEqual({
      RoleArn: `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`,
      RoleSessionName: `api-network-auditor-${TEST_REGION}`,
      ExternalId: 'org-audit-7',
    });
    process.stderr.write(
      `org-audit-target: one account and Region in ${elapsed} ms, ${JSON.stringify(report.stats.awsCalls)}\n`,
    );
  });

  it('reads nothing of the member account with the auditor’s own credentials (the twin: the default account is empty)', async () => {
    // Act
    const { regions: _regions, ...request } = aws.auditRequest(now, { allChecks: false });
    const own = await runAudit({ ...request, regions: [TEST_REGION] });

    // Assert
    expect(own.account).toBe('123456789012');
    expect(own.apis).toEqual([]);
  });

  it('gives an incomplete part at once, calling nothing, when the item’s time budget has already run out', async () => {
    // Arrange
    const log = new FaultLog();
    const started = Date.now();

    // Act
    const outcome = await auditTarget(TARGET, ACCESS, {
      ...base,
      deadline: started - 1,
      plugins: [faultInjector([], log)],
    });

    // Assert
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(log.attempts).toEqual([]);
    expect(outcome.report).toMatchObject({
      account: MEMBER,
      complete: false,
      incompleteReasons: [`time budget exhausted before Region ${TEST_REGION} was audited`],
      apis: [],
      findings: [],
    });
    expectValidReport(outcome.report);
  });

  it('returns an STS.AssumeRole error that says to deploy the member template when the role is missing or denied', async () => {
    // Act
    const outcome = await auditTarget(TARGET, ACCESS, {
      ...base,
      plugins: [faultInjector([denyAssumeRole(MEMBER)])],
    });

    // Assert
    expect(outcome.report).toBeUndefined();
    expect(outcome.error).toMatchObject({ action: 'STS.AssumeRole', code: 'AccessDenied' });
    expect(outcome.error?.message).toContain(`arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`);
    expect(outcome.error?.message).toContain('deploy the member-account template');
    expect(outcome.error?.message).toContain('trust policy');
    expect(outcome.error?.message).toContain('external id');
  });

  it('returns a Throttling error, not a throw, when STS throttles AssumeRole past the retries', async () => {
    // Arrange
    const log = new FaultLog();
    const throttleSts = faultInjector(
      [(attempt) => (attempt.action === 'sts:AssumeRole' ? throttlingResponse('STS') : undefined)],
      log,
    );

    // Act
    const outcome = await auditTarget(TARGET, ACCESS, { ...base, plugins: [throttleSts] });

    // Assert
    expect(log.count('respond')).toBeGreaterThan(1);
    expect(outcome.error).toMatchObject({ action: 'STS.AssumeRole', code: 'Throttling' });
    expect(outcome.error?.message).toContain('concurrency');
  }, 60_000);
});
