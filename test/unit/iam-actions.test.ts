import { AUDIT_IAM_ACTIONS, CLI_IAM_ACTIONS } from '../../lambda/iam-actions';

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
      'logs:FilterLogEvents',
    ];

    // Act
    const actions = [...AUDIT_IAM_ACTIONS];

    // Assert
    expect(actions).toEqual(expect.arrayContaining(required));
    expect(actions).toEqual([...new Set(actions)].sort());
    expect(actions.filter((action) => !/:(Describe|Get|List|FilterLogEvents$|GET$)/.test(action))).toEqual(
      [],
    );
  });

  it('leaves STS to the CLI: the function reads its account from its own ARN', () => {
    // Arrange / Act
    const cliOnly = CLI_IAM_ACTIONS.filter((action) => !AUDIT_IAM_ACTIONS.includes(action));

    // Assert
    expect(AUDIT_IAM_ACTIONS).not.toContain('sts:GetCallerIdentity');
    expect(cliOnly).toEqual(['sts:GetCallerIdentity']);
  });
});
