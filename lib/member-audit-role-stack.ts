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
  CfnRule,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeAuditReads, auditReadStatements } from './audit-read-policy';

export const DEFAULT_MEMBER_ROLE_NAME = 'ApiNetworkAuditorMember';
export const MEMBER_STACK_NAME = 'ApiNetworkAuditorMember';

export interface MemberAuditRoleStackProps extends StackProps {
  /**
   * Access-log groups whose name starts with this may be queried, as the central stack's
   * `accessLogGroupPrefix` (use the same value in both).
   * @default - only API Gateway execution log groups
   */
  readonly accessLogGroupPrefix?: string;
}

/** The role, its parameters and the rule that asks for the organization id or an external id. */
export class MemberAuditRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberAuditRoleStackProps = {}) {
    super(scope, id, {
      description:
        'API network auditor, member account: a read-only role the central auditor assumes to audit this account',
      ...props,
      synthesizer: new BootstraplessSynthesizer(),
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
      default: '',
      allowedPattern: '^$|^o-[a-z0-9]{10,32}$',
      description:
        "Trust the auditor account's principals only while they belong to this organization (o-...)",
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      default: '',
      allowedPattern: '^$|^[\\w+=,.@:/-]{2,1224}$',
      description:
        'Trust only callers that send this external id (the central stack context key orgExternalId)',
    });

    const hasOrganization = new CfnCondition(this, 'HasOrganizationId', {
      expression: Fn.conditionNot(Fn.conditionEquals(organizationId.valueAsString, '')),
    });
    const hasExternalId = new CfnCondition(this, 'HasExternalId', {
      expression: Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, '')),
    });
    const hasBoth = new CfnCondition(this, 'HasOrganizationIdAndExternalId', {
      expression: Fn.conditionAnd(hasOrganization, hasExternalId),
    });
    // The account alone is not enough: every principal of it could then assume the role.
    new CfnRule(this, 'OrganizationIdOrExternalId', {
      assertions: [
        {
          assert: Fn.conditionOr(
            Fn.conditionNot(Fn.conditionEquals(organizationId.valueAsString, '')),
            Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, '')),
          ),
          assertDescription:
            'Give OrganizationId, ExternalId or both: the trust policy is conditioned on them',
        },
      ],
    });

    const orgCondition = { 'aws:PrincipalOrgID': organizationId.valueAsString };
    const externalIdCondition = { 'sts:ExternalId': externalId.valueAsString };
    const trustConditions = Fn.conditionIf(
      hasBoth.logicalId,
      { ...orgCondition, ...externalIdCondition },
      Fn.conditionIf(hasOrganization.logicalId, orgCondition, externalIdCondition),
    );

    const auditScope = {
      partition: Aws.PARTITION,
      account: Aws.ACCOUNT_ID,
      // IAM is global and StackSets deploys this once per account: the role reads every Region.
      regions: ['*'],
      accessLogGroupPrefix: props.accessLogGroupPrefix,
    };
    const auditRead = new iam.PolicyDocument({ statements: auditReadStatements(auditScope) });
    this.role = new iam.Role(this, 'Role', {
      roleName: roleName.valueAsString,
      description: 'API network auditor: read-only audit of this account by the central auditor account',
      assumedBy: new iam.AccountPrincipal(auditorAccountId.valueAsString).withConditions({
        StringEquals: trustConditions,
      }),
      inlinePolicies: { AuditRead: auditRead },
    });
    acknowledgeAuditReads(this.role, auditScope);
  }
}

/** The member template as CloudFormation JSON: what `npm run member-template` writes. */
export function memberAuditRoleTemplate(props: MemberAuditRoleStackProps = {}): Record<string, unknown> {
  // No construct-path metadata: StackSets deploys the template as written, to people who never saw the CDK app.
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = new MemberAuditRoleStack(app, MEMBER_STACK_NAME, props);
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
