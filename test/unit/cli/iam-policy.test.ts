import { assumeMemberRolePolicy, iamPolicyDocument } from '../../../lambda/cli/iam-policy';
import { AUDIT_IAM_ACTIONS, CLI_IAM_ACTIONS } from '../../../lambda/iam-actions';

describe('--print-iam-policy', () => {
  it('grants apigateway:GET only on the APIs, stages and VPC links the collectors read, never the API keys', () => {
    // Act
    const policy = iamPolicyDocument(CLI_IAM_ACTIONS);

    // Assert
    const apiGateway = policy.Statement.filter((statement) => statement.Action.includes('apigateway:GET'));
    expect(apiGateway).toEqual([
      {
        Sid: 'ApiNetworkAuditorApiGatewayReads',
        Effect: 'Allow',
        Action: ['apigateway:GET'],
        Resource: ['/restapis', '/restapis/*', '/apis', '/apis/*', '/vpclinks', '/vpclinks/*'].map(
          (path) => `arn:aws:apigateway:*::${path}`,
        ),
      },
    ]);
    expect(JSON.stringify(policy)).not.toMatch(/apikeys|usageplans/);
  });

  it('searches only the API Gateway execution log groups, and keeps every other read on *', () => {
    // Act
    const policy = iamPolicyDocument(AUDIT_IAM_ACTIONS);

    // Assert
    expect(policy.Statement.find((statement) => statement.Action.includes('logs:FilterLogEvents'))).toEqual({
      Sid: 'ApiNetworkAuditorExecutionLogSearch',
      Effect: 'Allow',
      Action: ['logs:FilterLogEvents'],
      Resource: ['arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*'],
    });
    const onEverything = policy.Statement.find((statement) => statement.Resource === '*');
    expect(onEverything?.Action).toEqual(
      AUDIT_IAM_ACTIONS.filter((action) => action !== 'apigateway:GET' && action !== 'logs:FilterLogEvents'),
    );
  });

  it('lets the caller assume the member role only in accounts of its own organization', () => {
    // Act
    const every = assumeMemberRolePolicy('ApiNetworkAuditorMember', []);
    const listed = assumeMemberRolePolicy('ApiNetworkAuditorMember', ['111111111111']);

    // Assert
    for (const policy of [every, listed])
      expect(policy.Statement[0]?.Condition).toEqual({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
        StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' },
      });
    expect(every.Statement[0]?.Resource).toEqual(['arn:aws:iam::*:role/ApiNetworkAuditorMember']);
  });
});
