/**
 * Which accounts and Regions the organization-wide audit covers, read from AWS Organizations in the
 * emulator: an organization with a nested unit, a closed (SUSPENDED) account, a unit of more than one
 * page of accounts, and the account names as the members chose them; and whether the account a stage
 * alarm comes from is one of them (the alarm path), without listing them.
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CallStats } from '../../lambda/collect/clients';
import { alarmTarget, listTargets } from '../../lambda/org/list-targets';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';

describe('listTargets against AWS Organizations in the emulator', () => {
  const aws = useEmulator();
  let stats: CallStats;
  let client: OrganizationsClient;
  const ids: Record<string, string> = {};
  let units: { payments: string; paymentsEu: string; sandbox: string; root: string };

  const organizations = () => client;

  async function createAccount(name: string, parentId: string): Promise<string> {
    const created = await client.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name.replace(/\W/g, '')}@example.com` }),
    );
    const id = created.CreateAccountStatus?.AccountId ?? '';
    await client.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: units.root, DestinationParentId: parentId }),
    );
    return id;
  }

  beforeAll(async () => {
    client = new OrganizationsClient({
      region: TEST_REGION,
      endpoint: aws.emulator().endpoint,
      credentials: TEST_CREDENTIALS,
    });
    await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const root = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
    const unit = async (name: string, parentId: string) =>
      (await client.send(new CreateOrganizationalUnitCommand({ Name: name, ParentId: parentId })))
        .OrganizationalUnit?.Id ?? '';
    const payments = await unit('payments', root);
    units = {
      root,
      payments,
      paymentsEu: await unit('payments-eu', payments),
      sandbox: await unit('sandbox', root),
    };
    ids.checkout = await createAccount('checkout <prod>', units.payments);
    ids.ledger = await createAccount('ledger-eu', units.paymentsEu);
    ids.retired = await createAccount('retired', units.payments);
    ids.sandbox = await createAccount('sandbox-1', units.sandbox);
    await client.send(new CloseAccountCommand({ AccountId: ids.retired }));
  }, 60_000);

  beforeEach(() => {
    stats = new CallStats();
    client.middlewareStack.use(stats.plugin());
  });

  it('lists the ACTIVE accounts of a unit and of the units nested in it, times each Region, with their names', async () => {
    // Arrange
    const source = { organizationalUnitIds: [units.payments], regions: ['us-east-1', 'eu-west-1'] };

    // Act
    const targets = await listTargets(source, organizations);

    // Assert
    expect(targets).toEqual([
      { account: ids.checkout, accountName: 'checkout <prod>', region: 'us-east-1' },
      { account: ids.checkout, accountName: 'checkout <prod>', region: 'eu-west-1' },
      { account: ids.ledger, accountName: 'ledger-eu', region: 'us-east-1' },
      { account: ids.ledger, accountName: 'ledger-eu', region: 'eu-west-1' },
    ]);
    // payments and payments-eu: accounts and child units of each
    expect(stats.calls).toEqual({
      'Organizations.ListAccountsForParent': 2,
      'Organizations.ListOrganizationalUnitsForParent': 2,
    });
  });

  it('leaves out a closed (SUSPENDED) account and lists every active one without a unit filter', async () => {
    // Arrange
    const source = { regions: [TEST_REGION] };

    // Act
    const targets = await listTargets(source, organizations);

    // Assert
    const accounts = targets.map((target) => target.account);
    expect(accounts).toEqual(expect.arrayContaining([ids.checkout, ids.ledger, ids.sandbox]));
    expect(accounts).not.toContain(ids.retired);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(stats.calls).toEqual({ 'Organizations.ListAccounts': 1 });
  });

  it('keeps the retired account in the unit (the twin: only its state leaves it out)', async () => {
    // Arrange: the same unit, read without the state filter, still holds it
    const { paginateListAccountsForParent } = await import('@aws-sdk/client-organizations');
    const inUnit: string[] = [];
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: units.payments })) {
      inUnit.push(...(page.Accounts ?? []).map((account) => `${account.Id}:${account.State}`));
    }

    // Act / Assert
    expect(inUnit).toEqual(expect.arrayContaining([`${ids.retired}:SUSPENDED`, `${ids.checkout}:ACTIVE`]));
  });

  it('follows the pages of a unit with more accounts than one page holds', async () => {
    // Arrange: 22 accounts, ListAccountsForParent returns 20 a page
    const crowded =
      (await client.send(new CreateOrganizationalUnitCommand({ Name: 'crowded', ParentId: units.root })))
        .OrganizationalUnit?.Id ?? '';
    const created: string[] = [];
    for (let index = 0; index < 22; index += 1) created.push(await createAccount(`team-${index}`, crowded));
    stats = new CallStats();
    client.middlewareStack.use(stats.plugin());

    // Act
    const targets = await listTargets(
      { organizationalUnitIds: [crowded], regions: [TEST_REGION] },
      organizations,
    );

    // Assert
    expect(targets.map((target) => target.account).sort()).toEqual([...created].sort());
    expect(stats.calls['Organizations.ListAccountsForParent']).toBe(2);
  }, 60_000);

  it('takes a given list of accounts as it is, once each, without calling Organizations', async () => {
    // Arrange
    const source = { accounts: ['111111111111', '222222222222', '111111111111'], regions: ['us-east-1'] };

    // Act
    const targets = await listTargets(source, () => {
      throw new Error('Organizations must not be called');
    });

    // Assert
    expect(targets).toEqual([
      { account: '111111111111', region: 'us-east-1' },
      { account: '222222222222', region: 'us-east-1' },
    ]);
  });

  it("finds an alarm's account under a unit nested in the audited one: one DescribeAccount, one ListParents a level", async () => {
    // Arrange
    const source = { organizationalUnitIds: [units.payments], regions: ['us-east-1'] };

    // Act
    const check = await alarmTarget(ids.ledger ?? '', 'us-east-1', source, organizations);

    // Assert
    expect(check).toEqual({
      ok: true,
      target: { account: ids.ledger, accountName: 'ledger-eu', region: 'us-east-1' },
    });
    // ledger-eu -> payments-eu -> payments
    expect(stats.calls).toEqual({ 'Organizations.DescribeAccount': 1, 'Organizations.ListParents': 2 });
  });

  it("refuses an alarm's account outside the audited units, a closed one, and one outside the organization", async () => {
    // Arrange
    const source = { organizationalUnitIds: [units.payments], regions: ['us-east-1'] };
    const check = (account: string) => alarmTarget(account, 'us-east-1', source, organizations);

    // Act
    const results = [
      await check(ids.sandbox ?? ''),
      await check(ids.retired ?? ''),
      await check('999999999999'),
    ];

    // Assert
    expect(results.map((result) => (result.ok ? 'audited' : result.reason))).toEqual([
      `account ${ids.sandbox} is not under the audited organizational units`,
      `account ${ids.retired} is not ACTIVE in the organization`,
      'account 999999999999 is not an account of the organization',
    ]);
  });
});
