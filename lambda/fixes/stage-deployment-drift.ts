/**
 * stage-deployment-drift: a REST stage serves an older deployment than the API's current
 * integrations (which are what the other checks audited). Deploying the current definition to
 * that stage is the fix.
 */
import type { Finding, FixSuggestion } from '../domain/types';
import { isRegion, parseRestStageArn } from './ids';
import { awsCommand } from './shell';

export function stageDeploymentDriftFix(finding: Finding): FixSuggestion | undefined {
  const stage = parseRestStageArn(finding.resourceArn);
  if (!stage || !isRegion(finding.region)) return undefined;
  return {
    commands: [
      awsCommand('apigateway', 'create-deployment', finding.region, [
        ['--rest-api-id', stage.restApiId],
        ['--stage-name', stage.stageName],
      ]),
    ],
    cloudFormation: [
      `AWS::ApiGateway::Stage ${stage.stageName} (API ${stage.restApiId}): DeploymentId must name a new AWS::ApiGateway::Deployment (give the deployment a new logical id so CloudFormation creates it)`,
    ],
  };
}
