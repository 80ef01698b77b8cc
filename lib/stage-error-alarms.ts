import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONTRIBUTOR_STATE_CHANGE } from '../lambda/config/alarm-event';

export const DEFAULT_ALARM_ERRORS_PER_MINUTE = 5;
export const DEFAULT_ALARM_DATAPOINTS = 3;
/** Metrics Insights alarms evaluate the last 3 hours of data at most: 180 one-minute datapoints. */
export const MAX_ALARM_DATAPOINTS = 180;

/**
 * One Metrics Insights query per API kind, each returned series (one per stage) a contributor of
 * the alarm. REST metrics are keyed by API name, HTTP API metrics by API id (notes/aws-facts.md).
 * ORDER BY makes CloudWatch keep the worst 500 series when more exist (the Metrics Insights limit).
 */
export const STAGE_ERROR_QUERIES = {
  rest: 'SELECT SUM("5XXError") FROM SCHEMA("AWS/ApiGateway", ApiName, Stage) GROUP BY ApiName, Stage ORDER BY SUM() DESC',
  http: 'SELECT SUM("5xx") FROM SCHEMA("AWS/ApiGateway", ApiId, Stage) GROUP BY ApiId, Stage ORDER BY SUM() DESC',
} as const;

export interface StageErrorAlarmThresholds {
  /**
   * 5xx responses in one minute, on one stage, that count as a breaching datapoint.
   * @default 5
   */
  readonly errorsPerMinute?: number;
  /**
   * Consecutive breaching minutes before a stage's contributor goes to ALARM (M of M).
   * @default 3
   */
  readonly datapointsToAlarm?: number;
}

export interface StageErrorAlarmsProps extends StageErrorAlarmThresholds {
  /** The auditor function the contributor state changes are sent to. */
  readonly auditor: lambda.IFunction;
  /** Where EventBridge puts an event it could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Throws naming the prop when a threshold is outside what CloudWatch and the 3-hour window allow. A
 * threshold that is a token (the member template's parameter) is checked by CloudFormation instead.
 */
export function assertAlarmThresholds(thresholds: StageErrorAlarmThresholds): void {
  const given = (value: number | undefined): value is number =>
    value !== undefined && !Token.isUnresolved(value);
  const { errorsPerMinute, datapointsToAlarm } = thresholds;
  if (given(errorsPerMinute) && !(Number.isFinite(errorsPerMinute) && errorsPerMinute > 0)) {
    throw new Error(`StageErrorAlarms: errorsPerMinute (${errorsPerMinute}) must be a number above 0`);
  }
  if (
    given(datapointsToAlarm) &&
    !(
      Number.isInteger(datapointsToAlarm) &&
      datapointsToAlarm >= 1 &&
      datapointsToAlarm <= MAX_ALARM_DATAPOINTS
    )
  ) {
    throw new Error(
      `StageErrorAlarms: datapointsToAlarm (${datapointsToAlarm}) must be a whole number from 1 to ` +
        `${MAX_ALARM_DATAPOINTS} (Metrics Insights alarms evaluate the last 3 hours only)`,
    );
  }
}

export type StageAlarmKind = keyof typeof STAGE_ERROR_QUERIES;

const KIND_LABELS: Record<StageAlarmKind, string> = { rest: 'REST API', http: 'HTTP API' };

/**
 * The two stage 5xx alarms, defined once: the single-account stack and the member-account alarm
 * template (lib/member-stage-alarms-stack.ts) both create theirs here, so the two cannot drift.
 * `alarmNames` fixes the names (the member template: the central rule matches them by name).
 */
export class StageErrorAlarmPair extends Construct {
  readonly restAlarm: cloudwatch.Alarm;
  readonly httpAlarm: cloudwatch.Alarm;

  constructor(
    scope: Construct,
    id: string,
    props: StageErrorAlarmThresholds & { alarmNames?: Record<StageAlarmKind, string> },
  ) {
    super(scope, id);
    assertAlarmThresholds(props);
    const threshold = props.errorsPerMinute ?? DEFAULT_ALARM_ERRORS_PER_MINUTE;
    const datapoints = props.datapointsToAlarm ?? DEFAULT_ALARM_DATAPOINTS;
    const alarmOn = (alarmId: string, kind: StageAlarmKind) =>
      new cloudwatch.Alarm(scope, alarmId, {
        ...(props.alarmNames ? { alarmName: props.alarmNames[kind] } : {}),
        alarmDescription:
          `5xx per ${KIND_LABELS[kind]} stage, one contributor per stage: ${Tokenization.stringifyNumber(datapoints)} minute(s) in a row with ` +
          `${Tokenization.stringifyNumber(threshold)} or more sends the stage to the API network auditor`,
        metric: new cloudwatch.MathExpression({
          expression: STAGE_ERROR_QUERIES[kind],
          period: Duration.minutes(1),
          label: `${KIND_LABELS[kind]} stage 5xx`,
        }),
        threshold,
        evaluationPeriods: datapoints,
        datapointsToAlarm: datapoints,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // A stage with no 5xx publishes no datapoint: that is not an error.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.restAlarm = alarmOn('RestStage5xx', 'rest');
    this.httpAlarm = alarmOn('HttpStage5xx', 'http');
  }
}

/** The events the auditor acts on: a contributor of one of these alarms entering ALARM. */
export function contributorInAlarmPattern(alarmNames: string[]): events.EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: [CONTRIBUTOR_STATE_CHANGE],
    detail: { alarmName: alarmNames, state: { value: ['ALARM'] } },
  };
}

/**
 * Watches every API stage's 5xx in the account and Region with two Metrics Insights alarms (REST and
 * HTTP APIs; a new API joins without a redeploy), and sends each stage that enters ALARM to the
 * auditor as a "CloudWatch Alarm Contributor State Change" event, so the diagnosis follows the
 * first sustained errors within minutes instead of waiting for the next scheduled run.
 */
export class StageErrorAlarms extends Construct {
  readonly restAlarm: cloudwatch.Alarm;
  readonly httpAlarm: cloudwatch.Alarm;
  /** Sends contributors entering ALARM to the auditor. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: StageErrorAlarmsProps) {
    super(scope, id);
    // The alarms keep their construct paths (and logical ids) under this construct.
    const { restAlarm, httpAlarm } = new StageErrorAlarmPair(this, 'Alarms', props);
    this.restAlarm = restAlarm;
    this.httpAlarm = httpAlarm;

    this.rule = new events.Rule(this, 'ContributorInAlarm', {
      description: 'Sends an API stage whose 5xx alarm contributor enters ALARM to the API network auditor',
      eventPattern: contributorInAlarmPattern([this.restAlarm.alarmName, this.httpAlarm.alarmName]),
      targets: [
        new eventTargets.LambdaFunction(props.auditor, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 2,
          // Past an hour the scheduled run has taken over: a late diagnosis is not a fast one.
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
  }
}
