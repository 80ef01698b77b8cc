/**
 * The account being audited, for the report and ARNs, when the caller does not already know it
 * (the Lambda reads it from its own ARN, the CLI from its credentials check).
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../collect/clients';

export const IAM_ACTIONS = ['sts:GetCallerIdentity'] as const;

/** null when the identity cannot be read: the report says so rather than failing the audit. */
export async function readAccountId(clients: AwsClients): Promise<string | null> {
  try {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    return identity.Account ?? null;
  } catch {
    return null;
  }
}
