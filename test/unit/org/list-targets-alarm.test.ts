/**
 * ListTargets fed a stage alarm forwarded from a member account (the recorded contributor event as
 * the auditor's bus receives it): the event's account and Region become the run's only target, the
 * item audits only the named stage over the alarm's window; an account or Region the auditor does
 * not audit, and a malformed or unrelated event, are refused before any item is written.
 */
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidEventError } from '../../../lambda/config/manual-event';
import { createListTargetsHandler } from '../../../lambda/org/list-targets-handler';
import type { TargetItem } from '../../../lambda/org/run-parts';
import dynamoDbContributor from '../../fixtures/alarm-events/dynamodb-contributor-alarm.json';
import httpAlarmStateChange from '../../fixtures/alarm-events/http-alarm-state-change.json';
import memberContributor from '../../fixtures/alarm-events/member-rest-contributor-alarm.json';
import { MemoryPartStore, ORG_ENV } from '../../support/memory-part-store';

const NOW = new Date('2026-12-04T10:07:00.000Z');
const MEMBER = '222222222222';
const fromAccount = (account: string, region = memberContributor.region) => ({
  ...memberContributor,
  account,
  region,
});

function setUp(
  env: Record<string, string | undefined> = ORG_ENV,
  organizations: () => OrganizationsClient = () => {
    throw new Error('Organizations must not be called with a list of accounts');
  },
) {
  const store = new MemoryPartStore();
  const calls = jest.fn(organizations);
  const handler = createListTargetsHandler({
    organizations: calls,
    parts: store.forBucket,
    env,
    clock: () => NOW,
  });
  const items = (key: string) => JSON.parse(store.objects.get(key) ?? 'null') as TargetItem[];
  return { store, handler, organizations: calls, items };
}

async function problemsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidEventError);
  return (error as InvalidEventError).problems;
}

describe('the ListTargets step, fed a member account’s stage alarm', () => {
  it('reads the event the alarm pipe starts it with (its enrichment returns a one-element array) as the event itself', async () => {
    // Arrange
    const direct = setUp();
    const piped = setUp();

    // Act
    const fromEvent = await direct.handler({ runId: 'alarm-run-1', input: memberContributor });
    const fromPipe = await piped.handler({ runId: 'alarm-run-1', input: [memberContributor] });

    // Assert
    expect(fromPipe).toEqual(fromEvent);
    expect(fromPipe.trigger).toBe('alarm');
    expect(piped.items(fromPipe.targetsKey)).toEqual(direct.items(fromEvent.targetsKey));
  });

  it("makes the event's account and Region the only target, auditing that stage over the alarm's short window", async () => {
    // Arrange
    const { handler, items, organizations } = setUp();

    // Act
    const list = await handler({ runId: 'alarm-run-1', input: memberContributor });

    // Assert
    expect(list).toEqual({
      runId: 'alarm-run-1',
      trigger: 'alarm',
      dryRun: false,
      targetsKey: 'runs/alarm-run-1/targets.json',
      targetCount: 1,
      run: {
        now: NOW.toISOString(),
        lookbackMinutes: 15,
        periodSeconds: 60,
        allChecks: false,
        stages: [{ apiType: 'REST', apiKey: 'orders-rest', stage: 'prod' }],
      },
    });
    expect(items(list.targetsKey)).toEqual([
      {
        runId: 'alarm-run-1',
        target: { account: MEMBER, region: 'eu-west-1' },
        partKey: `runs/alarm-run-1/parts/${MEMBER}-eu-west-1.json`,
        run: list.run,
      },
    ]);
    expect(organizations).not.toHaveBeenCalled();
  });

  it('refuses an alarm from an account the auditor does not audit, and writes nothing', async () => {
    // Arrange
    const { handler, store, organizations } = setUp();

    // Act
    const problems = await problemsOf(handler({ runId: 'alarm-run-2', input: fromAccount('333333333333') }));

    // Assert
    expect(problems).toEqual([
      {
        field: 'account',
        message: expect.stringMatching(/^account 333333333333 is not one of the audited accounts/),
      },
    ]);
    expect(store.objects.size).toBe(0);
    expect(organizations).not.toHaveBeenCalled();
  });

  it('refuses an alarm from a Region the auditor does not audit', async () => {
    // Arrange
    const { handler, store } = setUp();

    // Act
    const problems = await problemsOf(
      handler({ runId: 'alarm-run-3', input: fromAccount(MEMBER, 'ap-south-1') }),
    );

    // Assert
    expect(problems).toEqual([
      {
        field: 'region',
        message: expect.stringMatching(/^Region ap-south-1 is not audited \(us-east-1, eu-west-1\)/),
      },
    ]);
    expect(store.objects.size).toBe(0);
  });

  it.each([
    [
      'a contributor back to OK',
      {
        ...memberContributor,
        detail: { ...memberContributor.detail, state: { ...memberContributor.detail.state, value: 'OK' } },
      },
      'detail.state.value',
    ],
    [
      'an alarm-level state change (names no stage)',
      { ...httpAlarmStateChange, account: MEMBER, region: 'eu-west-1' },
      'detail-type',
    ],
    [
      'another alarm (DynamoDB table)',
      { ...dynamoDbContributor, account: MEMBER, region: 'eu-west-1' },
      'detail.configuration.metrics',
    ],
    ['an account that is not 12 digits', { ...memberContributor, account: '2222' }, 'account'],
  ])('refuses %s before any AWS call', async (_name, input, field) => {
    // Arrange
    const { handler, store, organizations } = setUp();

    // Act
    const problems = await problemsOf(handler({ runId: 'alarm-run-4', input }));

    // Assert
    expect(problems.map((problem) => problem.field)).toContain(field);
    expect(store.objects.size).toBe(0);
    expect(organizations).not.toHaveBeenCalled();
  });
});

// The unit walk (ListParents) is on the emulator: test/integration/org-list-targets.test.ts.
describe('the ListTargets step, fed a stage alarm, with the accounts of AWS Organizations', () => {
  const { ORG_ACCOUNTS: _, ...orgEnv } = ORG_ENV;
  const organizations = mockClient(OrganizationsClient);
  const client = () => new OrganizationsClient({ region: 'us-east-1' });

  afterEach(() => organizations.reset());
  afterAll(() => organizations.restore());

  // The shape of https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeAccount.html
  const described = (state: 'ACTIVE' | 'SUSPENDED') => ({
    Account: {
      Id: MEMBER,
      Arn: `arn:aws:organizations::999999999999:account/o-abcd123456/${MEMBER}`,
      Email: 'orders@example.com',
      Name: 'orders',
      State: state,
      Status: state,
      JoinedMethod: 'CREATED' as const,
      JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
    },
  });

  it('names the account from one DescribeAccount call, and never lists the whole organization', async () => {
    // Arrange
    organizations.on(DescribeAccountCommand).resolves(described('ACTIVE'));
    const { handler, items } = setUp(orgEnv, client);

    // Act
    const list = await handler({ runId: 'alarm-org-1', input: memberContributor });

    // Assert
    expect(items(list.targetsKey).map((item) => item.target)).toEqual([
      { account: MEMBER, accountName: 'orders', region: 'eu-west-1' },
    ]);
    expect(organizations.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'DescribeAccountCommand',
    ]);
  });

  it('refuses an account outside the organization, and a suspended one', async () => {
    // Arrange
    const notFound = Object.assign(new Error('You specified an account that does not exist.'), {
      name: 'AccountNotFoundException',
    });
    organizations.on(DescribeAccountCommand).rejectsOnce(notFound).resolvesOnce(described('SUSPENDED'));
    const { handler, store } = setUp(orgEnv, client);

    // Act
    const outside = await problemsOf(handler({ runId: 'alarm-org-2', input: memberContributor }));
    const suspended = await problemsOf(handler({ runId: 'alarm-org-3', input: memberContributor }));

    // Assert
    expect(outside[0]?.message).toMatch(/^account 222222222222 is not an account of the organization/);
    expect(suspended[0]?.message).toMatch(/^account 222222222222 is not ACTIVE/);
    expect(store.objects.size).toBe(0);
  });
});
