/**
 * One alarm-triggered run of the organization-wide audit as the state machine drives it, against the
 * emulator: the recorded contributor event, as the auditor's bus receives it from a member account
 * (its `account` the seeded broken member, its stage the broken shop's orders-http/prod), goes to
 * ListTargets, which makes that account and Region the run's one item; the item assumes the member
 * role and audits that stage over the alarm's window; MergeAndNotify publishes one message marked
 * alarm-triggered, and a second event for the same stage announces nothing new. An event from an
 * account the auditor does not audit starts nothing.
 */
import type { MachineNotification } from '../../lambda/notify/notification-messages';
import { s3PartStore, type TargetItem, targetsKey } from '../../lambda/org/run-parts';
import { MEMBER_ALARM_NAMES } from '../../lib/member-stage-alarms-stack';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import httpContributor from '../fixtures/alarm-events/http-contributor-alarm.json';
import { TEST_REGION, useEmulator } from '../support/emulator';
import { memberAccountClients } from '../support/member-accounts';
import { drainQueue, type NotifyFixture } from './notify-fixtures';
import { type OrgSteps, prepareOrgRun } from './org-run-fixture';

const BROKEN = '111111111111';
const EMPTY = '222222222222';
const FOREIGN = '444444444444';
const BUCKET = 'auditor-alarm-parts';
const TEST_TIMEOUT_MS = 90_000;
const lambdaContext = () => ({
  awsRequestId: 'org-alarm-run-test',
  getRemainingTimeInMillis: () => 120_000,
});

/** The recorded HTTP contributor event, forwarded from `account`'s member alarm, naming a stage, emitted now. */
const memberEvent = (account: string, apiId: string) => ({
  ...httpContributor,
  account,
  region: TEST_REGION,
  time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  resources: [`arn:aws:cloudwatch:${TEST_REGION}:${account}:alarm:${MEMBER_ALARM_NAMES.http}`],
  detail: {
    ...httpContributor.detail,
    alarmName: MEMBER_ALARM_NAMES.http,
    alarmContributor: {
      ...httpContributor.detail.alarmContributor,
      attributes: { ApiId: apiId, Stage: 'prod' },
    },
  },
});

describe('an alarm-triggered organization-wide run, step by step, on the emulator', () => {
  const aws = useEmulator();
  const savedEnv = { ...process.env };
  let fixture: NotifyFixture;
  let seeded: SeededAccount;
  let steps: OrgSteps;

  beforeAll(async () => {
    seeded = await seedAccount(await memberAccountClients(aws, BROKEN), BROKEN_ACCOUNT, new Date());
    ({ fixture, steps } = await prepareOrgRun(aws, {
      name: 'org-alarm-run',
      bucket: BUCKET,
      accounts: [BROKEN, EMPTY],
      metricsNamespace: 'ApiNetworkAuditorOrgAlarmTest',
    }));
    // EMF metrics go to stdout
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  }, TEST_TIMEOUT_MS);

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it(
    'audits only the member account, Region and stage the event names, and publishes one message marked alarm-triggered',
    async () => {
      // Arrange
      const ordersId = seeded.httpApis['orders-http'] ?? '';
      const parts = s3PartStore(BUCKET);
      const started = Date.now();

      // Act: the state machine's three steps, the Map's one item read back from S3
      const list = await steps.list({ runId: 'org-alarm-1', input: memberEvent(BROKEN, ordersId) });
      const items = JSON.parse((await parts.get(list.targetsKey)) ?? '[]') as TargetItem[];
      for (const item of items) await steps.item(item, lambdaContext());
      const summary = await steps.merge(list);
      const envelopes = await drainQueue(fixture);
      const eventToNotificationMs = Date.now() - started;

      // Assert
      expect(list).toMatchObject({ trigger: 'alarm', dryRun: false, targetCount: 1 });
      expect(items.map((item) => item.target)).toEqual([{ account: BROKEN, region: TEST_REGION }]);
      expect(summary).toMatchObject({ trigger: 'alarm', targets: 1, complete: true, accountsWithErrors: [] });
      expect(envelopes).toHaveLength(1);
      const [envelope] = envelopes;
      expect(envelope?.Subject).toMatch(/\[alarm-triggered\] 504s on orders-http\/prod/);
      expect(envelope?.MessageAttributes?.trigger).toEqual({ Type: 'String', Value: 'alarm' });
      const report = (JSON.parse(envelope?.Message ?? '{}') as MachineNotification).report;
      expect(report.window.periodSeconds).toBe(60);
      expect(Date.parse(report.window.end) - Date.parse(report.window.start)).toBe(15 * 60_000);
      expect(report.accounts?.map(({ id, status }) => ({ id, status }))).toEqual([
        { id: BROKEN, status: 'audited' },
      ]);
      expect(report.apis.map((api) => `${api.account}:${api.apiName}/${api.stage}`)).toEqual([
        `${BROKEN}:orders-http/prod`,
      ]);
      expect(report.findings.length).toBeGreaterThan(0);
      for (const finding of report.findings) {
        expect(finding.account).toBe(BROKEN);
        expect(finding.apis).toEqual([{ apiId: ordersId, stage: 'prod' }]);
      }
      process.stderr.write(
        `org alarm-triggered run of one stage: event-to-notification ${eventToNotificationMs} ms, ` +
          `audit ${report.stats.durationMs} ms, AWS calls ${JSON.stringify(report.stats.awsCalls)}\n`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'announces nothing for a second event naming the same stage, unchanged (one message per burst)',
    async () => {
      // Arrange: the first test's run has announced the stage's findings
      const ordersId = seeded.httpApis['orders-http'] ?? '';
      const parts = s3PartStore(BUCKET);

      // Act
      const list = await steps.list({ runId: 'org-alarm-3', input: memberEvent(BROKEN, ordersId) });
      const items = JSON.parse((await parts.get(list.targetsKey)) ?? '[]') as TargetItem[];
      for (const item of items) await steps.item(item, lambdaContext());
      const summary = await steps.merge(list);

      // Assert
      expect(summary).toMatchObject({ trigger: 'alarm', targets: 1, complete: true });
      expect(summary.notification?.published).toBe(0);
      expect(await drainQueue(fixture)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'starts no audit for an event from an account the auditor does not audit',
    async () => {
      // Arrange
      const parts = s3PartStore(BUCKET);

      // Act
      const run = steps.list({ runId: 'org-alarm-2', input: memberEvent(FOREIGN, 'a1b2c3d4e5') });

      // Assert
      await expect(run).rejects.toThrow(/account 444444444444 is not one of the audited accounts/);
      await expect(run).rejects.toHaveProperty('name', 'InvalidEventError');
      expect(await parts.get(targetsKey('org-alarm-2'))).toBeNull();
      expect(await drainQueue(fixture)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
