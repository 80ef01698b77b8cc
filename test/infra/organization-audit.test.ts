/**
 * Central mode (issue 17): the Step Functions fan-out over accounts x Regions, its functions' IAM,
 * the parts bucket, the schedule that starts it; cdk-nag (at synth) and cfn-lint on the template.
 */

import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { AUDIT_IAM_ACTIONS } from '../../lambda/iam-actions';
import { NetworkAuditor, STATE_TABLE_ACTIONS } from '../../lib/network-auditor';
import { NetworkAuditorStack } from '../../lib/network-auditor-stack';
import { auditorApp, synthAuditor } from './auditor-app';
import { cfnLint } from './cfn-lint';
import { MEMBER_ALARM_PATTERN } from './member-alarm-events';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Effect: string;
}
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  [key: string]: unknown;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

const ORGANIZATION = {
  memberRoleName: 'ApiNetworkAuditorMember',
  organizationalUnitIds: ['ou-ab12-cdef3456'],
  maxConcurrency: 25,
};

/** The state machine's definition, with each CloudFormation reference written as `<logical id>`. */
function definitionOf(template: Template): Definition {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine') as Resources);
  if (!machine) throw new Error('no state machine in the template');
  const joined = (machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = joined
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return `<${ref.Ref ?? ref['Fn::GetAtt']?.[0]}>`;
    })
    .join('');
  return JSON.parse(text) as Definition;
}

/** The states from `StartAt`, following `Next`. */
function statesInOrder(states: Record<string, State>, startAt: string): string[] {
  const order: string[] = [];
  for (let name: string | undefined = startAt; name; name = states[name]?.Next) order.push(name);
  return order;
}

/** Every statement of the policies attached to the role whose description starts with `description`. */
function statementsOfRole(template: Template, description: string): Statement[] {
  const roles = template.findResources('AWS::IAM::Role') as Resources;
  const [roleId] = Object.entries(roles).find(([, role]) =>
    String(role.Properties.Description ?? '').startsWith(description),
  ) ?? [undefined];
  if (!roleId) throw new Error(`no role described '${description}'`);
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (statements: Statement[]): string[] =>
  [...new Set(statements.flatMap((statement) => ([] as string[]).concat(statement.Action)))].sort();

describe('NetworkAuditor in central mode (organization)', () => {
  let template: Template;
  let definition: Definition;

  beforeAll(() => {
    // Bundled: esbuild builds the three org handlers; cdk-nag and the validator throw on any finding.
    template = synthAuditor(
      { organization: ORGANIZATION, regions: ['us-east-1', 'eu-west-1'] },
      { bundle: true },
    );
    definition = definitionOf(template);
  }, 300_000);

  it('runs ListTargets, then a Distributed Map over the accounts x Regions, then MergeAndNotify', () => {
    // Arrange / Act
    const order = statesInOrder(definition.States, definition.StartAt);

    // Assert
    expect(order).toEqual(['ListTargets', 'AuditEachTarget', 'MergeAndNotify']);
    expect(definition.States.MergeAndNotify?.End).toBe(true);
    expect(definition.States.ListTargets?.Parameters).toEqual({
      'runId.$': '$$.Execution.Name',
      'input.$': '$',
    });
  });

  it('reads the items from S3, bounds the concurrency, and lets no item stop the others', () => {
    // Arrange
    const map = definition.States.AuditEachTarget as State & Record<string, unknown>;

    // Act / Assert
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 25,
      ToleratedFailurePercentage: 100,
      ResultPath: null,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'AuditTarget',
      },
      ItemReader: {
        Resource: 'arn:<AWS::Partition>:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: expect.stringMatching(/^<.*PartsBucket.*>$/), 'Key.$': '$.targetsKey' },
      },
    });
  });

  it('catches any failure of an item and writes it as that target’s ERROR part', () => {
    // Arrange
    const processor = (definition.States.AuditEachTarget as unknown as { ItemProcessor: Definition })
      .ItemProcessor;
    const { AuditTarget: item, DescribeFailure: describe, WriteFailurePart: write } = processor.States;

    // Act / Assert
    expect(Object.keys(processor.States)).toEqual(['AuditTarget', 'DescribeFailure', 'WriteFailurePart']);
    expect(item).toMatchObject({
      Type: 'Task',
      End: true,
      OutputPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'DescribeFailure' }],
    });
    expect(item?.Retry).toEqual(
      expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['Lambda.TooManyRequestsException'] })]),
    );
    expect(describe).toMatchObject({
      Type: 'Pass',
      Next: 'WriteFailurePart',
      Parameters: {
        'runId.$': '$.runId',
        'target.$': '$.target',
        error: { action: 'AuditTarget', 'code.$': '$.failure.Error', 'message.$': '$.failure.Cause' },
      },
    });
    expect(write).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:s3:putObject',
      End: true,
      Parameters: { 'Key.$': '$.partKey', 'Body.$': 'States.JsonToString($.outcome)' },
    });
  });

  it('never lets two runs overlap: a run times out at the schedule interval', () => {
    // Arrange / Act / Assert
    expect(definition.TimeoutSeconds).toBe(3600);
  });

  it('times a run out at the shortest gap of an irregular cron (runs at :00 and :10 of each hour)', () => {
    // Arrange / Act
    const irregular = synthAuditor(
      {
        organization: ORGANIZATION,
        schedule: events.Schedule.expression('cron(0,10 * * * ? *)'),
        lookback: Duration.minutes(60),
      },
      { nag: false },
    );

    // Assert: the longest gap (50 min) would let the 10:10 run still be going at 11:00
    expect(definitionOf(irregular).TimeoutSeconds).toBe(600);
  });

  it('logs every execution event to its own encrypted log group', () => {
    // Arrange / Act / Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StateMachineLogs'), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('starts the state machine on the schedule, with the dead-letter queue, and has no single-account function', () => {
    // Arrange
    const functions = Object.values(template.findResources('AWS::Lambda::Function') as Resources);

    // Act / Assert
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(60 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('OrganizationStateMachine') },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
    const described = functions
      .map((fn) => fn.Properties.Description)
      .filter((text) => typeof text === 'string');
    expect(described.sort()).toEqual([
      'API network auditor, organization: audits one account and Region with its member role',
      'API network auditor, organization: lists the accounts x Regions of a run',
      'API network auditor, organization: merges the parts into one report and notifies',
    ]);
    // The stage alarms are the member alarm template's, in each member account: none in the auditor's.
    expect(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => /StageAlarms/.test(id)),
    ).toEqual([]);
  });

  it('lets the item function assume only the member role, in accounts of its own organization, and read nothing itself', () => {
    // Arrange
    const statements = statementsOfRole(template, 'API network auditor: audits one member account');

    // Act
    const assume = statements.filter((statement) => statement.Action === 'sts:AssumeRole');

    // Assert
    expect(assume).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/ApiNetworkAuditorMember']],
        },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
        Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
      },
    ]);
    expect(actionsOf(statements)).toEqual([
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'sts:AssumeRole',
    ]);
    expect(actionsOf(statements).filter((action) => AUDIT_IAM_ACTIONS.includes(action))).toEqual([]);
    // The one principal every member role trusts (aws:PrincipalArn): a fixed name and path.
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'API network auditor: audits one member account and Region',
      RoleName: 'ApiNetworkAuditorCentral',
      Path: '/api-network-auditor/',
    });
  });

  it('gives ListTargets the Organizations list actions and the merge step the topic, the table and the parts', () => {
    // Arrange / Act
    const list = actionsOf(statementsOfRole(template, 'API network auditor: lists the accounts'));
    const merge = actionsOf(statementsOfRole(template, 'API network auditor: merges the parts'));

    // Assert
    expect(list).toEqual([
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      's3:PutObject',
    ]);
    expect(merge).toEqual([
      ...STATE_TABLE_ACTIONS,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKey*',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sns:Publish',
    ]);
    // ListBucket makes a missing part a 404 (not a 403 like a denied one), on the runs/ prefix only.
    expect(
      statementsOfRole(template, 'API network auditor: merges the parts').filter(
        (statement) => statement.Action === 's3:ListBucket',
      ),
    ).toEqual([
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/PartsBucket/), 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['runs/*'] } },
      },
    ]);
  });

  it('keeps the parts in an encrypted, SSL-only, private bucket that expires them, emptied by cdk destroy', () => {
    // Arrange / Act / Assert
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 7, Status: 'Enabled' })],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('passes cfn-lint without an error or a warning', async () => {
    // Arrange / Act
    const findings = await cfnLint(template);

    // Assert
    expect(findings.map(({ Rule, Level, Message }) => ({ Rule, Level, Message }))).toEqual([]);
  });
});

describe('NetworkAuditor in central mode with a list of accounts', () => {
  it('lets the item function assume the member role in exactly those accounts, and never calls Organizations', () => {
    // Arrange
    const template = synthAuditor({
      organization: { memberRoleName: 'Auditor', accounts: ['111111111111', '222222222222'] },
    });

    // Act
    const assume = statementsOfRole(template, 'API network auditor: audits one member account').filter(
      (statement) => statement.Action === 'sts:AssumeRole',
    );
    const list = actionsOf(statementsOfRole(template, 'API network auditor: lists the accounts'));

    // Assert
    expect(assume).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Resource: ['111111111111', '222222222222'].map((account) => ({
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/Auditor`]],
        })),
      },
    ]);
    expect(list.filter((action) => action.startsWith('organizations:'))).toEqual([]);
  });

  it('passes cdk-nag in a stack with a concrete account and Region (the acknowledgements name them)', () => {
    // Arrange
    const stack = new NetworkAuditorStack(auditorApp(), 'Pinned', {
      env: { account: '999999999999', region: 'eu-west-1' },
      auditor: { organization: { memberRoleName: 'Auditor' } },
    });

    // Act / Assert: an unacknowledged finding throws at synth
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('refuses accounts and organizational units together, and a malformed account id', () => {
    // Arrange
    const stack = new Stack(auditorApp({ nag: false }), 'S');

    // Act / Assert
    expect(
      () =>
        new NetworkAuditor(stack, 'A', {
          organization: {
            memberRoleName: 'Auditor',
            accounts: ['1234'],
            organizationalUnitIds: ['ou-ab12-cdef3456'],
          },
        }),
    ).toThrow(/'1234' is not a 12-digit account id; give accounts or organizationalUnitIds, not both/);
  });
});

describe('NetworkAuditor without organization (the twin)', () => {
  it('has no state machine, no parts bucket, and its schedule starts the single-account function', () => {
    // Arrange / Act
    const template = synthAuditor({});

    // Assert
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(60 minutes)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditorFunction'), 'Arn'] } }),
      ],
    });
  });
});

describe('NetworkAuditor in central mode: the member accounts’ stage alarms', () => {
  const ORG_ID = 'o-abcd123456';
  const CONTRIBUTOR = 'CloudWatch Alarm Contributor State Change';
  const alarmRules = (template: Template) =>
    Object.values(template.findResources('AWS::Events::Rule') as Resources).filter(
      (rule) => rule.Properties.EventPattern !== undefined,
    );
  const synthStack = (auditor: ConstructorParameters<typeof NetworkAuditorStack>[2]) => {
    const stack = new NetworkAuditorStack(auditorApp(), 'Auditor', auditor);
    return { stack, template: Template.fromStack(stack) };
  };
  let template: Template;

  beforeAll(() => {
    template = synthAuditor({ organization: { memberRoleName: 'Auditor', organizationId: ORG_ID } });
  });

  it('admits to a dedicated alarm bus (never the default one) only the organization, and only CloudWatch contributor events', () => {
    // Arrange
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));

    // Act / Assert
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ApiNetworkAuditorAlarms' });
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: busId },
      StatementId: 'ApiNetworkAuditorMemberAlarms',
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
        Condition: {
          StringEquals: {
            'aws:PrincipalOrgID': ORG_ID,
            'events:source': ['aws.cloudwatch'],
            'events:detail-type': [CONTRIBUTOR],
          },
        },
      },
    });
  });

  it('queues every forwarded alarm (the bus rule) and the account’s own (a default-bus rule) on one FIFO queue, never straight to a run', () => {
    // Arrange
    const [queueId] = Object.entries(template.findResources('AWS::SQS::Queue') as Resources).find(
      ([, queue]) => queue.Properties.ContentBasedDeduplication === true,
    ) ?? [''];
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));

    // Act
    const rules = alarmRules(template);

    // Assert
    expect(rules).toHaveLength(2);
    for (const rule of rules)
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          SqsParameters: { MessageGroupId: 'member-stage-alarms' },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        }),
      ]);
    const [member, own] = [
      rules.find((rule) => rule.Properties.EventBusName !== undefined),
      rules.find((rule) => rule.Properties.EventBusName === undefined),
    ];
    expect(member?.Properties).toMatchObject({
      EventBusName: { Ref: busId },
      EventPattern: MEMBER_ALARM_PATTERN,
    });
    expect(member?.Properties.EventPattern).not.toHaveProperty('account');
    expect(own?.Properties.EventPattern).toEqual({
      ...MEMBER_ALARM_PATTERN,
      account: [{ Ref: 'AWS::AccountId' }],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: true,
      MessageRetentionPeriod: 3600,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: Match.anyValue() },
    });
    // Only these two rules may send to the queue.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowTheAlarmRulesToSend',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnEquals: {
                'aws:SourceArn': [
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('MemberStageAlarm'), 'Arn'] },
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('OwnStageAlarm'), 'Arn'] },
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  it('starts a run only through the pipe, one message at a time, after the intake function admits the event', () => {
    // Arrange
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const [intakeId] = Object.entries(functions).find(([, fn]) =>
      String(fn.Properties.Description).includes('admits forwarded stage alarms'),
    ) ?? [''];

    // Act / Assert
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmPathQueue'), 'Arn'] },
      SourceParameters: { SqsQueueParameters: { BatchSize: 1 } },
      Enrichment: { 'Fn::GetAtt': [intakeId, 'Arn'] },
      Target: { Ref: Match.stringLikeRegexp('OrganizationStateMachine') },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } },
    });
    // No alarm rule targets the state machine: every alarm goes through the queue and the intake.
    expect(alarmRules(template).flatMap((rule) => JSON.stringify(rule.Properties.Targets))).not.toEqual(
      expect.arrayContaining([expect.stringContaining('StateMachine')]),
    );
  });

  it('names exactly the stack’s rules in the key policy for EventBridge (aws:SourceArn), not the account', () => {
    // Arrange
    const [key] = Object.values(template.findResources('AWS::KMS::Key') as Resources);
    const policy = key?.Properties.KeyPolicy as { Statement: (Statement & { Principal?: unknown })[] };
    const statements = policy.Statement;
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources).map((rule) =>
      String(rule.Properties.Name),
    );

    // Act
    const forEventBridge = statements.filter(
      (statement) => JSON.stringify(statement.Principal) === '{"Service":"events.amazonaws.com"}',
    );

    // Assert: the schedule, and the two alarm rules (one on the alarm bus: rule/<bus>/<name>)
    expect(forEventBridge).toHaveLength(1);
    const condition = forEventBridge[0]?.Condition as { ArnEquals: { 'aws:SourceArn': unknown[] } };
    expect(Object.keys(condition)).toEqual(['ArnEquals']);
    expect(condition.ArnEquals['aws:SourceArn']).toHaveLength(3);
    const named = JSON.stringify(condition.ArnEquals['aws:SourceArn']);
    expect(rules).toHaveLength(3);
    for (const name of rules) expect(named).toContain(name);
    expect(named).toContain(':rule/ApiNetworkAuditorAlarms/');
  });

  it('alarms to the topic when the intake keeps failing on a queued alarm (its dead-letter queue)', () => {
    // Act / Assert
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmPathQueueDeadLetters'), 'QueueName'] },
        },
      ],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
  });

  it('lets ListTargets check one alarm account (DescribeAccount, ListParents), not only list them', () => {
    // Arrange / Act
    const withUnits = synthAuditor({
      organization: {
        memberRoleName: 'Auditor',
        organizationId: ORG_ID,
        organizationalUnitIds: ['ou-ab12-cdef3456'],
      },
    });
    const list = actionsOf(statementsOfRole(withUnits, 'API network auditor: lists the accounts'));

    // Assert
    expect(list.filter((action) => action.startsWith('organizations:'))).toEqual([
      'organizations:DescribeAccount',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListParents',
    ]);
  });

  it('admits exactly the listed accounts, and matches only their events, with orgAccounts', () => {
    // Arrange
    const accounts = ['111111111111', '222222222222'];
    const listed = synthAuditor({ organization: { memberRoleName: 'Auditor', accounts } });

    // Act
    const member = alarmRules(listed).find((rule) => rule.Properties.EventBusName !== undefined);
    const list = actionsOf(statementsOfRole(listed, 'API network auditor: lists the accounts'));

    // Assert
    listed.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Principal: {
          AWS: accounts.map((account) => ({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]],
          })),
        },
        Action: 'events:PutEvents',
        Resource: Match.anyValue(),
        Condition: {
          StringEquals: { 'events:source': ['aws.cloudwatch'], 'events:detail-type': [CONTRIBUTOR] },
        },
      },
    });
    expect((member?.Properties.EventPattern as { account?: string[] } | undefined)?.account).toEqual(
      accounts,
    );
    expect(list.filter((action) => action.startsWith('organizations:'))).toEqual([]);
  });

  it('has no bus policy and no alarm rule without an organization id or accounts, and warns at synth', () => {
    // Arrange / Act
    const { stack, template: withoutOrg } = synthStack({
      auditor: { organization: { memberRoleName: 'Auditor' } },
    });

    // Assert
    withoutOrg.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    withoutOrg.resourceCountIs('AWS::Pipes::Pipe', 0);
    expect(alarmRules(withoutOrg)).toEqual([]);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('no alarm-triggered audits'));
  });

  it('has neither, and no warning, with stageAlarms=false (schedule only, as asked)', () => {
    // Arrange / Act
    const { stack, template: scheduleOnly } = synthStack({
      auditor: { stageAlarms: false, organization: { memberRoleName: 'Auditor', organizationId: ORG_ID } },
    });

    // Assert
    scheduleOnly.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(alarmRules(scheduleOnly)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('alarm'));
  });

  it('refuses a malformed organization id', () => {
    // Arrange
    const stack = new Stack(auditorApp({ nag: false }), 'S');

    // Act / Assert
    expect(
      () =>
        new NetworkAuditor(stack, 'A', {
          organization: { memberRoleName: 'Auditor', organizationId: 'abc' },
        }),
    ).toThrow(/organizationId 'abc' is not an organization id/);
  });

  it('passes cfn-lint without an error or a warning', async () => {
    // Arrange / Act
    const findings = await cfnLint(template);

    // Assert
    expect(findings.map(({ Rule, Level, Message }) => ({ Rule, Level, Message }))).toEqual([]);
  });
});
