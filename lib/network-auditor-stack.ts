import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NetworkAuditor, type NetworkAuditorProps } from './network-auditor';

export interface NetworkAuditorStackProps extends StackProps {
  /** Everything the auditor accepts; see NetworkAuditorProps for each default. */
  readonly auditor?: NetworkAuditorProps;
}

/** The stack operators deploy: the auditor, and the outputs they need to use it. */
export class NetworkAuditorStack extends Stack {
  readonly auditor: NetworkAuditor;

  constructor(scope: Construct, id: string, props: NetworkAuditorStackProps = {}) {
    super(scope, id, {
      description:
        "API network auditor: finds why API Gateway returns 504 'Network error communicating with endpoint'",
      ...props,
    });
    this.auditor = new NetworkAuditor(this, 'Auditor', props.auditor);

    if (this.auditor.function) {
      new CfnOutput(this, 'FunctionName', {
        value: this.auditor.function.functionName,
        description:
          'Run it by hand: Lambda console > Test, with a payload from docs/deployment.md (Run it by hand)',
      });
    }
    if (this.auditor.organization) {
      new CfnOutput(this, 'StateMachineArn', {
        value: this.auditor.organization.stateMachine.stateMachineArn,
        description:
          'Run the organization audit by hand: aws stepfunctions start-execution (docs/organization.md)',
      });
      new CfnOutput(this, 'PartsBucketName', {
        value: this.auditor.organization.partsBucket.bucketName,
        description: "Each run's targets and per-account parts, under runs/<execution name>/",
      });
    }
    new CfnOutput(this, 'TopicArn', {
      value: this.auditor.topic.topicArn,
      description: 'Findings are published here: subscribe more endpoints to it',
    });
    if (props.auditor?.existingTopicArn) {
      new CfnOutput(this, 'ExistingTopicPolicyStatement', {
        value: this.toJsonString(this.auditor.alarmsPublishStatement.toStatementJson()),
        description:
          "Add this statement to the existing topic's policy, or the auditor's alarms cannot notify it",
      });
    }
    new CfnOutput(this, 'LogGroupName', { value: this.auditor.logGroup.logGroupName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.auditor.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'StateTableName', { value: this.auditor.stateTable.tableName });
  }
}
