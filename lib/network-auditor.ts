import {
  Annotations,
  Aws,
  CfnRule,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { definedFields } from '../lambda/domain/defined-fields';
import { CLASSIFICATIONS, SEVERITIES, type Thresholds } from '../lambda/domain/types';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../lambda/notify/settings';
import { DEFAULTS, type SettingValues } from '../lambda/settings/settings';
import { environmentVariables, settingProblems } from '../lambda/settings/surfaces';
import { DEFAULT_THRESHOLDS } from '../lambda/triage/classify-stage';
import { acknowledgeAuditReads, auditReadStatements } from './audit-read-policy';
import { auditorFunction, functionRole } from './auditor-function';
import { asImplementationOf } from './cdk-interfaces';
import { deadLetterAlarm } from './dead-letter-alarm';
import { OrganizationAudit, type OrganizationAuditProps } from './organization-audit';
import { scheduleInterval } from './schedule-interval';
import { StageErrorAlarms, type StageErrorAlarmThresholds } from './stage-error-alarms';

export const DEFAULT_METRICS_NAMESPACE = 'ApiNetworkAuditor';
/** Consecutive incomplete runs after which the incomplete-run alarm fires. */
export const DEFAULT_INCOMPLETE_RUNS_TO_ALARM = 2;
/** The protocols that may subscribe to the stack's topic (a topic policy denies the others). */
export const DEFAULT_SUBSCRIPTION_PROTOCOLS = ['email', 'sqs', 'lambda', 'https'] as const;
/** Every protocol SNS offers (what `subscriptionProtocols` may list). */
export const SNS_PROTOCOLS = [
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
] as const;
export type SubscriptionProtocol = (typeof SNS_PROTOCOLS)[number];
export const SERVICE_NAME = 'api-network-auditor';

/** What `lambda/notify/dynamodb-state-store.ts` calls on the state table (a test keeps the two in step). */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:Scan',
] as const;

export interface NetworkAuditorProps {
  /**
   * Email address subscribed to the findings topic (AWS sends a confirmation mail first).
   * @default - no email subscription
   */
  readonly alertEmail?: string;
  /**
   * Publish findings and alarms to this existing topic instead of creating one. It must be a standard
   * (not FIFO) topic in the stack's Region. Its owner must allow, in the topic policy, `sns:Publish`
   * by `cloudwatch.amazonaws.com` (conditioned on `aws:SourceAccount` and the alarms' ARNs) and, when
   * it is KMS-encrypted, `kms:Decrypt` and `kms:GenerateDataKey*` on its key by that principal and by
   * the auditor's role.
   * @default - a new topic encrypted with a customer managed KMS key
   */
  readonly existingTopicArn?: string;
  /**
   * When the audit runs. Must run every day, at most `lookback` apart, or minutes go unaudited.
   * @default events.Schedule.expression('rate(60 minutes)')
   */
  readonly schedule?: events.Schedule;
  /**
   * How far back each run reads metrics; at least the longest gap between two scheduled runs.
   * @default Duration.minutes(60)
   */
  readonly lookback?: Duration;
  /**
   * The CloudWatch period the triage counts requests and 5xx in.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * Regions to audit.
   * @default - the Region the function runs in
   */
  readonly regions?: string[];
  /**
   * Classification thresholds; unset ones keep the auditor's defaults.
   * @default DEFAULT_THRESHOLDS (lambda/triage/classify-stage.ts)
   */
  readonly thresholds?: Partial<Thresholds>;
  /**
   * Which findings are notified and how often they are repeated; unset ones keep the defaults.
   * @default DEFAULT_NOTIFY_SETTINGS (lambda/notify/settings.ts)
   */
  readonly notify?: Partial<NotifySettings>;
  /**
   * The function's timeout; the audit stops collecting in time to report within it.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * The function's memory.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserve a concurrency of 1 so that runs never overlap. Lambda refuses a reservation that leaves
   * fewer than 100 unreserved executions, so this deploys only where the account's concurrency quota,
   * minus every other reservation, is at least 101. Off by default: scheduled runs are further apart
   * than the function's timeout, and an overlapping manual run can at worst repeat a notification.
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Access-log groups whose name starts with this are searched for network errors, and only those:
   * the role may query every API Gateway execution log group and these, no other log group.
   * @default - access-log groups are not searched
   */
  readonly accessLogGroupPrefix?: string;
  /**
   * Consecutive incomplete runs (a report with `complete: false`: reads refused, Regions unreachable,
   * time budget spent) after which the incomplete-run alarm notifies the topic.
   * @default 2
   */
  readonly incompleteRunsToAlarm?: number;
  /**
   * The protocols allowed to subscribe to the stack's own topic; its policy denies `sns:Subscribe`
   * for any other. Ignored with `existingTopicArn`.
   * @default ['email', 'sqs', 'lambda', 'https']
   */
  readonly subscriptionProtocols?: readonly SubscriptionProtocol[];
  /**
   * CloudWatch namespace of the function's own EMF metrics.
   * @default 'ApiNetworkAuditor'
   */
  readonly metricsNamespace?: string;
  /**
   * Alarm-triggered audits: Metrics Insights alarms on every stage's 5xx send a stage that enters
   * ALARM to the auditor within minutes. `false` keeps the auditor schedule-only. In central mode the
   * alarms (and their thresholds) are the member alarm template's; this turns the central side on or off.
   * @default - on, with DEFAULT_ALARM_ERRORS_PER_MINUTE and DEFAULT_ALARM_DATAPOINTS (lib/stage-error-alarms.ts)
   */
  readonly stageAlarms?: StageErrorAlarmThresholds | false;
  /**
   * Central mode: audit every account (and each of `regions`) of the organization, or the accounts
   * listed, through the member role the member-account template creates; one Step Functions run per
   * schedule, one merged report and notification stream. The stage alarms are then the member alarm
   * template's, in each member account and Region; this stack admits and acts on their events.
   * @default - the stack's own account only (single-account mode)
   */
  readonly organization?: OrganizationAuditProps;
  /**
   * What happens to the state table, key, queue and log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY (the state is only de-duplication memory)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Any other setting of lambda/settings, by name (docs/configuration.md lists them): held to the
   * setting's rules and handed to the function as its environment variable. The typed props above win.
   * @default - each setting's default
   */
  readonly settings?: Partial<SettingValues>;
}

/**
 * The auditor, deployed: a scheduled Lambda that audits API Gateway stages behind VPC links and
 * publishes what it finds to an SNS topic (and by email), with the state table that keeps it from
 * repeating itself, a dead-letter queue for failed runs, an alarm on errors and a dashboard.
 */
export class NetworkAuditor extends Construct {
  readonly topic: sns.ITopic;
  /** The customer managed key of the state table, dead-letter queue, log group and the stack's own topic. */
  readonly key: kms.Key;
  /** The single-account function; undefined in central mode (`organization`). */
  readonly function?: nodejs.NodejsFunction;
  /** The organization-wide state machine and its functions; undefined without `organization`. */
  readonly organization?: OrganizationAudit;
  readonly rule: events.Rule;
  readonly stateTable: dynamodb.Table;
  readonly alarm: cloudwatch.Alarm;
  /** Fires when a run's event lands in the dead-letter queue (it failed after its retries). */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Fires after `incompleteRunsToAlarm` consecutive scheduled runs whose report is incomplete. */
  readonly incompleteRunsAlarm: cloudwatch.Alarm;
  /** Fires when an alarm-triggered run's report is incomplete (`AuditIncomplete`, trigger `alarm`). */
  readonly incompleteAlarmRunsAlarm: cloudwatch.Alarm;
  /**
   * What the topic's policy must allow for the alarms to notify it: in the stack's own topic policy;
   * with `existingTopicArn`, for that topic's owner to add (the stack outputs it).
   */
  readonly alarmsPublishStatement: iam.PolicyStatement;
  readonly deadLetterQueue: sqs.Queue;
  readonly logGroup: logs.LogGroup;
  readonly dashboard: cloudwatch.Dashboard;
  /** The stage 5xx alarms and their rule; undefined when `stageAlarms` is false. */
  readonly stageAlarms?: StageErrorAlarms;

  constructor(scope: Construct, id: string, props: NetworkAuditorProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const schedule = props.schedule ?? events.Schedule.expression('rate(60 minutes)');
    const lookback = props.lookback ?? Duration.minutes(DEFAULTS.lookbackMinutes);
    const period = props.period ?? Duration.seconds(DEFAULTS.periodSeconds);
    const timeout = props.timeout ?? Duration.minutes(5);
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    const gaps = assertScheduleCoversLookback(schedule.expressionString, lookback.toMinutes());
    const runInterval = gaps.maxGapMinutes;
    const incompleteRunsToAlarm = props.incompleteRunsToAlarm ?? DEFAULT_INCOMPLETE_RUNS_TO_ALARM;
    assertIncompleteRunsToAlarm(incompleteRunsToAlarm, runInterval);
    const problems = settingProblems(settingsOfProps(props, lookback, period));
    if (problems.length > 0) throw new Error(`NetworkAuditor: ${problems.join('; ')}`);

    this.key = this.createKey(removalPolicy);
    const topic = props.existingTopicArn
      ? this.importTopic(props.existingTopicArn)
      : this.createTopic(props.subscriptionProtocols ?? DEFAULT_SUBSCRIPTION_PROTOCOLS);
    this.topic = topic;
    if (props.alertEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));

    this.stateTable = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'findingId', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the auditor function and its schedule.',
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: this.key,
      removalPolicy,
    });

    const environment = functionEnvironment({
      topicArn: topic.topicArn,
      tableName: this.stateTable.tableName,
      lookbackMinutes: lookback.toMinutes(),
      periodSeconds: period.toSeconds(),
      regions: props.regions,
      thresholds: { ...DEFAULT_THRESHOLDS, ...props.thresholds },
      notify: { ...DEFAULT_NOTIFY_SETTINGS, ...props.notify },
      namespace,
      accessLogGroupPrefix: props.accessLogGroupPrefix,
      settings: props.settings ?? {},
    });
    // Fixed rule names: the key policy names the rules (aws:SourceArn) without a dependency cycle
    // (rule -> dead-letter queue -> key -> rule).
    const ruleNamePrefix = Names.uniqueResourceName(this, { maxLength: 48 });
    const scheduleRuleName = `${ruleNamePrefix}-Schedule`;
    const stageAlarmsRuleName = `${ruleNamePrefix}-StageAlarms`;
    const deadLetterSources = [scheduleRuleName];
    let errors: cloudwatch.IMetric;
    if (props.organization) {
      this.organization = new OrganizationAudit(this, 'Organization', {
        ...props.organization,
        key: this.key,
        logGroup: this.logGroup,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy,
        environment,
        itemTimeout: timeout,
        memorySize: props.memorySize ?? 256,
        // An irregular cron (runs at :00 and :10, then not until the next hour) must not overlap runs.
        runTimeout: Duration.minutes(gaps.minGapMinutes),
        stateTable: asImplementationOf<dynamodb.ITable>(this.stateTable, dynamodb.TableBase),
        stageAlarms: props.stageAlarms !== false,
        deadLetterQueue: this.deadLetterQueue,
      });
      this.grantNotify(this.organization.mergeFunction.role as iam.IRole);
      this.rule = new events.Rule(this, 'Schedule', {
        schedule,
        ruleName: scheduleRuleName,
        description: 'Runs the API network audit of every account and Region',
        targets: [
          new eventTargets.SfnStateMachine(this.organization.stateMachine, {
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: 2,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
      errors = organizationErrors(this.organization);
    } else {
      const role = functionRole(
        this,
        'Role',
        'API network auditor: read-only audit actions, publish to its topic, its state table',
        this.logGroup,
      );
      this.grantAuditReads(role, props.regions, props.accessLogGroupPrefix);
      this.function = auditorFunction(this, 'Function', {
        entry: 'handler.ts',
        memorySize: props.memorySize ?? 256,
        timeout,
        role,
        logGroup: this.logGroup,
        ...(props.reserveConcurrency === true ? { reservedConcurrentExecutions: 1 } : {}),
        retryAttempts: 1,
        // Past an hour the next scheduled run (or a fresher alarm) has taken over.
        maxEventAge: Duration.hours(1),
        onFailure: new lambdaDestinations.SqsDestination(this.deadLetterQueue),
        description: 'Finds why API Gateway returns 504 Network error communicating with endpoint',
        environment,
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: "CDK's send grant on a KMS-encrypted queue (the dead-letter queue), on the stack key only.",
      });
      this.grantNotify(role);
      this.rule = new events.Rule(this, 'Schedule', {
        schedule,
        ruleName: scheduleRuleName,
        description: 'Runs the API network audit',
        targets: [
          new eventTargets.LambdaFunction(this.function, {
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: 2,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
      errors = this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
    }

    this.alarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The API network auditor failed: read its log group, and its dead-letter queue',
      metric: errors,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'A run of the API network auditor failed after its retries: its event is in the dead-letter queue',
    );
    this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));

    // Central mode: the stage alarms live in the member accounts (the member alarm template).
    if (props.stageAlarms !== false && this.function) {
      const { deadLetterQueue } = this;
      this.stageAlarms = new StageErrorAlarms(this, 'StageAlarms', {
        ...props.stageAlarms,
        auditor: this.function,
        deadLetterQueue,
        ruleName: stageAlarmsRuleName,
      });
      deadLetterSources.push(stageAlarmsRuleName);
      const stackRegion = Stack.of(this).region;
      const known = !Token.isUnresolved(stackRegion);
      const others = (props.regions ?? []).filter((region) => !known || region !== stackRegion);
      if (others.length > (known ? 0 : 1))
        Annotations.of(this).addWarning(
          `The stage alarms watch ${known ? stackRegion : "the stack's Region"} only (CloudWatch alarms are Regional): ` +
            `${others.join(', ')}${known ? '' : " (but the stack's own)"} are audited on the schedule only, with no ` +
            'alarm-triggered audit. For those, deploy in central mode with the member alarm template in each Region.',
        );
    }
    this.incompleteRunsAlarm = new cloudwatch.Alarm(this, 'IncompleteRunsAlarm', {
      alarmDescription:
        `${incompleteRunsToAlarm} audit run(s) in a row could not read everything (complete: false): ` +
        'read incompleteReasons in the last notification or in the function logs',
      // One data point per run (0 complete, 1 incomplete), one run per period: the minimum is 1 only
      // when every run of the period was incomplete. A period without a run does not count.
      metric: new cloudwatch.Metric({
        namespace,
        metricName: 'AuditIncomplete',
        dimensionsMap: { service: SERVICE_NAME, trigger: 'schedule' },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.minutes(runInterval),
      }),
      threshold: 1,
      evaluationPeriods: incompleteRunsToAlarm,
      datapointsToAlarm: incompleteRunsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.incompleteRunsAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    // Alarm-triggered runs come when a stage fails, not on a clock: one incomplete one is worth a look.
    // Manual and dry runs are measured (trigger manual, dry-run) but not alarmed: whoever started
    // one reads its summary.
    this.incompleteAlarmRunsAlarm = new cloudwatch.Alarm(this, 'IncompleteAlarmRunsAlarm', {
      alarmDescription:
        'An alarm-triggered audit run could not read everything (complete: false): its diagnosis of the failing stage may miss the cause',
      metric: new cloudwatch.Metric({
        namespace,
        metricName: 'AuditIncomplete',
        dimensionsMap: { service: SERVICE_NAME, trigger: 'alarm' },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(15),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const alarmIntake = this.organization?.alarmPath?.queueDeadLetterAlarm;
    const alarms = [
      this.alarm,
      this.deadLetterAlarm,
      this.incompleteRunsAlarm,
      this.incompleteAlarmRunsAlarm,
      ...(alarmIntake ? [alarmIntake] : []),
    ];
    for (const alarm of alarms.slice(3)) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    this.alarmsPublishStatement = this.allowAlarmsToPublish(alarms);

    const { partition, region, account } = Stack.of(this);
    this.allowEventBridgeRules([
      ...deadLetterSources.map((name) => `arn:${partition}:events:${region}:${account}:rule/${name}`),
      ...(this.organization?.eventRuleArns ?? []),
    ]);
    this.dashboard = this.createDashboard(namespace, timeout);
  }

  /**
   * EventBridge may use the key for these rules only: their failed deliveries land in the encrypted
   * dead-letter queue (and the alarm path's rules deliver to the encrypted alarm queue). The EventBridge
   * guide's "Using dead-letter queues" names the rule with `aws:SourceArn` in the key policy; AWS
   * documents `aws:SourceAccount` as unsupported for EventBridge to encrypted SNS topics, so the
   * account alone is not relied on.
   */
  private allowEventBridgeRules(ruleArns: readonly string[]): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTheStackRulesToUseTheKey',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
      }),
    );
  }

  /** One customer managed key for everything the stack stores: topic, state table, queue, logs. */
  private createKey(removalPolicy: RemovalPolicy): kms.Key {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the API network auditor topic, state table, dead-letter queue and logs',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(7),
    });
    const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    // Alarms publish to an encrypted topic only when CloudWatch may use its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: sameAccount,
      }),
    );
    // CloudWatch Logs encrypts a log group only with a key whose policy lets the Regional service use
    // it for log groups of this account and Region (the encryption context names the log group).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptTheLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
          },
        },
      }),
    );
    return key;
  }

  /** A standard topic of the stack's Region: alarms cannot notify another Region, nor publish to FIFO. */
  private importTopic(topicArn: string): sns.ITopic {
    const problem = existingTopicProblem(topicArn, Stack.of(this).region);
    if (problem) throw new Error(`NetworkAuditor: existingTopicArn '${topicArn}' ${problem}`);
    const topicRegion = topicArn.split(':')[3] ?? '';
    if (Token.isUnresolved(Stack.of(this).region)) {
      // The Region is known only at deploy time: CloudFormation checks it before creating anything.
      new CfnRule(this, 'ExistingTopicInStackRegion', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, topicRegion),
            assertDescription: `existingTopicArn is in ${topicRegion}: deploy the stack to ${topicRegion}, where its alarms can notify it`,
          },
        ],
      });
    }
    return sns.Topic.fromTopicArn(this, 'Topic', topicArn);
  }

  private createTopic(protocols: readonly SubscriptionProtocol[]): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'API network auditor',
      masterKey: this.key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowOnlyListedSubscriptionProtocols',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [topic.topicArn],
        conditions: { StringNotEquals: { 'sns:Protocol': [...protocols] } },
      }),
    );
    return topic;
  }

  /**
   * A topic policy replaces SNS's default one, which let the account's alarms publish: say it again,
   * for these alarms only. An existing topic's owner must allow the same (see `existingTopicArn`).
   */
  private allowAlarmsToPublish(alarms: cloudwatch.Alarm[]): iam.PolicyStatement {
    const statement = new iam.PolicyStatement({
      sid: 'AllowTheAuditorAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': alarms.map((alarm) => alarm.alarmArn) },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    });
    this.topic.addToResourcePolicy(statement);
    return statement;
  }

  /** Publish to the topic and read and write the state table (both under the stack key). */
  private grantNotify(role: iam.IRole): void {
    this.topic.grantPublish(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'The data-key actions AWS documents for publishing to an SSE topic, on the stack key only.',
    });
    this.stateTable.grant(role, ...STATE_TABLE_ACTIONS);
    // What DynamoDB asks of the caller for a table under a customer managed key (the queue's and the
    // topic's grants already cover their own use of the key).
    this.key.grant(role, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*');
  }

  /** The audit's read-only actions (lib/audit-read-policy.ts), for the audited Regions of this account. */
  private grantAuditReads(
    role: iam.Role,
    regions: readonly string[] | undefined,
    accessLogGroupPrefix: string | undefined,
  ): void {
    const { partition, account, region } = Stack.of(this);
    const scope = { partition, account, regions: regions ?? [region], accessLogGroupPrefix };
    const policy = new iam.Policy(this, 'AuditReadPolicy', { statements: auditReadStatements(scope) });
    policy.attachToRole(role);
    acknowledgeAuditReads(policy, scope);
  }

  private createDashboard(namespace: string, auditTimeout: Duration): cloudwatch.Dashboard {
    const metric = (metricName: string, statistic: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace,
        metricName,
        statistic,
        period: Duration.hours(1),
        dimensionsMap: { service: SERVICE_NAME, ...dimensions },
        ...(Object.values(dimensions)[0] ? { label: Object.values(dimensions)[0] } : {}),
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Stages audited by classification',
        left: CLASSIFICATIONS.map((classification) => metric('StagesAudited', 'Sum', { classification })),
        stacked: true,
      }),
      new cloudwatch.GraphWidget({
        title: 'Findings (FAIL, WARN, ERROR) by severity',
        left: SEVERITIES.map((severity) => metric('Findings', 'Sum', { severity })),
        stacked: true,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'AWS calls per audit',
        left: [metric('AwsCalls', 'Maximum'), metric('AwsCalls', 'Average')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Audit duration (ms)',
        left: [metric('AuditDurationMs', 'Maximum'), metric('AuditDurationMs', 'Average')],
        leftAnnotations: [{ value: auditTimeout.toMilliseconds(), label: 'function timeout' }],
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Auditor errors, failed and incomplete runs',
        alarms: [this.alarm, this.deadLetterAlarm, this.incompleteRunsAlarm],
      }),
    );
    return dashboard;
  }
}

/** Why a topic ARN cannot be the auditor's topic in `stackRegion` (unresolved: not checked here), or null. */
export function existingTopicProblem(topicArn: string, stackRegion: string): string | null {
  const [, , service, region, , name] = topicArn.split(':');
  if (service !== 'sns' || !region || !name) return 'is not an SNS topic ARN';
  if (name.endsWith('.fifo')) {
    return 'is a FIFO topic: CloudWatch alarms cannot notify it and the auditor publishes without a message group id; use a standard topic';
  }
  if (stackRegion && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
    return `is in ${region}, not in the stack's Region ${stackRegion}: CloudWatch alarms notify only a topic of their own Region`;
  }
  return null;
}

/** CloudWatch evaluates at most a day of periods shorter than an hour, seven days of longer ones. */
function assertIncompleteRunsToAlarm(runs: number, runIntervalMinutes: number): void {
  const maxRangeMinutes = runIntervalMinutes >= 60 ? 7 * 1440 : 1440;
  if (!Number.isInteger(runs) || runs < 1 || runs * runIntervalMinutes > maxRangeMinutes) {
    throw new Error(
      `NetworkAuditor: incompleteRunsToAlarm (${runs}) must be a whole number from 1 to ` +
        `${Math.floor(maxRangeMinutes / runIntervalMinutes)}: CloudWatch evaluates at most ` +
        `${maxRangeMinutes / 1440} day(s) of ${runIntervalMinutes}-minute periods`,
    );
  }
}

/** Checks the lookback against the schedule; returns the longest and shortest gaps between runs, in minutes. */
function assertScheduleCoversLookback(
  expression: string,
  lookbackMinutes: number,
): { maxGapMinutes: number; minGapMinutes: number } {
  const interval = scheduleInterval(expression);
  if (!interval.ok)
    throw new Error(`NetworkAuditor: schedule '${expression}' is not usable: ${interval.reason}`);
  if (lookbackMinutes < interval.maxGapMinutes) {
    throw new Error(
      `NetworkAuditor: lookback (${lookbackMinutes} min) is shorter than the longest gap between runs of ` +
        `'${expression}' (${interval.maxGapMinutes} min): the minutes in between would never be audited`,
    );
  }
  return interval;
}

/** The props that are settings of lambda/settings, by setting name, to hold them to the settings' rules. */
function settingsOfProps(
  props: NetworkAuditorProps,
  lookback: Duration,
  period: Duration,
): Partial<SettingValues> {
  return {
    ...props.settings,
    lookbackMinutes: lookback.toMinutes({ integral: false }),
    periodSeconds: period.toSeconds({ integral: false }),
    ...definedFields({
      regions: props.regions?.length ? props.regions : undefined,
      highErrorRatio: props.thresholds?.highErrorRatio,
      continuousPeriodShare: props.thresholds?.continuousPeriodShare,
      minRequests: props.thresholds?.minRequests,
      minSeverity: props.notify?.minSeverity,
      reminderIntervalHours: props.notify?.reminderIntervalHours,
      sendAllClear: props.notify?.sendAllClear,
      accessLogGroupPrefix: props.accessLogGroupPrefix,
    }),
  };
}

interface EnvironmentInput {
  accessLogGroupPrefix: string | undefined;
  settings: Partial<SettingValues>;
  topicArn: string;
  tableName: string;
  lookbackMinutes: number;
  periodSeconds: number;
  regions: string[] | undefined;
  thresholds: Thresholds;
  notify: NotifySettings;
  namespace: string;
}

/** The variables `lambda/config/environment.ts` parses. */
export function functionEnvironment(input: EnvironmentInput): Record<string, string> {
  return {
    ...environmentVariables(input.settings),
    TOPIC_ARN: input.topicArn,
    STATE_TABLE_NAME: input.tableName,
    LOOKBACK_MINUTES: String(input.lookbackMinutes),
    PERIOD_SECONDS: String(input.periodSeconds),
    ...(input.regions && input.regions.length > 0 ? { AUDIT_REGIONS: input.regions.join(',') } : {}),
    THRESHOLDS: JSON.stringify(input.thresholds),
    MIN_SEVERITY: input.notify.minSeverity,
    REMINDER_INTERVAL_HOURS: String(input.notify.reminderIntervalHours),
    SEND_ALL_CLEAR: String(input.notify.sendAllClear),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: input.namespace,
    ...(input.accessLogGroupPrefix ? { ACCESS_LOG_GROUP_PREFIX: input.accessLogGroupPrefix } : {}),
  };
}

/** A run that failed or timed out, or an item whose function failed (caught, it is an ERROR line). */
function organizationErrors(organization: OrganizationAudit): cloudwatch.IMetric {
  const period = Duration.minutes(5);
  return new cloudwatch.MathExpression({
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(itemErrors, 0)',
    usingMetrics: {
      failed: organization.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
      timedOut: organization.stateMachine.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }),
      itemErrors: organization.auditTargetFunction.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
    },
    period,
    label: 'Failed or timed-out runs, and failed items',
  });
}
