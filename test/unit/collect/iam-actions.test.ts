import { AUDIT_IAM_ACTIONS } from '../../../lambda/collect/iam-actions';

describe('AUDIT_IAM_ACTIONS', () => {
  it('lists every read the audit makes once, sorted, and nothing that writes', () => {
    // Arrange
    const required = [
      'apigateway:GET',
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      'ec2:DescribeFlowLogs',
      'ec2:GetManagedPrefixListEntries',
      'elasticloadbalancing:DescribeTargetHealth',
      'logs:GetQueryResults',
      'logs:StartQuery',
      'sts:GetCallerIdentity',
    ];

    // Act
    const actions = [...AUDIT_IAM_ACTIONS];

    // Assert
    expect(actions).toEqual(expect.arrayContaining(required));
    expect(actions).toEqual([...new Set(actions)].sort());
    expect(actions.filter((action) => !/:(Describe|Get|List|StartQuery$|GET$)/.test(action))).toEqual([]);
  });
});
