/**
 * Which accounts and Regions the organization-wide audit covers: the accounts of AWS Organizations
 * (all of them, or those under given organizational units, nested units included) or a given list,
 * times the Regions. One target per account and Region, because that is the unit AWS's API quotas
 * apply to: two items of the fan-out never share an account's quota in the same Region.
 */
import {
  type Account,
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

export interface TargetSource {
  regions: readonly string[];
  /** These accounts, no Organizations call (names unknown). */
  accounts?: readonly string[];
  /** Only accounts under these organizational units (or roots), nested units included. */
  organizationalUnitIds?: readonly string[];
}

interface ListedAccount {
  id: string;
  /** As Organizations returns it: untrusted text, shown only through lambda/notify/display-text.ts. */
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
