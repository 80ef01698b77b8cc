/**
 * `--print-iam-policy`: the identity policy an operator attaches to run the audit, built from the
 * same action list as the Lambda's role (lambda/collect/iam-actions.ts), so neither can drift.
 * With `--role-name` (an organization audit, `--accounts`): the caller only assumes the member role
 * in each account, which holds the read-only actions (the member-account template), so the caller's
 * policy is `sts:AssumeRole` on those roles.
 */

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' | string[] }[];
}

/** Every action is a read (Describe/Get/List): they take no resource-level condition worth narrowing. */
export function iamPolicyDocument(actions: readonly string[]): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ApiNetworkAuditorReadOnly', Effect: 'Allow', Action: [...actions].sort(), Resource: '*' },
    ],
  };
}

/**
 * The caller's policy for `--accounts`: assume `roleName` in these accounts (in every account when
 * none is listed). The ARNs are in the `aws` partition: edit them for aws-cn or aws-us-gov.
 */
export function assumeMemberRolePolicy(roleName: string, accounts: readonly string[]): IamPolicyDocument {
  const resources =
    accounts.length > 0
      ? accounts.map((account) => `arn:aws:iam::${account}:role/${roleName}`)
      : [`arn:aws:iam::*:role/${roleName}`];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ApiNetworkAuditorAssumeMemberRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: resources,
      },
    ],
  };
}

export function renderIamPolicy(policy: IamPolicyDocument): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}
