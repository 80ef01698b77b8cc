/**
 * The member-account template of the organization-wide audit (issue 17): one read-only role the
 * central auditor assumes. Synthesized as a plain CloudFormation template (no assets, no bootstrap
 * version parameter, no CDK metadata) so that CloudFormation StackSets can deploy it to every account
 * of an organization, including accounts that never ran `cdk bootstrap`.
 */
import {
  App,
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnParameter,
  Fn,
  type IStackSynthesizer,
  Stack,
  type StackProps,
  StackSynthesizer,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeAuditReads, auditReadStatements, executionLogSearchPolicy } from './audit-read-policy';
import { asImplementationOf } from './cdk-interfaces';

export const DEFAULT_MEMBER_ROLE_NAME = 'ApiNetworkAuditorMember';
/** The central stack's item role: the one principal every member role trusts. */
export const DEFAULT_CENTRAL_AUDIT_ROLE_NAME = 'ApiNetworkAuditorCentral';
export const CENTRAL_AUDIT_ROLE_PATH = '/api-network-auditor/';
export const MEMBER_STACK_NAME = 'ApiNetworkAuditorMember';

export interface MemberAuditRoleStackProps extends StackProps {
  /**
   * Access-log groups whose name starts with this may be queried, as the central stack's
   * `accessLogGroupPrefix` (use the same value in both).
   * @default - only API Gateway execution log groups
   */
  readonly accessLogGroupPrefix?: string;
}

/** The role, trusted by the central audit role only, and its opt-in execution-log search. */
export class MemberAuditRoleStack extends Stack {
  readonly role: iam.Role;
  /** Searching the REST execution logs: created only with SearchExecutionLogs=true. */
  readonly executionLogSearch: iam.Policy;

  constructor(scope: Construct, id: string, props: MemberAuditRoleStackProps = {}) {
    super(scope, id, {
      description:
        'API network auditor, member account: a read-only role the central auditor assumes to audit this account',
      ...props,
      synthesizer: asImplementationOf<IStackSynthesizer>(new BootstraplessSynthesizer(), StackSynthesizer),
      analyticsReporting: false,
    });

    const roleName = new CfnParameter(this, 'RoleName', {
      type: 'String',
      default: DEFAULT_MEMBER_ROLE_NAME,
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      description: "The role's name: the central stack's memberRoleName (context key orgMemberRoleName)",
    });
    const auditorAccountId = new CfnParameter(this, 'AuditorAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'The account the central auditor stack is deployed in: the only account trusted',
    });
    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      description:
        'The organization (o-...) the auditor account belongs to: the trust holds only while it does (aws:PrincipalOrgID)',
    });
    const auditorRoleName = new CfnParameter(this, 'AuditorRoleName', {
      type: 'String',
      default: DEFAULT_CENTRAL_AUDIT_ROLE_NAME,
      allowedPattern: '^[\\w+=,.@-]{1,64}$',
      description: `The central stack's audit role (path ${CENTRAL_AUDIT_ROLE_PATH}): the only principal trusted (context key orgAuditRoleName)`,
    });
    const searchExecutionLogs = new CfnParameter(this, 'SearchExecutionLogs', {
      type: 'String',
      default: 'false',
      allowedValues: ['false', 'true'],
      description:
        "Let the auditor search REST execution logs (they hold request bodies where full request logging is on): the central stack's orgSearchExecutionLogs",
    });
    const searchesExecutionLogs = new CfnCondition(this, 'SearchesExecutionLogs', {
      expression: Fn.conditionEquals(searchExecutionLogs.valueAsString, 'true'),
    });

    // The auditor account as principal, narrowed to its one audit role by aws:PrincipalArn: naming the
    // role itself as principal would make IAM refuse this template until the central stack exists.
    const trustedRole = Fn.join('', [
      'arn:',
      Aws.PARTITION,
      ':iam::',
      auditorAccountId.valueAsString,
      `:role${CENTRAL_AUDIT_ROLE_PATH}`,
      auditorRoleName.valueAsString,
    ]);
    const trustConditions = {
      StringEquals: { 'aws:PrincipalArn': trustedRole, 'aws:PrincipalOrgID': organizationId.valueAsString },
    };

    const auditScope = {
      partition: Aws.PARTITION,
      account: Aws.ACCOUNT_ID,
      // IAM is global and StackSets deploys this once per account: the role reads every Region.
      regions: ['*'],
      accessLogGroupPrefix: props.accessLogGroupPrefix,
      executionLogs: false,
    };
    const auditRead = new iam.PolicyDocument({ statements: auditReadStatements(auditScope) });
    this.role = new iam.Role(this, 'Role', {
      roleName: roleName.valueAsString,
      description: 'API network auditor: read-only audit of this account by the central auditor account',
      assumedBy: new iam.AccountPrincipal(auditorAccountId.valueAsString).withConditions(trustConditions),
      inlinePolicies: { AuditRead: auditRead },
    });
    acknowledgeAuditReads(this.role, auditScope);
    this.executionLogSearch = executionLogSearchPolicy(this, this.role);
    (this.executionLogSearch.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = searchesExecutionLogs;
  }
}

/** The member template as CloudFormation JSON: what `npm run member-template` writes. */
export function memberAuditRoleTemplate(props: MemberAuditRoleStackProps = {}): Record<string, unknown> {
  // No construct-path metadata: StackSets deploys the template as written, to people who never saw the CDK app.
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = new MemberAuditRoleStack(app, MEMBER_STACK_NAME, props);
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
