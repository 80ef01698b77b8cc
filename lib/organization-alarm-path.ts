/**
 * Central mode's alarm path (issue 25): from the member accounts' forwarded stage alarms to runs of
 * the state machine, with nothing in between that any account of the organization could flood.
 *
 * member rule -> alarm bus (policy: the organization or the listed accounts; CloudWatch contributor
 *                events only)
 *   -> rule -> SQS FIFO queue (content-based de-duplication of redeliveries, one message group)
 *     -> EventBridge pipe, one message at a time
 *          enrichment: the intake function (lambda/org/alarm-intake-handler.ts) admits one run per
 *          stage and alarm window and at most `alarmRunsPerWindow` runs per window; the rest are
 *          logged and counted (AlarmEventsRefused), never runs
 *        -> the state machine (one run per admitted event)
 *
 * The auditor account's own alarms in its Region reach the same queue through a rule on its default
 * bus (they stay local: the member alarm template does not forward there).
 */
import { Duration, Names, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CLOUDWATCH_SOURCE, CONTRIBUTOR_STATE_CHANGE } from '../lambda/config/alarm-event';
import { ALARM_ACCOUNT_IAM_ACTIONS } from '../lambda/org/list-targets';
import { auditorFunction, functionRole } from './auditor-function';
import { deadLetterAlarm } from './dead-letter-alarm';
import { ALARM_BUS_NAME, MEMBER_ALARM_NAMES } from './member-stage-alarms-stack';
import { contributorInAlarmPattern } from './stage-error-alarms';

/** The statement id of the alarm bus's policy statement admitting the member accounts' alarms. */
export const MEMBER_ALARMS_STATEMENT_ID = 'ApiNetworkAuditorMemberAlarms';
/** Every alarm event goes through one message group: the pipe reads them one at a time, in order. */
export const ALARM_MESSAGE_GROUP = 'member-stage-alarms';
/** Past an hour the scheduled run has taken over: a late diagnosis is not a fast one. */
const ALARM_EVENT_MAX_AGE = Duration.hours(1);

export interface AlarmPathProps {
  readonly key: kms.IKey;
  readonly logGroup: logs.ILogGroup;
  readonly removalPolicy: RemovalPolicy;
  readonly stateMachine: sfn.IStateMachine;
  readonly stateTable: dynamodb.ITable;
  readonly deadLetterQueue: sqs.IQueue;
  readonly environment: Record<string, string>;
  readonly organizationId?: string;
  readonly accounts?: string[];
}

export class AlarmPath extends Construct {
  readonly bus: events.EventBus;
  readonly busPolicy: events.CfnEventBusPolicy;
  readonly queue: sqs.Queue;
  /** Messages the pipe failed on three times (the intake function kept failing). */
  readonly queueDeadLetters: sqs.Queue;
  readonly queueDeadLetterAlarm: cloudwatch.Alarm;
  readonly memberRule: events.Rule;
  readonly localRule: events.Rule;
  readonly intakeFunction: nodejs.NodejsFunction;
  readonly pipe: pipes.CfnPipe;
  /** The rules' ARNs, from their fixed names (the key policy names them without a dependency cycle). */
  readonly ruleArns: string[];

  constructor(scope: Construct, id: string, props: AlarmPathProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: ALARM_BUS_NAME,
      description: "API network auditor: the member accounts' stage alarms, nothing else",
    });
    this.busPolicy = this.admitMemberAlarms(props);

    this.queueDeadLetters = new sqs.Queue(this, 'QueueDeadLetters', {
      fifo: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.queueDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the alarm queue's pipe.",
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: ALARM_EVENT_MAX_AGE,
      visibilityTimeout: Duration.minutes(2),
      deadLetterQueue: { queue: this.queueDeadLetters, maxReceiveCount: 3 },
      removalPolicy: props.removalPolicy,
    });
    this.queueDeadLetterAlarm = deadLetterAlarm(
      this,
      'QueueDeadLetterAlarm',
      this.queueDeadLetters,
      'Forwarded stage alarms could not be admitted (the intake function failed 3 times): read its logs and the queue',
    );

    const pattern = contributorInAlarmPattern([MEMBER_ALARM_NAMES.rest, MEMBER_ALARM_NAMES.http]);
    // The target sees the queue without its key: CDK's SqsQueue target would otherwise let EventBridge
    // use the key with no condition. The key policy (lib/network-auditor.ts) names these rules instead,
    // and so does the queue policy below.
    const queueForRules = sqs.Queue.fromQueueAttributes(this, 'QueueForRules', {
      queueArn: this.queue.queueArn,
      queueUrl: this.queue.queueUrl,
      fifo: true,
    });
    const toQueue = () =>
      new eventTargets.SqsQueue(queueForRules, {
        messageGroupId: ALARM_MESSAGE_GROUP,
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: ALARM_EVENT_MAX_AGE,
      });
    const baseName = Names.uniqueResourceName(this, { maxLength: 48 });
    const memberRuleName = `${baseName}-Member`;
    const localRuleName = `${baseName}-Local`;
    this.memberRule = new events.Rule(this, 'MemberStageAlarm', {
      eventBus: this.bus,
      ruleName: memberRuleName,
      description: "Queues a member account's stage 5xx alarm contributor entering ALARM for admission",
      eventPattern: props.accounts?.length ? { ...pattern, account: props.accounts } : pattern,
      targets: [toQueue()],
    });
    this.localRule = new events.Rule(this, 'OwnStageAlarm', {
      ruleName: localRuleName,
      description: "Queues this account's own stage 5xx alarm contributor entering ALARM (it stays local)",
      eventPattern: { ...pattern, account: [account] },
      targets: [toQueue()],
    });
    const ruleArn = (path: string) => `arn:${partition}:events:${region}:${account}:rule/${path}`;
    this.ruleArns = [ruleArn(`${ALARM_BUS_NAME}/${memberRuleName}`), ruleArn(localRuleName)];
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTheAlarmRulesToSend',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': [this.memberRule.ruleArn, this.localRule.ruleArn] } },
      }),
    );

    this.intakeFunction = this.createIntake(props);
    this.pipe = this.createPipe(props);
  }

  /**
   * The bus's policy: PutEvents by the organization's principals (or the listed accounts'), of
   * CloudWatch contributor state changes only (`events:source`, `events:detail-type`).
   */
  private admitMemberAlarms(props: AlarmPathProps): events.CfnEventBusPolicy {
    const { partition } = Stack.of(this);
    const accounts = props.accounts ?? [];
    return new events.CfnEventBusPolicy(this, 'BusPolicy', {
      eventBusName: this.bus.eventBusName,
      statementId: MEMBER_ALARMS_STATEMENT_ID,
      statement: {
        Effect: 'Allow',
        Principal:
          accounts.length > 0 ? { AWS: accounts.map((id) => `arn:${partition}:iam::${id}:root`) } : '*',
        Action: 'events:PutEvents',
        Resource: this.bus.eventBusArn,
        Condition: {
          StringEquals: {
            ...(props.organizationId ? { 'aws:PrincipalOrgID': props.organizationId } : {}),
            'events:source': [CLOUDWATCH_SOURCE],
            'events:detail-type': [CONTRIBUTOR_STATE_CHANGE],
          },
        },
      },
    });
  }

  private createIntake(props: AlarmPathProps): nodejs.NodejsFunction {
    const role = functionRole(
      this,
      'IntakeRole',
      'API network auditor: admits forwarded stage alarms (de-duplicates, caps, refuses)',
      props.logGroup,
    );
    props.stateTable.grant(role, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    props.key.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    if (!props.accounts?.length) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...ALARM_ACCOUNT_IAM_ACTIONS], resources: ['*'] }),
      );
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'organizations:DescribeAccount and ListParents support no resource narrower than *.',
      });
    }
    return auditorFunction(this, 'IntakeFunction', {
      entry: 'org/alarm-intake-handler.ts',
      role,
      logGroup: props.logGroup,
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: props.environment,
      description: 'API network auditor, organization: admits forwarded stage alarms before any run starts',
    });
  }

  private createPipe(props: AlarmPathProps): pipes.CfnPipe {
    const { account } = Stack.of(this);
    const role = new iam.Role(this, 'PipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
      }),
      description: 'API network auditor: reads the alarm queue, asks the intake, starts admitted runs',
    });
    this.queue.grantConsumeMessages(role);
    // The function itself (no version: `grantInvoke` would add `:*`).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.intakeFunction.functionArn],
      }),
    );
    props.stateMachine.grantStartExecution(role);
    const pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'API network auditor: forwarded stage alarms -> admission -> one run each',
      roleArn: role.roleArn,
      source: this.queue.queueArn,
      sourceParameters: { sqsQueueParameters: { batchSize: 1 } },
      enrichment: this.intakeFunction.functionArn,
      target: props.stateMachine.stateMachineArn,
      targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' } },
    });
    pipe.node.addDependency(role);
    return pipe;
  }
}
