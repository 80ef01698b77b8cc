/**
 * The audit's read-only policy, built in one place for every role that audits: the stack's own
 * function role and the member-account role that StackSets rolls out. Both come from the
 * collectors' action list (`AUDIT_IAM_ACTIONS`), so neither can drift from the code nor from the other.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { API_GATEWAY_READ_PATHS, AUDIT_IAM_ACTIONS } from '../lambda/collect/iam-actions';
import {
  EXECUTION_LOG_GROUP_PREFIX,
  LOG_GROUP_SCOPED_ACTIONS,
  queryableLogGroupArns,
} from '../lambda/collect/log-groups';

export { API_GATEWAY_READ_PATHS };

/** Where the audited resources live: the account and Regions the log-group ARNs name. */
export interface AuditReadScope {
  partition: string;
  account: string;
  /** The audited Regions; `*` for any Region. */
  regions: readonly string[];
  accessLogGroupPrefix?: string | undefined;
  /**
   * Search the REST execution log groups (they hold request bodies where full request logging is on).
   * @default true
   */
  executionLogs?: boolean;
}

/** The log groups `scope` may search: execution log groups unless turned off, and the access-log prefix. */
function searchedLogGroupArns(scope: AuditReadScope): string[] {
  const { partition, account, regions, accessLogGroupPrefix } = scope;
  const arns = queryableLogGroupArns(partition, account, regions, accessLogGroupPrefix);
  return scope.executionLogs === false
    ? arns.filter((arn) => !arn.includes(`:log-group:${EXECUTION_LOG_GROUP_PREFIX}`))
    : arns;
}

/**
 * The member role's opt-in search of the REST execution log groups, in every Region of its account,
 * as a policy of its own so that a template condition can leave it out.
 */
export function executionLogSearchPolicy(scope: Construct, role: iam.IRole): iam.Policy {
  const { partition, account } = Stack.of(scope);
  const resource = `arn:${partition}:logs:*:${account}:log-group:${EXECUTION_LOG_GROUP_PREFIX}*`;
  const policy = new iam.Policy(scope, 'ExecutionLogSearch', {
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: [...LOG_GROUP_SCOPED_ACTIONS], resources: [resource] })],
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:${EXECUTION_LOG_GROUP_PREFIX}*]`,
    reason:
      'Opt-in: API Gateway execution log groups only (one per API and stage), in every Region of the account.',
  });
  return policy;
}

/**
 * The audit's read-only statements. API Gateway reads are limited to the REST APIs, HTTP APIs and
 * VPC links; log searches to the execution log groups and the access-log prefix; the other
 * reads (List/Describe/GetMetricData...) support no resource narrower than `*`.
 */
export function auditReadStatements(scope: AuditReadScope): iam.PolicyStatement[] {
  const { partition } = scope;
  const logGroupScoped: readonly string[] = LOG_GROUP_SCOPED_ACTIONS;
  const logGroups = searchedLogGroupArns(scope);
  return [
    new iam.PolicyStatement({
      actions: ['apigateway:GET'],
      resources: API_GATEWAY_READ_PATHS.map((path) => `arn:${partition}:apigateway:*::${path}`),
    }),
    // Log searches: only the execution log groups and the access-log prefix.
    ...(logGroups.length > 0
      ? [new iam.PolicyStatement({ actions: [...logGroupScoped], resources: logGroups })]
      : []),
    new iam.PolicyStatement({
      actions: AUDIT_IAM_ACTIONS.filter(
        (action) => action !== 'apigateway:GET' && !logGroupScoped.includes(action),
      ),
      resources: ['*'],
    }),
  ];
}

/**
 * cdk-nag's IAM5 acknowledgements for `auditReadStatements`, on the construct that holds them. cdk-nag
 * names each resource with the template's placeholders for the partition, account and Region.
 */
export function acknowledgeAuditReads(holder: IConstruct, scope: AuditReadScope): void {
  Validations.of(holder).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Read-only List/Describe/GetMetricData actions of the audit; none supports a narrower resource.',
  });
  const named = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const placeholders = searchedLogGroupArns({
    ...scope,
    partition: '<AWS::Partition>',
    account: named(scope.account, '<AWS::AccountId>'),
    regions: scope.regions.map((region) => named(region, '<AWS::Region>')),
  });
  for (const resource of placeholders) {
    Validations.of(holder).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason:
        'Log searches limited to API Gateway execution log groups and the configured access-log prefix.',
    });
  }
  for (const path of API_GATEWAY_READ_PATHS) {
    Validations.of(holder).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:*::${path}]`,
      reason: 'API Gateway reads limited to APIs and VPC links, in every Region the audit covers (Region *).',
    });
  }
}
