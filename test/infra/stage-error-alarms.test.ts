/**
 * The alarm-triggered audit as synthesized: two Metrics Insights alarms watching every stage's 5xx
 * (REST by ApiName+Stage, HTTP by ApiId+Stage), the rule that sends contributors entering ALARM to
 * the function, and the permission EventBridge needs to invoke it. Synths without bundling (the
 * bundled synth, cdk-nag included, is in network-auditor.test.ts and covers these resources too).
 */

import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { STAGE_ERROR_QUERIES, StageErrorAlarms } from '../../lib/stage-error-alarms';
import { synthAuditor } from './auditor-app';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const alarmsOf = (template: Template) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources)
    .map((alarm) => alarm.Properties)
    .filter((alarm) => JSON.stringify(alarm.Metrics ?? []).includes('SELECT'));

describe('stage 5xx alarms, as deployed by default', () => {
  let template: Template;

  beforeAll(() => {
    template = synthAuditor({});
  });

  it('watches every REST and every HTTP API stage with one Metrics Insights alarm each', () => {
    // Arrange / Act
    const alarms = alarmsOf(template);

    // Assert
    expect(alarms).toHaveLength(2);
    for (const query of [STAGE_ERROR_QUERIES.rest, STAGE_ERROR_QUERIES.http]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [
          { Id: Match.anyValue(), Expression: query, Period: 60, ReturnData: true, Label: Match.anyValue() },
        ],
        Threshold: 5,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    expect(STAGE_ERROR_QUERIES.rest).toMatch(/GROUP BY ApiName, Stage ORDER BY/);
    expect(STAGE_ERROR_QUERIES.http).toMatch(/GROUP BY ApiId, Stage ORDER BY/);
  });

  it('sends contributors of those two alarms entering ALARM, and nothing else, to the function', () => {
    // Arrange
    const alarmIds = Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Resources)
      .filter(([, alarm]) => JSON.stringify(alarm.Properties.Metrics ?? []).includes('SELECT'))
      .map(([logicalId]) => ({ Ref: logicalId }));
    const functionId = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) =>
      id.includes('Function'),
    );

    // Act / Assert
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm Contributor State Change'],
        detail: { alarmName: alarmIds, state: { value: ['ALARM'] } },
      },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('lets EventBridge invoke the function from that rule only', () => {
    // Arrange
    const [ruleId] = Object.entries(template.findResources('AWS::Events::Rule') as Resources)
      .filter(([, rule]) => rule.Properties.EventPattern !== undefined)
      .map(([logicalId]) => logicalId);

    // Act / Assert
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });
});

describe('stage 5xx alarms, configured', () => {
  it('takes the thresholds from the props', () => {
    // Arrange / Act
    const template = synthAuditor(
      { stageAlarms: { errorsPerMinute: 20, datapointsToAlarm: 2 } },
      { nag: false },
    );

    // Assert
    for (const alarm of alarmsOf(template)) {
      expect(alarm).toMatchObject({ Threshold: 20, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
    }
  });

  it('creates no stage alarm and no alarm rule when opted out: the auditor stays schedule-only', () => {
    // Arrange / Act
    const template = synthAuditor({ stageAlarms: false }, { nag: false });

    // Assert
    expect(alarmsOf(template)).toEqual([]);
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources);
    expect(rules.map((rule) => Object.keys(rule.Properties).includes('ScheduleExpression'))).toEqual([true]);
  });

  it.each([
    [{ errorsPerMinute: 0 }, /errorsPerMinute \(0\) must be a number above 0/],
    [{ datapointsToAlarm: 181 }, /datapointsToAlarm \(181\) must be a whole number from 1 to 180/],
    [{ datapointsToAlarm: 1.5 }, /datapointsToAlarm \(1.5\)/],
  ])('refuses thresholds CloudWatch cannot evaluate (%j)', (thresholds, message) => {
    // Arrange
    const stack = new Stack(new App(), 'Bad');
    const auditor = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });

    // Act / Assert
    expect(
      () =>
        new StageErrorAlarms(stack, 'Alarms', {
          ...thresholds,
          auditor,
          deadLetterQueue: new sqs.Queue(stack, 'Dlq'),
        }),
    ).toThrow(message);
  });
});
