import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIT_IAM_ACTIONS } from '../lambda/collect/iam-actions';

/** What the audit reads of API Gateway (`apigateway:GET`): APIs, their stages and integrations, VPC links. */
const API_GATEWAY_READ_PATHS = ['/restapis', '/restapis/*', '/apis', '/apis/*', '/vpclinks', '/vpclinks/*'];

import {
  accessLogGroupPrefixProblem,
  LOG_GROUP_SCOPED_ACTIONS,
  queryableLogGroupArns,
} from '../lambda/collect/log-groups';
import { CLASSIFICATIONS, SEVERITIES, type Thresholds } from '../lambda/domain/types';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../lambda/notify/settings';
import { DEFAULT_THRESHOLDS } from '../lambda/triage/classify-stage';
import { scheduleInterval } from './schedule-interval';
import { StageErrorAlarms, type StageErrorAlarmThresholds } from './stage-error-alarms';

export const DEFAULT_METRICS_NAMESPACE = 'ApiNetworkAuditor';
export const SERVICE_NAME = 'api-network-auditor';

/** What `lambda/notify/dynamodb-state-store.ts` calls on the state table (a test keeps the two in step). */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Scan',
] as const;

export interface NetworkAuditorProps {
  /**
   * Email address subscribed to the findings topic (AWS sends a confirmation mail first).
   * @default - no email subscription
   */
  readonly alertEmail?: string;
  /**
   * Publish findings and alarms to this existing topic instead of creating one. When that topic is
   * KMS-encrypted, its key policy must let the auditor's role and CloudWatch use the key.
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
   * Reserve a concurrency of 1 so that runs never overlap. Accounts whose concurrency quota is the
   * minimum (10) cannot reserve any: set false there.
   * @default true
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Access-log groups whose name starts with this are searched for network errors, and only those:
   * the role may query every API Gateway execution log group and these, no other log group.
   * @default - access-log groups are not searched
   */
  readonly accessLogGroupPrefix?: string;
  /**
   * CloudWatch namespace of the function's own EMF metrics.
   * @default 'ApiNetworkAuditor'
   */
  readonly metricsNamespace?: string;
  /**
   * Alarm-triggered audits: Metrics Insights alarms on every stage's 5xx send a stage that enters
   * ALARM to the auditor within minutes. `false` keeps the auditor schedule-only.
   * @default - on, with DEFAULT_ALARM_ERRORS_PER_MINUTE and DEFAULT_ALARM_DATAPOINTS (lib/stage-error-alarms.ts)
   */
  readonly stageAlarms?: StageErrorAlarmThresholds | false;
  /**
   * What happens to the state table, key, queue and log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY (the state is only de-duplication memory)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The auditor, deployed: a scheduled Lambda that audits API Gateway stages behind VPC links and
 * publishes what it finds to an SNS topic (and by email), with the state table that keeps it from
 * repeating itself, a dead-letter queue for failed runs, an alarm on errors and a dashboard.
 */
export class NetworkAuditor extends Construct {
  readonly topic: sns.ITopic;
  /** The customer managed key of the topic; undefined when an existing topic is used. */
  readonly topicKey?: kms.IKey;
  readonly function: nodejs.NodejsFunction;
  readonly rule: events.Rule;
  readonly stateTable: dynamodb.Table;
  readonly alarm: cloudwatch.Alarm;
  /** Fires when a run's event lands in the dead-letter queue (it failed after its retries). */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly deadLetterQueue: sqs.Queue;
  readonly logGroup: logs.LogGroup;
  readonly dashboard: cloudwatch.Dashboard;
  /** The stage 5xx alarms and their rule; undefined when `stageAlarms` is false. */
  readonly stageAlarms?: StageErrorAlarms;

  constructor(scope: Construct, id: string, props: NetworkAuditorProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const schedule = props.schedule ?? events.Schedule.expression('rate(60 minutes)');
    const lookback = props.lookback ?? Duration.minutes(60);
    const period = props.period ?? Duration.minutes(5);
    const timeout = props.timeout ?? Duration.minutes(5);
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    assertScheduleCoversLookback(schedule.expressionString, lookback.toMinutes());
    const prefixProblem =
      props.accessLogGroupPrefix !== undefined
        ? accessLogGroupPrefixProblem(props.accessLogGroupPrefix)
        : null;
    if (prefixProblem) throw new Error(`NetworkAuditor: accessLogGroupPrefix ${prefixProblem}`);

    const { topic, key } = this.createTopic(props.existingTopicArn, removalPolicy);
    this.topic = topic;
    this.topicKey = key;
    if (props.alertEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));

    this.stateTable = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'findingId', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
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
      removalPolicy,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'API network auditor: read-only audit actions, publish to its topic, its state table',
    });
    this.logGroup.grantWrite(role);
    this.grantAuditReads(role, props.regions, props.accessLogGroupPrefix);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', 'lambda', 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      reservedConcurrentExecutions: props.reserveConcurrency === false ? undefined : 1,
      retryAttempts: 1,
      onFailure: new lambdaDestinations.SqsDestination(this.deadLetterQueue),
      description: 'Finds why API Gateway returns 504 Network error communicating with endpoint',
      environment: functionEnvironment({
        topicArn: topic.topicArn,
        tableName: this.stateTable.tableName,
        lookbackMinutes: lookback.toMinutes(),
        periodSeconds: period.toSeconds(),
        regions: props.regions,
        thresholds: { ...DEFAULT_THRESHOLDS, ...props.thresholds },
        notify: { ...DEFAULT_NOTIFY_SETTINGS, ...props.notify },
        namespace,
        accessLogGroupPrefix: props.accessLogGroupPrefix,
      }),
      bundling: {
        forceDockerBundling: false,
        // The runtime's SDK lags the versions this code is tested with: ship the pinned ones.
        bundleAwsSDK: true,
        minify: true,
        sourceMap: true,
      },
    });
    topic.grantPublish(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'The data-key actions AWS documents for publishing to an SSE topic, on the topic key only.',
    });
    this.stateTable.grant(role, ...STATE_TABLE_ACTIONS);

    this.rule = new events.Rule(this, 'Schedule', {
      schedule,
      description: 'Runs the API network audit',
      targets: [
        new eventTargets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    this.alarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The API network auditor failed: read its log group, and its dead-letter queue',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'A run of the API network auditor failed after its retries: its event is in the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));

    if (props.stageAlarms !== false) {
      const { deadLetterQueue } = this;
      this.stageAlarms = new StageErrorAlarms(this, 'StageAlarms', {
        ...props.stageAlarms,
        auditor: this.function,
        deadLetterQueue,
      });
    }
    this.dashboard = this.createDashboard(namespace);
  }

  private createTopic(
    existingTopicArn: string | undefined,
    removalPolicy: RemovalPolicy,
  ): { topic: sns.ITopic; key?: kms.IKey } {
    if (existingTopicArn) return { topic: sns.Topic.fromTopicArn(this, 'Topic', existingTopicArn) };
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the API network auditor findings topic',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(7),
    });
    // Alarms publish to an encrypted topic only when CloudWatch may use its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'API network auditor',
      masterKey: key,
      enforceSSL: true,
    });
    return { topic, key };
  }

  /**
   * The audit's read-only actions, from the collectors' own list. API Gateway reads are limited to
   * the REST APIs, HTTP APIs and VPC links; the other reads (List/Describe/GetMetricData...) support
   * no resource narrower than `*`.
   */
  private grantAuditReads(
    role: iam.Role,
    regions: readonly string[] | undefined,
    accessLogGroupPrefix: string | undefined,
  ): void {
    const { partition, account, region } = Stack.of(this);
    const apiGatewayReads = API_GATEWAY_READ_PATHS.map((path) => `arn:${partition}:apigateway:*::${path}`);
    const logGroupScoped: readonly string[] = LOG_GROUP_SCOPED_ACTIONS;
    const logQueries = queryableLogGroupArns(partition, account, regions ?? [region], accessLogGroupPrefix);
    const policy = new iam.Policy(this, 'AuditReadPolicy', {
      statements: [
        new iam.PolicyStatement({ actions: ['apigateway:GET'], resources: apiGatewayReads }),
        // Logs Insights queries: only the execution log groups and the access-log prefix.
        new iam.PolicyStatement({ actions: [...logGroupScoped], resources: logQueries }),
        new iam.PolicyStatement({
          actions: AUDIT_IAM_ACTIONS.filter(
            (action) => action !== 'apigateway:GET' && !logGroupScoped.includes(action),
          ),
          resources: ['*'],
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Read-only List/Describe/GetMetricData actions of the audit; none supports a narrower resource.',
    });
    // cdk-nag names each resource with the template's placeholders for the partition, account and Region.
    const named = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const placeholders = queryableLogGroupArns(
      '<AWS::Partition>',
      named(account, '<AWS::AccountId>'),
      regions ?? [named(region, '<AWS::Region>')],
      accessLogGroupPrefix,
    );
    for (const resource of placeholders) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'Logs Insights queries limited to API Gateway execution log groups and the configured access-log prefix.',
      });
    }
    for (const path of API_GATEWAY_READ_PATHS) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:*::${path}]`,
        reason:
          'API Gateway reads limited to APIs and VPC links, in every Region the audit covers (Region *).',
      });
    }
  }

  private createDashboard(namespace: string): cloudwatch.Dashboard {
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
        leftAnnotations: [{ value: this.function.timeout?.toMilliseconds() ?? 0, label: 'function timeout' }],
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Auditor errors and failed runs',
        alarms: [this.alarm, this.deadLetterAlarm],
      }),
    );
    return dashboard;
  }
}

function assertScheduleCoversLookback(expression: string, lookbackMinutes: number): void {
  const interval = scheduleInterval(expression);
  if (!interval.ok)
    throw new Error(`NetworkAuditor: schedule '${expression}' is not usable: ${interval.reason}`);
  if (lookbackMinutes < interval.maxGapMinutes) {
    throw new Error(
      `NetworkAuditor: lookback (${lookbackMinutes} min) is shorter than the longest gap between runs of ` +
        `'${expression}' (${interval.maxGapMinutes} min): the minutes in between would never be audited`,
    );
  }
}

interface EnvironmentInput {
  accessLogGroupPrefix: string | undefined;
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
    NODE_OPTIONS: '--enable-source-maps',
    ...(input.accessLogGroupPrefix ? { ACCESS_LOG_GROUP_PREFIX: input.accessLogGroupPrefix } : {}),
  };
}
