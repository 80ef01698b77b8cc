/**
 * What both ends of the organization's alarm path must agree on, as synthesized: the pattern of the
 * member rule that forwards and of the central rule that queues it, and the auditor's alarm bus.
 */
import { MEMBER_ALARM_NAMES } from '../../lib/member-stage-alarms-stack';

/** A member alarm's contributor entering ALARM, as an EventBridge pattern in the template. */
export const MEMBER_ALARM_PATTERN = {
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm Contributor State Change'],
  detail: {
    alarmName: [MEMBER_ALARM_NAMES.rest, MEMBER_ALARM_NAMES.http],
    state: { value: ['ALARM'] },
  },
};

/** The alarm bus ARN, its Region and account as the template names them. */
export const busArn = (region: unknown, account: unknown) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':events:',
      region,
      ':',
      account,
      ':event-bus/ApiNetworkAuditorAlarms',
    ],
  ],
});
