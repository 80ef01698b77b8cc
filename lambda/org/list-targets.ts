/**
 * Which accounts and Regions the organization-wide audit covers: the accounts of AWS Organizations
 * (all of them, or those under given organizational units, nested units included) or a given list,
 * times the Regions. One target per account and Region, because that is the unit AWS's API quotas
 * apply to: two items of the fan-out never share an account's quota in the same Region.
 */
import {
  type Account,
  DescribeAccountCommand,
  ListParentsCommand,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { AuditTarget } from './contract';

/** What the Organizations calls need: the management account, or a delegated administrator. */
export const IAM_ACTIONS = [
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
] as const;

/** What checking one alarm's account needs (the alarm path, when the accounts come from Organizations). */
export const ALARM_ACCOUNT_IAM_ACTIONS = [
  'organizations:DescribeAccount',
  'organizations:ListParents',
] as const;

export interface TargetSource {
  regions: readonly string[];
  /** These accounts, no Organizations call (names unknown). */
  accounts?: readonly string[];
  /** Only accounts under these organizational units (or roots), nested units included. */
  organizationalUnitIds?: readonly string[];
}

interface ListedAccount {
  id: string;
  /** As Organizations returns it: untrusted text, shown only through lambda/domain/display-text.ts. */
  name?: string;
}

/**
 * Only ACTIVE accounts can be audited: a SUSPENDED (closed) or PENDING_CLOSURE one refuses every
 * call. `State` replaces the deprecated `Status`; an older response may carry `Status` only.
 */
const isActive = (account: Account): boolean => (account.State ?? account.Status) === 'ACTIVE';

function listed(accounts: readonly Account[]): ListedAccount[] {
  return accounts
    .filter(isActive)
    .filter((account): account is Account & { Id: string } => typeof account.Id === 'string')
    .map((account) => ({ id: account.Id, ...(account.Name ? { name: account.Name } : {}) }));
}

async function allAccounts(client: OrganizationsClient): Promise<ListedAccount[]> {
  const accounts: ListedAccount[] = [];
  for await (const page of paginateListAccounts({ client }, {}))
    accounts.push(...listed(page.Accounts ?? []));
  return accounts;
}

/** The accounts directly under `parentId` and under every unit below it, depth first. */
async function accountsUnder(client: OrganizationsClient, parentId: string): Promise<ListedAccount[]> {
  const accounts: ListedAccount[] = [];
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
    accounts.push(...listed(page.Accounts ?? []));
  }
  for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
    for (const unit of page.OrganizationalUnits ?? []) {
      if (unit.Id) accounts.push(...(await accountsUnder(client, unit.Id)));
    }
  }
  return accounts;
}

const uniqueById = (accounts: readonly ListedAccount[]): ListedAccount[] => [
  ...new Map(accounts.map((account) => [account.id, account])).values(),
];

/** The accounts the source names, each once, in the order they were found. */
export async function listAccounts(
  source: Omit<TargetSource, 'regions'>,
  organizations: () => OrganizationsClient,
): Promise<ListedAccount[]> {
  if (source.accounts && source.accounts.length > 0) return uniqueById(source.accounts.map((id) => ({ id })));
  const units = source.organizationalUnitIds ?? [];
  if (units.length === 0) return uniqueById(await allAccounts(organizations()));
  const client = organizations();
  const found: ListedAccount[] = [];
  for (const unit of units) found.push(...(await accountsUnder(client, unit)));
  return uniqueById(found);
}

/** Every account of the source times every Region: the items of the fan-out. */
export async function listTargets(
  source: TargetSource,
  organizations: () => OrganizationsClient,
): Promise<AuditTarget[]> {
  const accounts = await listAccounts(source, organizations);
  const regions = [...new Set(source.regions)];
  return accounts.flatMap((account) =>
    regions.map((region) => ({
      account: account.id,
      ...(account.name !== undefined ? { accountName: account.name } : {}),
      region,
    })),
  );
}

/** The one target of an alarm-triggered run, or why the alarm's account and Region are not audited. */
export type AlarmTargetCheck =
  | { ok: true; target: AuditTarget }
  | { ok: false; field: 'account' | 'region'; reason: string };

/** Organizations allows at most 5 levels of units under the root. */
const MAX_PARENT_DEPTH = 6;

/** Whether `account` sits under one of `units` (a unit or root id), climbing its parents to the root. */
async function isUnder(
  client: OrganizationsClient,
  account: string,
  units: readonly string[],
): Promise<boolean> {
  let child = account;
  for (let depth = 0; depth < MAX_PARENT_DEPTH; depth++) {
    const answer = await client.send(new ListParentsCommand({ ChildId: child }));
    const parent = answer.Parents?.[0];
    if (!parent?.Id) return false;
    if (units.includes(parent.Id)) return true;
    if (parent.Type === 'ROOT') return false;
    child = parent.Id;
  }
  return false;
}

/**
 * The account and Region an alarm event names, as the run's only target, when the auditor audits
 * them: the Region is one of the audited Regions, and the account is in the list, or an ACTIVE
 * account of the organization (under the units, when units are given). A list needs no call; the
 * organization costs one DescribeAccount, plus one ListParents per level with units: never the
 * whole account list, which a burst of alarms would multiply.
 */
export async function alarmTarget(
  account: string,
  region: string,
  source: TargetSource,
  organizations: () => OrganizationsClient,
): Promise<AlarmTargetCheck> {
  if (!source.regions.includes(region))
    return {
      ok: false,
      field: 'region',
      reason: `Region ${region} is not audited (${source.regions.join(', ')})`,
    };
  if (source.accounts && source.accounts.length > 0) {
    return source.accounts.includes(account)
      ? { ok: true, target: { account, region } }
      : { ok: false, field: 'account', reason: `account ${account} is not one of the audited accounts` };
  }
  const client = organizations();
  let described: Account | undefined;
  try {
    described = (await client.send(new DescribeAccountCommand({ AccountId: account }))).Account;
  } catch (error) {
    if ((error as { name?: string }).name === 'AccountNotFoundException')
      return {
        ok: false,
        field: 'account',
        reason: `account ${account} is not an account of the organization`,
      };
    throw error;
  }
  if (!described || !isActive(described))
    return { ok: false, field: 'account', reason: `account ${account} is not ACTIVE in the organization` };
  const units = source.organizationalUnitIds ?? [];
  if (units.length > 0 && !(await isUnder(client, account, units)))
    return {
      ok: false,
      field: 'account',
      reason: `account ${account} is not under the audited organizational units`,
    };
  return {
    ok: true,
    target: { account, ...(described.Name ? { accountName: described.Name } : {}), region },
  };
}
