/**
 * `--print-iam-policy`: the identity policy an operator attaches to run the audit, built from the
 * same action list as the Lambda's role (lambda/collect/iam-actions.ts), so neither can drift.
 */

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
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

export function renderIamPolicy(actions: readonly string[]): string {
  return `${JSON.stringify(iamPolicyDocument(actions), null, 2)}\n`;
}
