import { createAuditTargetHandler } from '../../../lambda/org/audit-target-handler';
import type { AuditTargetFn, TargetOutcome } from '../../../lambda/org/contract';
import type { TargetItem } from '../../../lambda/org/run-parts';
import { MemoryPartStore, ORG_ENV } from '../../support/memory-part-store';
import { aReport } from '../../support/report-builders';

const STARTED = Date.parse('2026-12-04T10:08:00.000Z');
const ITEM: TargetItem = {
  runId: 'run-1',
  target: { account: '111111111111', accountName: 'payments <prod>', region: 'eu-west-1' },
  partKey: 'runs/run-1/parts/111111111111-eu-west-1.json',
  run: { now: '2026-12-04T10:07:00.000Z', lookbackMinutes: 60, allChecks: false },
};
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });

function setUp(outcome: (target: TargetItem['target']) => TargetOutcome) {
  const store = new MemoryPartStore();
  const auditTarget = jest.fn<ReturnType<AuditTargetFn>, Parameters<AuditTargetFn>>(async (target) =>
    outcome(target),
  );
  const handler = createAuditTargetHandler({
    auditTarget,
    parts: store.forBucket,
    env: ORG_ENV,
    clock: () => STARTED,
  });
  return { store, auditTarget, handler };
}

describe('the AuditTarget step', () => {
  it('audits its one account and Region with the member role, stores the outcome and returns only a pointer', async () => {
    // Arrange
    const report = aReport({ account: '111111111111', regions: ['eu-west-1'] });
    const { store, auditTarget, handler } = setUp((target) => ({ target, report }));

    // Act
    const result = await handler(ITEM, context(300_000));

    // Assert
    expect(result).toEqual({ partKey: ITEM.partKey, complete: true });
    expect(JSON.parse(store.objects.get(ITEM.partKey) ?? '{}')).toEqual({
      runId: 'run-1',
      target: ITEM.target,
      report,
    });
    expect(store.buckets).toEqual(['auditor-parts']);
    const [target, access, base] = auditTarget.mock.calls[0] ?? [];
    expect(target).toEqual(ITEM.target);
    expect(access).toEqual({ roleName: 'ApiNetworkAuditorMember' });
    expect(base).toMatchObject({
      lookbackMinutes: 60,
      periodSeconds: 300,
      allChecks: false,
      now: new Date(ITEM.run.now),
    });
  });

  it('stops collecting within its own time budget, leaving time to store the part', async () => {
    // Arrange
    const { auditTarget, handler } = setUp((target) => ({ target, report: aReport() }));

    // Act
    await handler(ITEM, context(60_000));

    // Assert: 15 s of the 60 s left are kept for writing the part
    expect(auditTarget.mock.calls[0]?.[2].deadline).toBe(STARTED + 45_000);
  });

  it('stores an account it could not enter as an error part, and says so in the pointer', async () => {
    // Arrange
    const error = { action: 'STS.AssumeRole', code: 'AccessDenied', message: 'deploy the member template' };
    const { store, handler } = setUp((target) => ({ target, error }));

    // Act
    const result = await handler(ITEM, context(300_000));

    // Assert
    expect(result).toEqual({ partKey: ITEM.partKey, errorCode: 'AccessDenied', complete: false });
    expect(JSON.parse(store.objects.get(ITEM.partKey) ?? '{}')).toEqual({
      runId: 'run-1',
      target: ITEM.target,
      error,
    });
  });

  it('throws on an item that is not one of the list (the state machine records the failure)', async () => {
    // Arrange
    const { store, auditTarget, handler } = setUp((target) => ({ target, report: aReport() }));

    // Act / Assert
    await expect(handler({ ...ITEM, partKey: '/elsewhere' }, context(300_000))).rejects.toThrow();
    expect(auditTarget).not.toHaveBeenCalled();
    expect(store.objects.size).toBe(0);
  });

  it("audits only an alarm item's stages, over the alarm's one-minute periods", async () => {
    // Arrange
    const stages = [{ apiType: 'REST' as const, apiKey: 'orders-rest', stage: 'prod' }];
    const alarmItem: TargetItem = {
      ...ITEM,
      run: { now: ITEM.run.now, lookbackMinutes: 15, periodSeconds: 60, allChecks: false, stages },
    };
    const { auditTarget, handler } = setUp((target) => ({ target, report: aReport() }));

    // Act
    await handler(alarmItem, context(300_000));

    // Assert
    expect(auditTarget.mock.calls[0]?.[2]).toMatchObject({ lookbackMinutes: 15, periodSeconds: 60, stages });
  });

  it('audits every stage of a scheduled item, over the deployed period (the twin)', async () => {
    // Arrange
    const { auditTarget, handler } = setUp((target) => ({ target, report: aReport() }));

    // Act
    await handler(ITEM, context(300_000));

    // Assert
    expect(auditTarget.mock.calls[0]?.[2].stages).toBeUndefined();
    expect(auditTarget.mock.calls[0]?.[2].periodSeconds).toBe(300);
  });
});
