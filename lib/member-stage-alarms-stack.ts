/**
 * The member-account, per-Region template of the organization-wide audit's alarm path (issue 17):
 * the two stage 5xx alarms of the single-account stack (the same `StageErrorAlarmPair`, so the two
 * cannot drift), under fixed names, and a rule forwarding their contributors entering ALARM to the
 * auditor account's default event bus, where the central stack starts an audit of that one account
 * and Region. Plain CloudFormation like the member role template (no assets, no bootstrap version,
 * no CDK metadata), so StackSets can deploy it to every Region of every member account.
 *
 * The forwarding role lives here, one per stack instance, with a name CloudFormation generates (so
 * it is unique per Region although IAM is global): each Region's instance is then self-contained
 * (deploying, updating or deleting one Region touches no other, and no ordering with the role
 * StackSet is needed), at the price of one small role per audited Region.
 */
import {
  App,
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnParameter,
  Duration,
  Fn,
  type IStackSynthesizer,
  Stack,
  type StackProps,
  StackSynthesizer,
  Validations,
} from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { asImplementationOf } from './cdk-interfaces';
import { deadLetterAlarm } from './dead-letter-alarm';
import {
  contributorInAlarmPattern,
  DEFAULT_ALARM_DATAPOINTS,
  DEFAULT_ALARM_ERRORS_PER_MINUTE,
  MAX_ALARM_DATAPOINTS,
  StageErrorAlarmPair,
} from './stage-error-alarms';

export const MEMBER_ALARMS_STACK_NAME = 'ApiNetworkAuditorMemberAlarms';
/** The alarm on the forwarding rule's dead-letter queue, in every member account and Region. */
export const FORWARD_DEAD_LETTER_ALARM_NAME = 'ApiNetworkAuditor-AlarmForwardingFailed';
/** The alarms' names in every member account and Region: the central rule matches them. */
export const MEMBER_ALARM_NAMES = {
  rest: 'ApiNetworkAuditor-RestStage5xx',
  http: 'ApiNetworkAuditor-HttpStage5xx',
} as const;

/** The central stack's bus for forwarded stage alarms (lib/organization-alarm-path.ts). */
export const ALARM_BUS_NAME = 'ApiNetworkAuditorAlarms';

/** The auditor account's alarm bus, in the Region the central stack is deployed in. */
export const centralBusArn = (partition: string, region: string, account: string): string =>
  `arn:${partition}:events:${region}:${account}:event-bus/${ALARM_BUS_NAME}`;

export class MemberStageAlarmsStack extends Stack {
  readonly alarms: StageErrorAlarmPair;
  readonly rule: events.Rule;
  readonly forwardRole: iam.Role;
  /** Where the forwarding rule puts an event it could not deliver, and the alarm on it. */
  readonly forwardDeadLetters: sqs.Queue;
  readonly forwardDeadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description:
        "API network auditor, member account and Region: stage 5xx alarms whose failing stages are sent to the central auditor's event bus",
      ...props,
      synthesizer: asImplementationOf<IStackSynthesizer>(new BootstraplessSynthesizer(), StackSynthesizer),
      analyticsReporting: false,
    });

    const auditorAccountId = new CfnParameter(this, 'AuditorAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'The account the central auditor stack is deployed in: its alarm bus receives the alarms',
    });
    const auditorRegion = new CfnParameter(this, 'AuditorRegion', {
      type: 'String',
      allowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d+$',
      description:
        'The Region the central auditor stack is deployed in (its alarm bus); there, in its own account, alarms stay local',
    });
    // A minute's 5xx count is a whole number: 1 is the lowest threshold that means anything.
    const errorsPerMinute = new CfnParameter(this, 'AlarmErrorsPerMinute', {
      type: 'Number',
      default: DEFAULT_ALARM_ERRORS_PER_MINUTE,
      minValue: 1,
      description:
        "5xx in one minute, on one stage, that count as a breaching minute (the central stack's alarmErrorsPerMinute)",
    });
    const datapoints = new CfnParameter(this, 'AlarmDatapoints', {
      type: 'Number',
      default: DEFAULT_ALARM_DATAPOINTS,
      minValue: 1,
      maxValue: MAX_ALARM_DATAPOINTS,
      description:
        "Breaching minutes in a row before a stage goes to ALARM (the central stack's alarmDatapoints)",
    });

    this.alarms = new StageErrorAlarmPair(this, 'StageAlarms', {
      errorsPerMinute: errorsPerMinute.valueAsNumber,
      datapointsToAlarm: datapoints.valueAsNumber,
      alarmNames: MEMBER_ALARM_NAMES,
    });

    const bus = events.EventBus.fromEventBusArn(
      this,
      'CentralBus',
      centralBusArn(Aws.PARTITION, auditorRegion.valueAsString, auditorAccountId.valueAsString),
    );
    // In the auditor's own account and Region the central stack's own rule takes the alarms (they
    // stay local): forwarding them to its own bus would start every run twice.
    const forwards = new CfnCondition(this, 'ForwardsToAnotherAccountOrRegion', {
      expression: Fn.conditionNot(
        Fn.conditionAnd(
          Fn.conditionEquals(Aws.ACCOUNT_ID, auditorAccountId.valueAsString),
          Fn.conditionEquals(Aws.REGION, auditorRegion.valueAsString),
        ),
      ),
    });
    this.forwardDeadLetters = new sqs.Queue(this, 'ForwardDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.forwardDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the forwarding rule.',
    });
    this.forwardDeadLetterAlarm = deadLetterAlarm(
      this,
      'ForwardDeadLetterAlarm',
      this.forwardDeadLetters,
      "Stage alarms could not be forwarded to the auditor's alarm bus (bus policy, Region or account): read the queue's messages",
      FORWARD_DEAD_LETTER_ALARM_NAME,
    );
    this.forwardRole = new iam.Role(this, 'ForwardRole', {
      description: "API network auditor: lets this Region's stage alarm rule put events on the auditor's bus",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
    });
    this.rule = new events.Rule(this, 'ForwardContributorInAlarm', {
      description:
        "Sends an API stage whose 5xx alarm contributor enters ALARM to the API network auditor's account",
      eventPattern: contributorInAlarmPattern([MEMBER_ALARM_NAMES.rest, MEMBER_ALARM_NAMES.http]),
      targets: [
        new eventTargets.EventBus(bus, { role: this.forwardRole, deadLetterQueue: this.forwardDeadLetters }),
      ],
    });
    // Disabled, not absent: the role, queue and policies stay as everywhere else.
    (this.rule.node.defaultChild as events.CfnRule).state = Fn.conditionIf(
      forwards.logicalId,
      'ENABLED',
      'DISABLED',
    ).toString();
  }
}

/** The member alarm template as CloudFormation JSON: what `npm run member-alarms-template` writes. */
export function memberStageAlarmsTemplate(): Record<string, unknown> {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = new MemberStageAlarmsStack(app, MEMBER_ALARMS_STACK_NAME);
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
