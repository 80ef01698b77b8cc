import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { createListTargetsHandler } from '../../../lambda/org/list-targets-handler';
import { type TargetItem, targetsKey } from '../../../lambda/org/run-parts';
import { MemoryPartStore, ORG_ENV } from '../../support/memory-part-store';

const NOW = new Date('2026-12-04T10:07:00.000Z');
const SCHEDULED_EVENT = {
  version: '0',
  id: 'a1b2',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '999999999999',
  time: '2026-12-04T10:07:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {},
};

function setUp(env: Record<string, string | undefined> = ORG_ENV) {
  const store = new MemoryPartStore();
  const organizations = jest.fn((): OrganizationsClient => {
    throw new Error('Organizations must not be called with a list of accounts');
  });
  const handler = createListTargetsHandler({ organizations, parts: store.forBucket, env, clock: () => NOW });
  const items = (key: string) => JSON.parse(store.objects.get(key) ?? 'null') as TargetItem[];
  return { store, handler, organizations, items };
}

describe('the ListTargets step', () => {
  it('writes one item per account and Region to the parts bucket and returns only its key and count', async () => {
    // Arrange
    const { store, handler, items, organizations } = setUp();

    // Act
    const list = await handler({ runId: 'run-1', input: SCHEDULED_EVENT });

    // Assert
    expect(list).toEqual({
      runId: 'run-1',
      trigger: 'schedule',
      dryRun: false,
      targetsKey: 'runs/run-1/targets.json',
      targetCount: 4,
      run: { now: NOW.toISOString(), lookbackMinutes: 60, allChecks: false },
    });
    expect(store.buckets).toEqual(['auditor-parts']);
    expect(items(targetsKey('run-1')).map((item) => item.partKey)).toEqual([
      'runs/run-1/parts/111111111111-us-east-1.json',
      'runs/run-1/parts/111111111111-eu-west-1.json',
      'runs/run-1/parts/222222222222-us-east-1.json',
      'runs/run-1/parts/222222222222-eu-west-1.json',
    ]);
    expect(items(targetsKey('run-1'))[0]).toEqual({
      runId: 'run-1',
      target: { account: '111111111111', region: 'us-east-1' },
      partKey: 'runs/run-1/parts/111111111111-us-east-1.json',
      run: list.run,
    });
    expect(organizations).not.toHaveBeenCalled();
  });

  it('narrows a manual run to the Regions it names, as a dry run that says why', async () => {
    // Arrange
    const { handler, items } = setUp();

    // Act
    const list = await handler({ runId: 'manual-1', input: { regions: ['eu-west-1'], lookbackMinutes: 30 } });

    // Assert
    expect(list).toMatchObject({ trigger: 'manual', dryRun: true, targetCount: 2 });
    expect(list.dryRunReason).toContain('regions');
    expect(items(list.targetsKey).map((item) => item.target.region)).toEqual(['eu-west-1', 'eu-west-1']);
    expect(list.run.lookbackMinutes).toBe(30);
  });

  it('asks AWS Organizations when no list of accounts is deployed', async () => {
    // Arrange
    const { ORG_ACCOUNTS: _, ...env } = ORG_ENV;
    // The shape of https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
    const organizations = mockClient(OrganizationsClient);
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: '333333333333', Name: 'payments', State: 'ACTIVE', Status: 'ACTIVE' },
        { Id: '444444444444', Name: 'closed', State: 'SUSPENDED', Status: 'SUSPENDED' },
      ],
    });
    const store = new MemoryPartStore();
    const handler = createListTargetsHandler({
      organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
      parts: store.forBucket,
      env,
      clock: () => NOW,
    });

    // Act
    const list = await handler({ runId: 'run-2', input: SCHEDULED_EVENT });

    // Assert
    expect(list.targetCount).toBe(2);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(1);
    organizations.restore();
  });

  it('refuses a run id that is not an execution name, before any call', async () => {
    // Arrange
    const { handler, store } = setUp();

    // Act / Assert
    await expect(handler({ runId: '../other-run', input: SCHEDULED_EVENT })).rejects.toThrow(
      /execution name/,
    );
    expect(store.objects.size).toBe(0);
  });
});
