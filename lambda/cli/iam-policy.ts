/**
 * `--print-iam-policy`: the identity policy an operator attaches to run the audit, built from the
 * same action list as the Lambda's role (lambda/iam-actions.ts) and scoped like it
 * (lib/audit-read-policy.ts): API Gateway reads on the APIs, stages and VPC links only (never
 * `/apikeys` or usage plans, whose GET returns key values), log searches on API Gateway's execution
 * log groups only. With `--role-name` (an organization audit, `--accounts`): the caller only assumes
 * the member role in each account, which holds the read-only actions (the member-account template),
 * so the caller's policy is `sts:AssumeRole` on those roles, within the caller's own organization.
 */

import { EXECUTION_LOG_GROUP_PREFIX, LOG_GROUP_SCOPED_ACTIONS } from '../collect/log-groups';
import { API_GATEWAY_READ_PATHS } from '../iam-actions';

interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: '*' | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/**
 * The audit's reads, in the `aws` partition (edit the ARNs for aws-cn or aws-us-gov): API Gateway on
 * the resource paths the collectors read, FilterLogEvents on the execution log groups (add your
 * access-log groups' prefix to search them too, as `--access-log-group-prefix` does), the rest on `*`
 * (List/Describe/GetMetricData support nothing narrower).
 */
export function iamPolicyDocument(actions: readonly string[]): IamPolicyDocument {
  const logGroupScoped: readonly string[] = LOG_GROUP_SCOPED_ACTIONS;
  const scoped = (action: string) => action === 'apigateway:GET' || logGroupScoped.includes(action);
  const statements: IamStatement[] = [];
  if (actions.includes('apigateway:GET'))
    statements.push({
      Sid: 'ApiNetworkAuditorApiGatewayReads',
      Effect: 'Allow',
      Action: ['apigateway:GET'],
      Resource: API_GATEWAY_READ_PATHS.map((path) => `arn:aws:apigateway:*::${path}`),
    });
  const logActions = actions.filter((action) => logGroupScoped.includes(action));
  if (logActions.length > 0)
    statements.push({
      Sid: 'ApiNetworkAuditorExecutionLogSearch',
      Effect: 'Allow',
      Action: [...logActions].sort(),
      Resource: [`arn:aws:logs:*:*:log-group:${EXECUTION_LOG_GROUP_PREFIX}*`],
    });
  statements.push({
    Sid: 'ApiNetworkAuditorReadOnly',
    Effect: 'Allow',
    Action: actions.filter((action) => !scoped(action)).sort(),
    Resource: '*',
  });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The caller's policy for `--accounts`: assume `roleName` in these accounts (in every account when
 * none is listed), and only in accounts of the caller's own organization. The ARNs are in the `aws`
 * partition: edit them for aws-cn or aws-us-gov.
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
        // An IAM policy variable, resolved by IAM at request time.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
        Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
      },
    ],
  };
}

export function renderIamPolicy(policy: IamPolicyDocument): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}
