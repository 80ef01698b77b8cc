/**
 * Other accounts in the emulator. moto keeps one set of resources per account and serves a request
 * from the account its credentials belong to: credentials from AssumeRole into a role ARN of account
 * X act in X (moto's multi-account support; the `x-moto-account-id` header is the other way).
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsClients, AwsTarget } from '../../lambda/collect/clients';
import type { EmulatorHandle } from './emulator';

export const MEMBER_ROLE = 'ApiNetworkAuditorMember';

/** Clients that act in `account`, for seeding it (the audit assumes its role on its own). */
export async function memberAccountClients(
  aws: EmulatorHandle,
  account: string,
  overrides: Partial<AwsTarget> = {},
): Promise<AwsClients> {
  const { Credentials: credentials } = await aws.clients().sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/${MEMBER_ROLE}`,
      RoleSessionName: 'test-seed',
    }),
  );
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
    throw new Error(`no credentials for ${account}`);
  return aws.clients({
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    },
    rateLimits: false,
    ...overrides,
  });
}
