/**
 * The member-account, per-Region alarm template StackSets deploys: plain CloudFormation (no assets,
 * no bootstrap), the single-account stack's two stage 5xx alarms under fixed names, and a rule that
 * forwards their contributors entering ALARM to the auditor account's alarm bus with its own role, a
 * dead-letter queue and an alarm on it; disabled in the auditor's own account and Region.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import {
  MEMBER_ALARM_NAMES,
  MemberStageAlarmsStack,
  memberStageAlarmsTemplate,
} from '../../lib/member-stage-alarms-stack';
import { auditorApp, synthAuditor } from './auditor-app';
import { cfnLint } from './cfn-lint';
import { busArn, MEMBER_ALARM_PATTERN } from './member-alarm-events';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface MemberTemplate {
  Parameters: Record<
    string,
    { Type: string; Default?: number | string; MinValue?: number; MaxValue?: number }
  >;
  Rules?: Record<string, unknown>;
  Resources: Record<string, Resource>;
}

const BUS_ARN = busArn({ Ref: 'AuditorRegion' }, { Ref: 'AuditorAccountId' });

/** The template with each parameter reference replaced by its default, and joins of literals flattened. */
function withDefaults(value: unknown, parameters: MemberTemplate['Parameters']): unknown {
  if (Array.isArray(value)) return value.map((item) => withDefaults(item, parameters));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const ref = record.Ref;
  if (typeof ref === 'string' && parameters[ref]?.Default !== undefined) return parameters[ref]?.Default;
  const join = record['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) {
    const parts = join[1].map((part) => withDefaults(part, parameters));
    if (parts.every((part) => typeof part !== 'object')) return parts.join(join[0]);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, withDefaults(item, parameters)]),
  );
}

const ofType = (template: MemberTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

describe('the member-account alarm template (one per Region)', () => {
  const template = memberStageAlarmsTemplate() as unknown as MemberTemplate;

  it('holds the two alarms, the forwarding rule, its role, its dead-letter queue and alarm, and no asset or CDK metadata', () => {
    // Arrange / Act
    const types = Object.values(template.Resources)
      .map((resource) => resource.Type)
      .sort();

    // Assert
    expect(types).toEqual([
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
    ]);
    expect(JSON.stringify(template)).not.toMatch(/cdk-hnb659fds|AssetParameters|aws:cdk:path|aws:asset/);
    expect(template.Rules).toBeUndefined();
  });

  it('takes the auditor account and Region, and the thresholds with the stack defaults', () => {
    // Arrange / Act
    const { AuditorAccountId, AuditorRegion, AlarmErrorsPerMinute, AlarmDatapoints, ...others } =
      template.Parameters;

    // Assert
    expect(others).toEqual({});
    expect(AuditorAccountId?.Default).toBeUndefined();
    expect(AuditorRegion?.Default).toBeUndefined();
    expect(AlarmErrorsPerMinute).toMatchObject({ Type: 'Number', Default: 5, MinValue: 1 });
    expect(AlarmDatapoints).toMatchObject({ Type: 'Number', Default: 3, MinValue: 1, MaxValue: 180 });
  });

  it("defines the alarms exactly as the single-account stack does, under fixed names, at the parameters' defaults", () => {
    // Arrange
    const single = synthAuditor({}, { nag: false });
    const singleAlarms = Object.values(
      single.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>,
    )
      .map((alarm) => alarm.Properties)
      .filter((alarm) => JSON.stringify(alarm.Metrics ?? []).includes('SELECT'));

    // Act
    const memberAlarms = ofType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => JSON.stringify(alarm.Properties.Metrics ?? []).includes('SELECT'))
      .map(([, alarm]) => withDefaults(alarm.Properties, template.Parameters) as Record<string, unknown>);
    const names = memberAlarms.map((alarm) => alarm.AlarmName);
    const unnamed = memberAlarms.map(({ AlarmName: _, ...alarm }) => alarm);

    // Assert
    expect(singleAlarms).toHaveLength(2);
    expect(unnamed).toEqual(singleAlarms);
    expect(names).toEqual([MEMBER_ALARM_NAMES.rest, MEMBER_ALARM_NAMES.http]);
    const [rest] = ofType(template, 'AWS::CloudWatch::Alarm');
    expect(rest?.[1].Properties).toMatchObject({
      Threshold: { Ref: 'AlarmErrorsPerMinute' },
      EvaluationPeriods: { Ref: 'AlarmDatapoints' },
      DatapointsToAlarm: { Ref: 'AlarmDatapoints' },
    });
  });

  it("forwards those alarms' contributors entering ALARM, and nothing else, to the auditor's alarm bus, with a dead-letter queue", () => {
    // Arrange
    const [[, rule] = []] = ofType(template, 'AWS::Events::Rule');
    const [[roleId] = []] = ofType(template, 'AWS::IAM::Role');
    const [[queueId] = []] = ofType(template, 'AWS::SQS::Queue');

    // Act / Assert
    expect(JSON.stringify(BUS_ARN)).toContain(':event-bus/ApiNetworkAuditorAlarms');
    expect(rule?.Properties).toMatchObject({
      EventPattern: MEMBER_ALARM_PATTERN,
      Targets: [
        {
          Arn: BUS_ARN,
          Id: 'Target0',
          RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        },
      ],
    });
  });

  it("is disabled in the auditor's own account and Region (its alarms stay local), enabled everywhere else", () => {
    // Arrange
    const [[, rule] = []] = ofType(template, 'AWS::Events::Rule');
    const conditions = (template as unknown as { Conditions: Record<string, unknown> }).Conditions;

    // Act / Assert
    expect(rule?.Properties.State).toEqual({
      'Fn::If': ['ForwardsToAnotherAccountOrRegion', 'ENABLED', 'DISABLED'],
    });
    expect(conditions.ForwardsToAnotherAccountOrRegion).toEqual({
      'Fn::Not': [
        {
          'Fn::And': [
            { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'AuditorAccountId' }] },
            { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'AuditorRegion' }] },
          ],
        },
      ],
    });
  });

  it('alarms when a forwarded alarm lands in the dead-letter queue, under a fixed name', () => {
    // Arrange
    const [[queueId] = []] = ofType(template, 'AWS::SQS::Queue');
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    // Act / Assert
    expect(alarms).toContainEqual(
      expect.objectContaining({
        AlarmName: 'ApiNetworkAuditor-AlarmForwardingFailed',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
      }),
    );
  });

  it("gives the rule a role of its own, unnamed (one per Region), trusted by this account's EventBridge only, that may only put events on that bus", () => {
    // Arrange
    const [[roleId, role] = []] = ofType(template, 'AWS::IAM::Role');
    const policies = ofType(template, 'AWS::IAM::Policy').map(([, policy]) => policy.Properties);

    // Act / Assert
    expect(role?.Properties.RoleName).toBeUndefined();
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(policies).toEqual([
      expect.objectContaining({
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS_ARN }],
        },
      }),
    ]);
  });

  it('passes cfn-lint without an error or a warning', async () => {
    // Arrange / Act
    const findings = await cfnLint(template);

    // Assert
    expect(findings.map(({ Rule, Level, Message }) => ({ Rule, Level, Message }))).toEqual([]);
  });

  it("passes cdk-nag's AwsSolutions pack", () => {
    // Arrange
    const stack = new MemberStageAlarmsStack(auditorApp(), 'MemberAlarms');

    // Act / Assert: an unacknowledged finding throws at synth
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('npm run member-alarms-template', () => {
  it('writes the template to the file it is given', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'member-alarms-template-'));
    const out = join(dir, 'alarms.json');

    try {
      // Act
      await promisify(execFile)('npx', ['tsx', 'scripts/write-member-alarms-template.ts', '--out', out], {
        cwd: join(__dirname, '..', '..'),
      });

      // Assert
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(memberStageAlarmsTemplate());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
