import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LOG_GROUP_SCOPED_ACTIONS } from '../../lambda/collect/log-groups';
import { AUDIT_IAM_ACTIONS } from '../../lambda/iam-actions';
import { NetworkAuditor } from '../../lib/network-auditor';
import { NetworkAuditorStack } from '../../lib/network-auditor-stack';
import { auditorApp, synthAuditor } from './auditor-app';
import { cfnLint } from './cfn-lint';

/** lib-dynamodb command name -> the IAM action it needs. */
const DOCUMENT_COMMAND_ACTIONS: Record<string, string> = {
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  TransactGet: 'GetItem',
  TransactWrite: 'PutItem',
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Every action granted to the function's role, by whether it is granted on `*`. */
function roleActions(template: Template): { onStar: string[]; scoped: string[] } {
  const roles = Object.keys(template.findResources('AWS::IAM::Role'));
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) => roles.includes(role.Ref)),
  );
  const onStar = new Set<string>();
  const scoped = new Set<string>();
  for (const policy of policies) {
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    for (const statement of statements) {
      const actions = ([] as string[]).concat(statement.Action as string | string[]);
      for (const action of actions) (statement.Resource === '*' ? onStar : scoped).add(action);
    }
  }
  return { onStar: [...onStar].sort(), scoped: [...scoped].sort() };
}

type Statement = Record<string, unknown>;

/** The statements of the stack's only topic policy. */
function topicPolicyStatements(template: Template): Statement[] {
  const { properties } = sole(template, 'AWS::SNS::TopicPolicy');
  return (properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

const sole = (template: Template, type: string) => {
  const [entry] = Object.entries(template.findResources(type) as Resources);
  if (!entry) throw new Error(`no ${type} in the template`);
  return { logicalId: entry[0], properties: entry[1].Properties };
};

/** The alarms that notify the topic (the stage 5xx alarms act through EventBridge, not the topic). */
const notifyingAlarms = (template: Template): string[] =>
  Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(
      ([, alarm]) =>
        ((alarm as { Properties?: { AlarmActions?: unknown[] } }).Properties?.AlarmActions ?? []).length > 0,
    )
    .map(([id]) => id);

describe('NetworkAuditor, as deployed by default', () => {
  let template: Template;

  beforeAll(() => {
    // The one bundled synth of this file: esbuild, cdk-nag and the CloudFormation validator all run,
    // and any unacknowledged finding or validator error would throw here.
    template = synthAuditor({ alertEmail: 'ops@example.com' }, { bundle: true });
  });

  it('passes cfn-lint without an error or a warning', async () => {
    // Arrange / Act
    const findings = await cfnLint(template);

    // Assert
    expect(
      findings.map(({ Rule, Level, Message, Location }) => ({ Rule, Level, Message, Location })),
    ).toEqual([]);
  }, 120_000);

  it('runs the bundled handler on Node.js 24, arm64, 256 MB, 5 minutes, without reserving concurrency', () => {
    // Arrange / Act / Assert: Lambda refuses a reservation leaving fewer than 100 unreserved executions
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 300,
      ReservedConcurrentExecutions: Match.absent(),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
    });
  });

  it('writes to its own log group with a retention, encrypted with the stack key', () => {
    // Arrange
    const key = sole(template, 'AWS::KMS::Key').logicalId;

    // Act / Assert
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    });
  });

  it('lets CloudWatch Logs of the stack’s Region use the key for this account’s log groups only', () => {
    // Arrange / Act / Assert
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Action: Match.arrayWith(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']),
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':logs:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':log-group:*',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('configures the function through the variables the handler parses', () => {
    // Arrange
    const { properties } = sole(template, 'AWS::Lambda::Function');

    // Act
    const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assert
    expect(Object.keys(variables).sort()).toEqual([
      'LOOKBACK_MINUTES',
      'MIN_SEVERITY',
      'PERIOD_SECONDS',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'REMINDER_INTERVAL_HOURS',
      'SEND_ALL_CLEAR',
      'STATE_TABLE_NAME',
      'THRESHOLDS',
      'TOPIC_ARN',
    ]);
    expect(variables).toMatchObject({
      LOOKBACK_MINUTES: '60',
      PERIOD_SECONDS: '300',
      THRESHOLDS:
        '{"highErrorRatio":0.05,"continuousPeriodShare":0.5,"minRequests":100,"transientErrorRatio":0.001}',
      MIN_SEVERITY: 'medium',
    });
  });

  it('invokes the function every 60 minutes, with failed deliveries going to the dead-letter queue', () => {
    // Arrange
    const queue = sole(template, 'AWS::SQS::Queue').logicalId;
    const fn = sole(template, 'AWS::Lambda::Function').logicalId;

    // Act / Assert
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(60 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  it('keeps failed events in a queue encrypted with the stack key that refuses non-TLS access', () => {
    // Arrange
    const key = sole(template, 'AWS::KMS::Key');
    const statements = (
      key.properties.KeyPolicy as { Statement: { Principal?: unknown; Condition?: unknown }[] }
    ).Statement;
    const forEventBridge = statements.filter(
      (statement) => JSON.stringify(statement.Principal) === '{"Service":"events.amazonaws.com"}',
    );
    const ruleNames = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) => (rule as { Properties: { Name: string } }).Properties.Name,
    );

    // Act / Assert: EventBridge may use the key for the stack's own rules only, named by aws:SourceArn
    // (the EventBridge guide's condition for a dead-letter queue; aws:SourceAccount is not relied on).
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [key.logicalId, 'Arn'] },
    });
    expect(forEventBridge).toHaveLength(1);
    const condition = forEventBridge[0]?.Condition as { ArnEquals: { 'aws:SourceArn': unknown[] } };
    expect(Object.keys(condition)).toEqual(['ArnEquals']);
    expect(ruleNames).toHaveLength(2);
    const named = JSON.stringify(condition.ArnEquals['aws:SourceArn']);
    for (const name of ruleNames) expect(named).toContain(`:rule/${name}`);
    expect(condition.ArnEquals['aws:SourceArn']).toHaveLength(2);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the alert email to a topic encrypted with a rotating customer managed key', () => {
    // Arrange
    const key = sole(template, 'AWS::KMS::Key');
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;

    // Act / Assert
    expect(key.properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [key.logicalId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
    });
  });

  it('lets CloudWatch alarms use the topic key', () => {
    // Arrange / Act / Assert
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Effect: 'Allow',
          }),
        ]),
      },
    });
  });

  it('denies publishing to the topic without TLS', () => {
    // Arrange / Act
    const statements = topicPolicyStatements(template);

    // Assert
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('lets the stack’s own alarms publish to the topic, in the same policy as the TLS deny', () => {
    // Arrange: a topic policy replaces SNS's default one, so without this Allow no alarm notifies
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;
    const alarms = notifyingAlarms(template).sort();

    // Act
    const statements = topicPolicyStatements(template);
    const allow = statements.find(
      (statement) =>
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Principal) === '{"Service":"cloudwatch.amazonaws.com"}',
    );

    // Assert
    expect(alarms).toHaveLength(4);
    expect(allow).toEqual({
      Sid: 'AllowTheAuditorAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic },
      Condition: {
        ArnLike: {
          'aws:SourceArn': expect.arrayContaining(alarms.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }))),
        },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
  });

  it('lets only email, SQS, Lambda and HTTPS endpoints subscribe to the topic', () => {
    // Arrange / Act
    const statements = topicPolicyStatements(template);

    // Assert
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Subscribe',
        Condition: { StringNotEquals: { 'sns:Protocol': ['email', 'sqs', 'lambda', 'https'] } },
      }),
    );
  });

  it('alarms to the topic after two consecutive incomplete scheduled runs, one run per period', () => {
    // Arrange
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;

    // Act / Assert: the handler emits AuditIncomplete (0 or 1) once per run, per trigger: a complete
    // alarm-triggered run does not reset the scheduled runs' series
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ApiNetworkAuditor',
      MetricName: 'AuditIncomplete',
      Dimensions: [
        { Name: 'service', Value: 'api-network-auditor' },
        { Name: 'trigger', Value: 'schedule' },
      ],
      Statistic: 'Minimum',
      Period: 3600,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('alarms on an incomplete alarm-triggered run apart, and not on manual or dry runs', () => {
    // Arrange
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;
    const incomplete = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AuditIncomplete' } }),
    ).map((alarm) => (alarm as { Properties: { Dimensions: { Name: string; Value: string }[] } }).Properties);

    // Act / Assert
    expect(
      incomplete.map((alarm) => alarm.Dimensions.find((d) => d.Name === 'trigger')?.Value).sort(),
    ).toEqual(['alarm', 'schedule']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditIncomplete',
      Dimensions: Match.arrayWith([{ Name: 'trigger', Value: 'alarm' }]),
      Statistic: 'Maximum',
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('bounds the age of an event the function keeps for a retry', () => {
    // Act / Assert: Lambda's default is six hours
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 1,
    });
  });

  it('alarms on the function’s errors to the same topic', () => {
    // Arrange
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;
    const fn = sole(template, 'AWS::Lambda::Function').logicalId;

    // Act / Assert
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('alarms to the same topic when a failed run lands in the dead-letter queue', () => {
    // Arrange
    const topic = sole(template, 'AWS::SNS::Topic').logicalId;
    const queue = sole(template, 'AWS::SQS::Queue').logicalId;

    // Act / Assert
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('keeps notification state in an on-demand table with TTL, point-in-time recovery and the stack key', () => {
    // Arrange
    const key = sole(template, 'AWS::KMS::Key').logicalId;

    // Act / Assert
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } },
      KeySchema: [{ AttributeName: 'findingId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'findingId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('grants the audit actions on *, except API Gateway reads, which only reach APIs and VPC links', () => {
    // Arrange / Act
    const { onStar } = roleActions(template);

    // Assert
    const logGroupScoped: readonly string[] = LOG_GROUP_SCOPED_ACTIONS;
    expect(onStar).toEqual(
      AUDIT_IAM_ACTIONS.filter(
        (action) => action !== 'apigateway:GET' && !logGroupScoped.includes(action),
      ).sort(),
    );
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'apigateway:GET',
            Resource: ['/restapis', '/restapis/*', '/apis', '/apis/*', '/vpclinks', '/vpclinks/*'].map(
              (path) => ({
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:apigateway:*::${path}`]],
              }),
            ),
          }),
        ]),
      },
    });
  });

  it('grants only API Gateway reads, publishing, its table, its queue and its log group on named resources', () => {
    // Arrange / Act
    const { scoped } = roleActions(template);

    // Assert
    expect(scoped).toEqual(
      [
        'apigateway:GET',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:Scan',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
        'logs:CreateLogStream',
        'logs:FilterLogEvents',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
  });

  it('lets the audit search only the API Gateway execution log groups of its Region, by default', () => {
    // Arrange / Act
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Resources).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const queries = statements.filter((statement) =>
      ([] as string[]).concat(statement.Action as string[]).includes('logs:FilterLogEvents'),
    );

    // Assert
    expect(queries).toEqual([
      {
        Effect: 'Allow',
        Action: 'logs:FilterLogEvents',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':log-group:API-Gateway-Execution-Logs_*',
            ],
          ],
        },
      },
    ]);
  });

  it('grants every DynamoDB action the state store calls', () => {
    // Arrange: the commands lambda/notify/dynamodb-state-store.ts sends, as IAM actions
    const source = readFileSync(join(__dirname, '../../lambda/notify/dynamodb-state-store.ts'), 'utf8');
    const commands = [...source.matchAll(/new (\w+)Command\(/g)].map((match) => match[1] ?? '');
    const needed = commands.map(
      (command) => `dynamodb:${DOCUMENT_COMMAND_ACTIONS[command] ?? `${command}?`}`,
    );

    // Act
    const { scoped } = roleActions(template);

    // Assert
    expect(needed.length).toBeGreaterThan(0);
    expect(scoped).toEqual(expect.arrayContaining(needed));
  });

  it('attaches no managed policy to the function’s role', () => {
    // Arrange
    const { properties } = sole(template, 'AWS::IAM::Role');

    // Act / Assert
    expect(properties.ManagedPolicyArns).toBeUndefined();
  });

  it('graphs the function’s own metrics beside the alarm on a dashboard', () => {
    // Arrange
    const { properties } = sole(template, 'AWS::CloudWatch::Dashboard');

    // Act
    const body = JSON.stringify(properties.DashboardBody);

    // Assert
    for (const metric of ['StagesAudited', 'Findings', 'AwsCalls', 'AuditDurationMs']) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    expect(body).toContain('\\"high-frequency\\"');
    expect(body).toContain('\\"critical\\"');
    expect(body).toContain('\\"ApiNetworkAuditor\\"');
    expect(body).toContain('\\"type\\":\\"alarm\\"');
  });
});

describe('NetworkAuditor, configured', () => {
  it('publishes to an existing topic without creating a topic or key', () => {
    // Arrange
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:existing-findings';

    // Act
    const template = synthAuditor({ existingTopicArn: topicArn, alertEmail: 'ops@example.com' });

    // Assert
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: topicArn, Protocol: 'email' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: topicArn })]),
      },
    });
  });

  it('refuses an existing FIFO topic, and one in another Region than the stack', () => {
    // Arrange
    const stackIn = (region: string) =>
      new Stack(auditorApp({ nag: false }), 'Auditor', { env: { account: '123456789012', region } });

    // Act
    const fifo = () =>
      new NetworkAuditor(stackIn('eu-west-1'), 'Auditor', {
        existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops.fifo',
      });
    const elsewhere = () =>
      new NetworkAuditor(stackIn('eu-west-1'), 'Auditor', {
        existingTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
      });

    // Assert
    expect(fifo).toThrow(/existingTopicArn '.*ops\.fifo' is a FIFO topic/);
    expect(elsewhere).toThrow(/existingTopicArn '.*' is in us-east-1, not in the stack's Region eu-west-1/);
  });

  it('outputs the statement the existing topic’s owner must add for the alarms to notify it', async () => {
    // Arrange / Act
    const template = synthAuditor({ existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' });

    // Assert
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const value = JSON.stringify(outputs.ExistingTopicPolicyStatement?.Value);
    const alarms = notifyingAlarms(template);
    expect(alarms).toHaveLength(4);
    expect(value).toContain('\\"Service\\":\\"cloudwatch.amazonaws.com\\"');
    expect(value).toContain('\\"Action\\":\\"sns:Publish\\"');
    expect(value).toContain('\\"Resource\\":\\"arn:aws:sns:eu-west-1:123456789012:ops\\"');
    for (const alarm of alarms) expect(value).toContain(`"Fn::GetAtt":["${alarm}","Arn"]`);
    expect(value).toContain('aws:SourceAccount');
    expect(await cfnLint(template)).toEqual([]);
  }, 120_000);

  it('makes CloudFormation check the existing topic’s Region when the stack’s is known only at deploy', () => {
    // Arrange / Act
    const template = synthAuditor({ existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' });

    // Assert
    const rules = (template.toJSON() as { Rules?: Record<string, { Assertions: unknown[] }> }).Rules ?? {};
    expect(Object.values(rules).flatMap((rule) => rule.Assertions)).toContainEqual({
      Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
      AssertDescription: expect.stringContaining('deploy the stack to eu-west-1'),
    });
  });

  it('reserves a concurrency of 1 only when asked, and lets other protocols subscribe when listed', () => {
    // Arrange / Act
    const template = synthAuditor({ reserveConcurrency: true, subscriptionProtocols: ['email', 'firehose'] });

    // Assert
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
    expect(topicPolicyStatements(template)).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Subscribe',
        Condition: { StringNotEquals: { 'sns:Protocol': ['email', 'firehose'] } },
      }),
    );
  });

  it('alarms after the configured number of incomplete runs, one schedule interval per period', () => {
    // Arrange / Act
    const template = synthAuditor({
      incompleteRunsToAlarm: 4,
      schedule: events.Schedule.expression('rate(15 minutes)'),
      lookback: Duration.minutes(15),
    });

    // Assert
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditIncomplete',
      Period: 900,
      EvaluationPeriods: 4,
      DatapointsToAlarm: 4,
    });
  });

  it('refuses more incomplete runs than CloudWatch can evaluate', () => {
    // Arrange
    const stack = new Stack(auditorApp({ nag: false }), 'Auditor');

    // Act
    const build = () => new NetworkAuditor(stack, 'Auditor', { incompleteRunsToAlarm: 200 });

    // Assert: 200 hourly periods are more than the seven days CloudWatch evaluates
    expect(build).toThrow(/incompleteRunsToAlarm \(200\) must be a whole number from 1 to 168/);
  });

  it('creates no email subscription without an alert email', () => {
    // Arrange / Act
    const template = synthAuditor({});

    // Assert
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('passes the schedule, window, Regions, thresholds and notify settings through', () => {
    // Arrange
    const props = {
      schedule: events.Schedule.expression('cron(0/30 * * * ? *)'),
      lookback: Duration.minutes(30),
      period: Duration.minutes(1),
      regions: ['us-east-1', 'eu-west-1'],
      thresholds: { minRequests: 10 },
      notify: { minSeverity: 'high' as const, sendAllClear: false },
      timeout: Duration.minutes(10),
      reserveConcurrency: false,
    };

    // Act
    const template = synthAuditor(props);

    // Assert
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0/30 * * * ? *)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 600,
      ReservedConcurrentExecutions: Match.absent(),
      Environment: {
        Variables: Match.objectLike({
          LOOKBACK_MINUTES: '30',
          PERIOD_SECONDS: '60',
          AUDIT_REGIONS: 'us-east-1,eu-west-1',
          THRESHOLDS:
            '{"highErrorRatio":0.05,"continuousPeriodShare":0.5,"minRequests":10,"transientErrorRatio":0.001}',
          MIN_SEVERITY: 'high',
          SEND_ALL_CLEAR: 'false',
          REMINDER_INTERVAL_HOURS: '24',
        }),
      },
    });
  });

  it('refuses a lookback shorter than the time between scheduled runs', () => {
    // Arrange
    const stack = new Stack(auditorApp({ nag: false }), 'Auditor');

    // Act
    const build = () =>
      new NetworkAuditor(stack, 'Auditor', {
        schedule: events.Schedule.rate(Duration.hours(2)),
        lookback: Duration.minutes(60),
      });

    // Assert
    expect(build).toThrow(
      /lookback \(60 min\) is shorter than the longest gap between runs of 'rate\(2 hours\)'/,
    );
  });
});

describe('cdk-nag at synth', () => {
  it('stops the synth on a finding nobody acknowledged', () => {
    // Arrange: the auditor plus a queue without encryption or TLS enforcement
    const app = auditorApp();
    const stack = new Stack(app, 'Auditor');
    new NetworkAuditor(stack, 'Auditor');
    new sqs.Queue(stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    // Act
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = String(error);
    }

    // Assert: the careless queue is reported, the auditor (all acknowledged) is not
    expect(message).toContain('AwsSolutions-SQS2');
    expect(message).toContain('Auditor/Careless/Resource');
    expect(message).not.toContain('Auditor/Auditor/');
  });
});

describe('NetworkAuditor with several Regions in one account', () => {
  const stackIn = (regions: string[]) =>
    new NetworkAuditorStack(auditorApp({ nag: false }), 'Auditor', {
      env: { account: '123456789012', region: 'eu-west-1' },
      auditor: { regions },
    });

  it("warns at synth that the stage alarms watch the stack's Region only, naming the others", () => {
    // Act
    const stack = stackIn(['eu-west-1', 'us-east-1', 'ap-southeast-2']);

    // Assert
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'watch eu-west-1 only .*us-east-1, ap-southeast-2 are audited on the schedule only',
      ),
    );
  });

  it('does not warn when the only Region is the stack’s own (the twin)', () => {
    // Act
    const stack = stackIn(['eu-west-1']);

    // Assert
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('stage alarms watch'));
  });
});

describe('NetworkAuditor with an access-log prefix', () => {
  it('adds the prefix to the queryable log groups, in each audited Region', () => {
    // Act
    const template = synthAuditor({
      regions: ['eu-west-1', 'us-east-1'],
      accessLogGroupPrefix: '/apigw/access/',
    });

    // Assert
    const arn = (region: string, prefix: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:logs:${region}:`,
          { Ref: 'AWS::AccountId' },
          `:log-group:${prefix}*`,
        ],
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'logs:FilterLogEvents',
            Resource: [
              arn('eu-west-1', 'API-Gateway-Execution-Logs_'),
              arn('eu-west-1', '/apigw/access/'),
              arn('us-east-1', 'API-Gateway-Execution-Logs_'),
              arn('us-east-1', '/apigw/access/'),
            ],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ACCESS_LOG_GROUP_PREFIX: '/apigw/access/' }) },
    });
  });

  it('refuses a prefix that is a wildcard or covers the execution log groups', () => {
    expect(() => synthAuditor({ accessLogGroupPrefix: '/apigw/*' })).toThrow(
      /accessLogGroupPrefix may hold only/,
    );
    expect(() => synthAuditor({ accessLogGroupPrefix: 'API-Gateway' })).toThrow(
      /must not cover API Gateway's execution log groups/,
    );
  });
});
