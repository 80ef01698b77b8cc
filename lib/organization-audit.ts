/**
 * The central mode of the auditor (issue 17): one Step Functions run audits every account and Region
 * of an organization with the member role the member-account template creates.
 *
 * ListTargets (Lambda: the accounts x Regions, written to S3)
 *   -> AuditEachTarget (Distributed Map over that file, at most `maxConcurrency` at once)
 *        AuditTarget (Lambda: one account and Region -> its part in S3)
 *          Catch -> DescribeFailure -> WriteFailurePart (the item's ERROR part, by the state machine)
 *   -> MergeAndNotify (Lambda: the parts -> one report (report.json) -> the topic and the state table)
 *
 * One item per account and Region: API Gateway's (and EC2's, CloudWatch's) quotas are per account and
 * Region, so two items running at once never share one. Step Functions passes at most 256 KB between
 * states: reports travel through the parts bucket, the states pass keys.
 *
 * The alarm path (issue 25): each member account and Region runs the member alarm template
 * (lib/member-stage-alarms-stack.ts), whose rule forwards a stage's contributor entering ALARM to this
 * account's dedicated alarm bus (never the default bus other automation shares). The bus admits only
 * the organization's (or the listed) accounts, and only CloudWatch contributor events. A rule puts
 * them on an SQS FIFO queue (redeliveries de-duplicated by content); an EventBridge pipe reads it one
 * message at a time and asks the intake function (lambda/org/alarm-intake-handler.ts), which admits
 * one run per stage and alarm window, at most `alarmRunsPerWindow` runs per window, and drops (logs,
 * counts) the rest; only admitted events start this state machine. The auditor account's own alarms
 * in this Region reach the queue through a rule on its default bus: they stay local.
 */
import {
  Annotations,
  type CfnElement,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ALARM_ACCOUNT_IAM_ACTIONS, IAM_ACTIONS as ORGANIZATIONS_ACTIONS } from '../lambda/org/list-targets';
import {
  ACCOUNT_ID,
  DEFAULT_ALARM_RUNS_PER_WINDOW,
  PARENT_ID,
  ROLE_NAME,
} from '../lambda/org/org-environment';
import { ITEM_ACTION, RUNS_PREFIX } from '../lambda/org/run-parts';
import { auditorFunction, functionRole } from './auditor-function';
import { asImplementationOf } from './cdk-interfaces';
import { CENTRAL_AUDIT_ROLE_PATH, DEFAULT_CENTRAL_AUDIT_ROLE_NAME } from './member-audit-role-stack';
import { AlarmPath } from './organization-alarm-path';

/** Items audited at once when `maxConcurrency` is not given. */
export const DEFAULT_MAX_CONCURRENCY = 10;
/** How long a run's targets and parts are kept (they are only the run's working set). */
export const PARTS_EXPIRY_DAYS = 7;
/** An AWS Organizations organization id. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export interface OrganizationAuditProps {
  /** The role the member-account template creates in each account (its RoleName parameter). */
  readonly memberRoleName: string;
  /**
   * The name of the role that assumes the member roles (path `/api-network-auditor/`): the member
   * template's `AuditorRoleName`, the only principal its trust policy admits. One per account.
   * @default 'ApiNetworkAuditorCentral'
   */
  readonly auditRoleName?: string;
  /**
   * Search REST execution logs in the member accounts. They can hold request bodies where full
   * request logging is on: turn on together with the member template's `SearchExecutionLogs`.
   * @default false
   */
  readonly searchExecutionLogs?: boolean;
  /**
   * Runs the alarm path may start per alarm window (15 minutes), over every account and Region.
   * @default 10
   */
  readonly alarmRunsPerWindow?: number;
  /**
   * Audit these accounts instead of asking AWS Organizations (no Organizations permission then).
   * @default - the ACTIVE accounts of the organization
   */
  readonly accounts?: string[];
  /**
   * Only the accounts under these organizational units (or roots), nested units included.
   * @default - every account of the organization
   */
  readonly organizationalUnitIds?: string[];
  /**
   * The organization's id (`o-...`): the default event bus admits stage alarms forwarded by its
   * accounts (`aws:PrincipalOrgID`). Needed for the alarm path unless `accounts` is given (then the
   * bus admits those accounts).
   * @default - with `accounts`, those accounts; without, no alarm path (a synth warning says so)
   */
  readonly organizationId?: string;
  /**
   * Items (account x Region) audited at once. Each item has its own account and Region, so their API
   * quotas are never shared; the bound protects the auditor account's Lambda concurrency and STS.
   * @default 10
   */
  readonly maxConcurrency?: number;
}

/** What the auditor construct hands over: where to log, encrypt, publish and remember. */
export interface OrganizationAuditDeps extends OrganizationAuditProps {
  readonly key: kms.IKey;
  readonly logGroup: logs.ILogGroup;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** The variables every auditor function reads (lib/network-auditor.ts functionEnvironment). */
  readonly environment: Record<string, string>;
  /** The audit of one item stops in time to store its part within this. */
  readonly itemTimeout: Duration;
  readonly memorySize: number;
  /** A run may last at most this long (the gap between two scheduled runs: they never overlap). */
  readonly runTimeout: Duration;
  /** Receive the member accounts' stage alarms (the stack's `stageAlarms` is not false). */
  readonly stageAlarms: boolean;
  /** Where EventBridge puts an alarm event it could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The state table: the alarm intake keeps its admission marks there. */
  readonly stateTable: dynamodb.ITable;
}

/** What `lambda/org/org-environment.ts` parses. */
export function organizationEnvironment(
  props: OrganizationAuditProps,
  partsBucket: string,
): Record<string, string> {
  return {
    PARTS_BUCKET: partsBucket,
    MEMBER_ROLE_NAME: props.memberRoleName,
    ...(props.searchExecutionLogs ? { SEARCH_EXECUTION_LOGS: 'true' } : {}),
    ...(props.alarmRunsPerWindow !== undefined
      ? { ALARM_RUNS_PER_WINDOW: String(props.alarmRunsPerWindow) }
      : {}),
    ...(props.accounts?.length ? { ORG_ACCOUNTS: props.accounts.join(',') } : {}),
    ...(props.organizationalUnitIds?.length ? { ORG_UNIT_IDS: props.organizationalUnitIds.join(',') } : {}),
  };
}

export function assertOrganizationProps(props: OrganizationAuditProps): void {
  const problems: string[] = [];
  if (!ROLE_NAME.test(props.memberRoleName)) problems.push('memberRoleName must be an IAM role name');
  if (props.auditRoleName !== undefined && !ROLE_NAME.test(props.auditRoleName))
    problems.push('auditRoleName must be an IAM role name');
  const runs = props.alarmRunsPerWindow ?? DEFAULT_ALARM_RUNS_PER_WINDOW;
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
    problems.push(`alarmRunsPerWindow (${runs}) must be a whole number from 1 to 1000`);
  for (const account of props.accounts ?? [])
    if (!ACCOUNT_ID.test(account)) problems.push(`accounts: '${account}' is not a 12-digit account id`);
  for (const unit of props.organizationalUnitIds ?? [])
    if (!PARENT_ID.test(unit))
      problems.push(
        `organizationalUnitIds: '${unit}' is not an organizational unit (ou-...) or root (r-...) id`,
      );
  if (props.organizationId !== undefined && !ORGANIZATION_ID.test(props.organizationId))
    problems.push(`organizationId '${props.organizationId}' is not an organization id (o-...)`);
  if (props.accounts?.length && props.organizationalUnitIds?.length)
    problems.push('give accounts or organizationalUnitIds, not both');
  const concurrency = props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)
    problems.push(`maxConcurrency (${concurrency}) must be a whole number from 1 to 1000`);
  if (problems.length > 0) throw new Error(`NetworkAuditor: organization: ${problems.join('; ')}`);
}

export class OrganizationAudit extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly partsBucket: s3.Bucket;
  readonly listTargetsFunction: nodejs.NodejsFunction;
  readonly auditTargetFunction: nodejs.NodejsFunction;
  readonly mergeFunction: nodejs.NodejsFunction;
  readonly stateMachineLogGroup: logs.LogGroup;
  /** The role that assumes the member roles: fixed name and path, what every member role trusts. */
  readonly auditRole: iam.Role;
  /** The alarm path; undefined without it. */
  readonly alarmPath?: AlarmPath;
  /** Every rule of this construct with a dead-letter queue or an SQS target: the key policy names them. */
  readonly eventRuleArns: string[] = [];

  constructor(scope: Construct, id: string, props: OrganizationAuditDeps) {
    super(scope, id);
    assertOrganizationProps(props);
    this.partsBucket = this.createPartsBucket(props);
    const environment = {
      ...props.environment,
      ...organizationEnvironment(props, this.partsBucket.bucketName),
    };
    const runObjects = this.partsBucket.arnForObjects(`${RUNS_PREFIX}*`);

    const listRole = functionRole(
      this,
      'ListTargetsRole',
      'API network auditor: lists the accounts to audit',
      props.logGroup,
    );
    if (!props.accounts?.length) {
      listRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...ORGANIZATIONS_ACTIONS], resources: ['*'] }),
      );
      Validations.of(listRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'organizations:ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent support no resource narrower than *.',
      });
    }
    this.grantPut(listRole, runObjects, props.key);
    this.listTargetsFunction = auditorFunction(this, 'ListTargetsFunction', {
      entry: 'org/list-targets-handler.ts',
      role: listRole,
      logGroup: props.logGroup,
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment,
      description: 'API network auditor, organization: lists the accounts x Regions of a run',
    });

    const itemRole = new iam.Role(this, 'AuditTargetRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'API network auditor: audits one member account and Region',
      roleName: props.auditRoleName ?? DEFAULT_CENTRAL_AUDIT_ROLE_NAME,
      path: CENTRAL_AUDIT_ROLE_PATH,
    });
    props.logGroup.grantWrite(itemRole);
    this.auditRole = itemRole;
    this.grantAssumeMemberRoles(itemRole, props);
    this.grantPut(itemRole, runObjects, props.key);
    this.auditTargetFunction = auditorFunction(this, 'AuditTargetFunction', {
      entry: 'org/audit-target-handler.ts',
      role: itemRole,
      logGroup: props.logGroup,
      timeout: props.itemTimeout,
      memorySize: props.memorySize,
      environment,
      description: 'API network auditor, organization: audits one account and Region with its member role',
    });

    const mergeRole = functionRole(
      this,
      'MergeRole',
      'API network auditor: merges the parts, notifies',
      props.logGroup,
    );
    mergeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [runObjects] }),
    );
    // Without ListBucket S3 answers a missing part 403, indistinguishable from a denied read; with it,
    // 404 (NoSuchKey). Listing is limited to the runs/ prefix.
    mergeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.partsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${RUNS_PREFIX}*`] } },
      }),
    );
    props.key.grant(mergeRole, 'kms:Decrypt');
    // The merged report, next to the parts.
    this.grantPut(mergeRole, runObjects, props.key);
    this.mergeFunction = auditorFunction(this, 'MergeFunction', {
      entry: 'org/merge-handler.ts',
      role: mergeRole,
      logGroup: props.logGroup,
      timeout: props.itemTimeout,
      // Every part is read into memory before merging: a report is ~1 MB for hundreds of stages.
      memorySize: Math.max(props.memorySize, 1024),
      environment,
      description: 'API network auditor, organization: merges the parts into one report and notifies',
    });

    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.runTimeout,
      comment: 'API network auditor: every account and Region of the organization, one report',
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    this.grantPut(this.stateMachine.role, runObjects, props.key);
    props.key.grant(this.stateMachine.role, 'kms:Decrypt');
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'No X-Ray: the auditor functions do not trace either; each step logs JSON and the execution history shows every item.',
    });
    this.acknowledgeStateMachineGrants();
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery actions (CreateLogDelivery, ...) support no resource narrower than *: what Step Functions logging needs.',
    });

    if (props.stageAlarms && (props.organizationId || props.accounts?.length)) {
      this.alarmPath = new AlarmPath(this, 'AlarmPath', {
        ...props,
        stateMachine: this.stateMachine,
        environment,
      });
      this.eventRuleArns.push(...this.alarmPath.ruleArns);
      // Checking one alarm's account: one DescribeAccount (and ListParents with units), not a list.
      if (!props.accounts?.length)
        listRole.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: [...ALARM_ACCOUNT_IAM_ACTIONS], resources: ['*'] }),
        );
    } else if (props.stageAlarms) {
      Annotations.of(this).addWarning(
        'Central mode without organizationId (-c orgId=o-...) or accounts: the alarm bus cannot ' +
          "admit the member accounts' stage alarms, so there are no alarm-triggered audits (schedule only).",
      );
    }
  }

  /** What CDK grants the state machine for its tasks and its Distributed Map, each named by cdk-nag. */
  private acknowledgeStateMachineGrants(): void {
    const stack = Stack.of(this);
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    for (const fn of [this.listTargetsFunction, this.auditTargetFunction, this.mergeFunction]) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the function and its versions: what a LambdaInvoke task is granted.',
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${logicalId(this.partsBucket)}>/*]`,
      reason:
        "The Distributed Map's item reader: GetObject of the run's targets file in the parts bucket only.",
    });
    const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(this.stateMachine)}"}]}]}`;
    // cdk-nag writes the Region and account as the template has them: placeholders, or literals.
    const named = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const executions = `arn:<AWS::Partition>:states:${named(stack.region, '<AWS::Region>')}:${named(stack.account, '<AWS::AccountId>')}:execution:${name}`;
    for (const suffix of [':*', '/AuditEachTarget:*']) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${executions}${suffix}]`,
        reason: "The Distributed Map's child executions of this state machine only (start, describe, stop).",
      });
    }
  }

  /** The states, in order; each item's failure is caught and written as its ERROR part. */
  private definition(props: OrganizationAuditDeps): sfn.IChainable {
    const listTargets = new tasks.LambdaInvoke(this, 'ListTargets', {
      lambdaFunction: this.listTargetsFunction,
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.executionName,
        input: sfn.JsonPath.entirePayload,
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });

    const auditTarget = new tasks.LambdaInvoke(this, 'AuditTarget', {
      lambdaFunction: this.auditTargetFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      // Each item returns {}: the Map's results stay tiny whatever the number of accounts.
      outputPath: sfn.JsonPath.DISCARD,
    });
    const describeFailure = new sfn.Pass(this, 'DescribeFailure', {
      parameters: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        target: sfn.JsonPath.objectAt('$.target'),
        error: {
          action: ITEM_ACTION,
          code: sfn.JsonPath.stringAt('$.failure.Error'),
          message: sfn.JsonPath.stringAt('$.failure.Cause'),
        },
      },
      resultPath: '$.outcome',
    });
    const writeFailurePart = new tasks.CallAwsService(this, 'WriteFailurePart', {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: this.partsBucket.bucketName,
        Key: sfn.JsonPath.stringAt('$.partKey'),
        Body: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.outcome')),
        ContentType: 'application/json',
      },
      iamResources: [this.partsBucket.arnForObjects(`${RUNS_PREFIX}*`)],
      outputPath: sfn.JsonPath.DISCARD,
    });
    // Lambda throttles the fan-out when the account's concurrency is spent: wait, do not fail the item.
    auditTarget.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    auditTarget.addCatch(describeFailure.next(writeFailurePart), {
      errors: [sfn.Errors.ALL],
      resultPath: '$.failure',
    });

    const auditEachTarget = new sfn.DistributedMap(this, 'AuditEachTarget', {
      itemReader: new sfn.S3JsonItemReader({
        bucket: asImplementationOf<s3.IBucket>(this.partsBucket, s3.BucketBase),
        key: sfn.JsonPath.stringAt('$.targetsKey'),
      }),
      maxConcurrency: props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      // An item the Catch could not record either still leaves the others running: the merge step
      // reports the target with no part as an ERROR line.
      toleratedFailurePercentage: 100,
      resultPath: sfn.JsonPath.DISCARD,
      label: 'AuditEachTarget',
    });
    auditEachTarget.itemProcessor(auditTarget);

    const merge = new tasks.LambdaInvoke(this, 'MergeAndNotify', {
      lambdaFunction: this.mergeFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    return listTargets.next(auditEachTarget).next(merge);
  }

  private createPartsBucket(props: OrganizationAuditDeps): s3.Bucket {
    const bucket = new s3.Bucket(this, 'PartsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ prefix: RUNS_PREFIX, expiration: Duration.days(PARTS_EXPIRY_DAYS) }],
      removalPolicy: props.removalPolicy,
      // `cdk destroy` empties it first (a custom resource CDK adds); a retained stack keeps the parts.
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: `A run's working set, written and read only by the auditor's own roles and expired after ${PARTS_EXPIRY_DAYS} days; CloudTrail data events cover access if needed.`,
    });
    return bucket;
  }

  /** PutObject on the run objects, with the data key the bucket's KMS encryption needs. */
  private grantPut(role: iam.IRole, runObjects: string, key: kms.IKey): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [runObjects] }),
    );
    key.grant(role, 'kms:GenerateDataKey');
    this.acknowledgeRunObjects(role);
  }

  private acknowledgeRunObjects(role: iam.IRole): void {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.partsBucket.node.defaultChild as CfnElement)}.Arn>/${RUNS_PREFIX}*]`,
      reason:
        "Every object of a run (its targets and one part per account and Region) under the bucket's runs/ prefix.",
    });
  }

  /**
   * AssumeRole on the member role only: in the listed accounts, or in any account of the auditor's
   * own organization (`aws:ResourceOrgID` equal to the caller's `aws:PrincipalOrgID`).
   */
  private grantAssumeMemberRoles(role: iam.IRole, props: OrganizationAuditProps): void {
    const { partition } = Stack.of(this);
    const roleIn = (account: string) => `arn:${partition}:iam::${account}:role/${props.memberRoleName}`;
    if (props.accounts?.length) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: props.accounts.map(roleIn) }),
      );
      return;
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [roleIn('*')],
        // An IAM policy variable, resolved by IAM at request time (not a template string).
        // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
        conditions: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${props.memberRoleName}]`,
      reason:
        "The member role in any account of the auditor's own organization (aws:ResourceOrgID = aws:PrincipalOrgID), no other role.",
    });
  }
}
