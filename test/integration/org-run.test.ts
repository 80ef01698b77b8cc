/**
 * One run of the organization-wide audit as the state machine drives it, against the emulator:
 * ListTargets writes the items to S3, each item (read back from S3, as the Distributed Map's item
 * reader does) audits one account and Region and stores its part, MergeAndNotify merges the parts,
 * stores the report and publishes through SNS with the DynamoDB state. Three member accounts: one
 * with the broken shop, one empty, one whose role cannot be assumed. The handlers are the deployed
 * modules' own exports; only the third account's item gets a fault (AssumeRole denied).
 */
import type { Report } from '../../lambda/domain/types';
import { auditTarget } from '../../lambda/org/audit-target';
import { createAuditTargetHandler } from '../../lambda/org/audit-target-handler';
import { s3PartStore, type TargetItem } from '../../lambda/org/run-parts';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { TEST_REGION, useEmulator } from '../support/emulator';
import { denyAssumeRole, faultInjector } from '../support/faults';
import { memberAccountClients } from '../support/member-accounts';
import { expectValidReport } from '../support/report-schema';
import { drainQueue, type NotifyFixture } from './notify-fixtures';
import { type OrgSteps, prepareOrgRun } from './org-run-fixture';

const BROKEN = '111111111111';
const EMPTY = '222222222222';
const NO_ROLE = '333333333333';
const BUCKET = 'auditor-parts';
const ITEM_BUDGET_MS = 60_000;
const lambdaContext = (remainingMs = ITEM_BUDGET_MS) => ({
  awsRequestId: 'org-run-test',
  getRemainingTimeInMillis: () => remainingMs,
});

describe('one organization-wide run, step by step, on the emulator', () => {
  const aws = useEmulator();
  const savedEnv = { ...process.env };
  let fixture: NotifyFixture;
  let steps: OrgSteps;

  beforeAll(async () => {
    const now = new Date();
    await seedAccount(await memberAccountClients(aws, BROKEN), BROKEN_ACCOUNT, now);
    ({ fixture, steps } = await prepareOrgRun(aws, {
      name: 'org-run',
      bucket: BUCKET,
      accounts: [BROKEN, EMPTY, NO_ROLE],
      metricsNamespace: 'ApiNetworkAuditorOrgRunTest',
    }));
  }, 120_000);

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it('merges the three accounts into one report and one notification: findings, silence, an ERROR line', async () => {
    // Arrange: EMF metrics go to stdout
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const parts = s3PartStore(BUCKET);
    const deniedItem = createAuditTargetHandler({
      auditTarget: (target, access, base) =>
        auditTarget(target, access, { ...base, plugins: [faultInjector([denyAssumeRole(NO_ROLE)])] }),
      parts: () => parts,
      env: process.env,
      clock: () => Date.now(),
    });

    // Act: the state machine's three steps
    const list = await steps.list({ runId: 'org-run-1', input: { source: 'aws.events' } });
    const items = JSON.parse((await parts.get(list.targetsKey)) ?? '[]') as TargetItem[];
    const itemResults = [];
    for (const item of items) {
      const started = Date.now();
      const result =
        item.target.account === NO_ROLE
          ? await deniedItem(item, lambdaContext())
          : await steps.item(item, lambdaContext());
      itemResults.push({ ...result, ms: Date.now() - started });
    }
    const summary = await steps.merge(list);

    // Assert
    expect(list).toMatchObject({ trigger: 'schedule', dryRun: false, targetCount: 3 });
    expect(itemResults.map(({ partKey, errorCode }) => ({ partKey, errorCode }))).toEqual([
      { partKey: `runs/org-run-1/parts/${BROKEN}-${TEST_REGION}.json`, errorCode: undefined },
      { partKey: `runs/org-run-1/parts/${EMPTY}-${TEST_REGION}.json`, errorCode: undefined },
      { partKey: `runs/org-run-1/parts/${NO_ROLE}-${TEST_REGION}.json`, errorCode: 'AccessDenied' },
    ]);
    for (const { ms } of itemResults) expect(ms).toBeLessThan(ITEM_BUDGET_MS);

    expect(summary).toMatchObject({
      runId: 'org-run-1',
      targets: 3,
      complete: false,
      accountsWithErrors: [NO_ROLE],
    });
    const report = JSON.parse((await parts.get(summary.reportKey)) ?? '{}') as Report;
    expectValidReport(report);
    expect(report.accounts?.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: BROKEN, status: 'audited' },
      { id: EMPTY, status: 'audited' },
      { id: NO_ROLE, status: 'error' },
    ]);
    const failing = report.findings.filter((finding) => finding.status === 'FAIL');
    expect(failing.length).toBeGreaterThan(0);
    expect(new Set(report.findings.map((finding) => finding.account))).toEqual(new Set([BROKEN]));
    expect(report.incompleteReasons).toEqual([
      expect.stringContaining(`account ${NO_ROLE} could not be audited`),
    ]);

    const messages = await drainQueue(fixture);
    expect(summary.notification?.published).toBe(messages.length);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.map((message) => message.Message).join('\n')).toContain(BROKEN);
  });
});
