/**
 * REST execution logs can hold request bodies: in member accounts they are searched only when the
 * operator opts in (orgSearchExecutionLogs, and the member template's SearchExecutionLogs).
 */
import type { AwsClients } from '../../../lambda/collect/clients';
import { EXECUTION_LOGS_OPT_IN, readLogEvidence } from '../../../lambda/collect/stage-log-evidence';
import { collected } from '../../../lambda/domain/types';
import { createAuditTargetHandler } from '../../../lambda/org/audit-target-handler';
import type { AuditTargetFn } from '../../../lambda/org/contract';
import type { TargetItem } from '../../../lambda/org/run-parts';
import { MemoryPartStore, ORG_ENV } from '../../support/memory-part-store';
import { aReport, aStage } from '../../support/report-builders';

const WINDOW = { start: '2026-12-04T09:00:00.000Z', end: '2026-12-04T10:00:00.000Z', periodSeconds: 300 };
const ITEM: TargetItem = {
  runId: 'run-1',
  target: { account: '111111111111', region: 'us-east-1' },
  partKey: 'runs/run-1/parts/111111111111-us-east-1.json',
  run: { now: '2026-12-04T10:00:00.000Z', lookbackMinutes: 60, allChecks: false },
};

async function executionLogsAsked(env: Record<string, string>) {
  const auditTarget = jest.fn<ReturnType<AuditTargetFn>, Parameters<AuditTargetFn>>(async (target) => ({
    target,
    report: aReport(),
  }));
  const handler = createAuditTargetHandler({
    auditTarget,
    parts: new MemoryPartStore().forBucket,
    env,
    clock: () => Date.parse(ITEM.run.now),
  });
  await handler(ITEM, { getRemainingTimeInMillis: () => 300_000 });
  return auditTarget.mock.calls[0]?.[2].executionLogs;
}

describe('execution logs in member accounts', () => {
  it('are not searched unless the deployment opts in', async () => {
    expect(await executionLogsAsked(ORG_ENV)).toBe(false);
    expect(await executionLogsAsked({ ...ORG_ENV, SEARCH_EXECUTION_LOGS: 'true' })).toBe(true);
  });

  it('say so in the evidence instead of calling CloudWatch Logs (no client is touched)', async () => {
    // Arrange: a REST stage with execution logging on; clients that throw if used
    const stage = { ...aStage({ apiType: 'REST', apiId: 'a1b2c3d4e5', stage: 'prod' }) };
    const settings = collected({ executionLogging: { loggingLevel: 'ERROR' } }) as never;
    const clients = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no call expected');
        },
      },
    ) as AwsClients;

    // Act
    const evidence = await readLogEvidence(clients, stage, settings, WINDOW, undefined, {
      executionLogs: false,
    });

    // Assert
    expect(evidence).toEqual(
      collected({
        logGroup: 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod',
        notSearched: EXECUTION_LOGS_OPT_IN,
      }),
    );
  });
});
