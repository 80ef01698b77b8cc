import {
  accessLogGroupPrefixProblem,
  accessLogGroupToSearch,
  queryableLogGroupArns,
} from '../../../lambda/collect/log-groups';

const destination = (group: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${group}:*`;

describe('the log groups the auditor may query', () => {
  it('searches an access-log group only when its name starts with the configured prefix', () => {
    expect(accessLogGroupToSearch(destination('/apigw/access/orders'), '/apigw/access/')).toEqual({
      search: '/apigw/access/orders',
    });
    expect(accessLogGroupToSearch(destination('/aws/lambda/payroll'), '/apigw/access/')).toEqual({
      skip: {
        logGroup: '/aws/lambda/payroll',
        notSearched:
          'its access log group /aws/lambda/payroll does not start with the configured prefix /apigw/access/: not searched',
      },
    });
  });

  it('searches no access-log group when no prefix is configured, and says how to allow some', () => {
    expect(accessLogGroupToSearch(destination('/apigw/access/orders'), undefined)).toEqual({
      skip: {
        logGroup: '/apigw/access/orders',
        notSearched: expect.stringContaining('(accessLogGroupPrefix), and none is set'),
      },
    });
    expect(accessLogGroupToSearch(undefined, '/apigw/')).toEqual({ skip: null });
  });

  it('refuses a prefix that is empty, a wildcard, or would cover the execution log groups', () => {
    expect(accessLogGroupPrefixProblem('/apigw/access/')).toBeNull();
    expect(accessLogGroupPrefixProblem('/')).toMatch(/2 to 255 characters/);
    expect(accessLogGroupPrefixProblem('/apigw/*')).toMatch(/no wildcard/);
    expect(accessLogGroupPrefixProblem('API-Gateway-')).toMatch(
      /must not cover API Gateway's execution log groups/,
    );
  });

  it('gives IAM the execution log groups and the access-log prefix, per Region', () => {
    expect(queryableLogGroupArns('aws', '123456789012', ['eu-west-1'], undefined)).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:API-Gateway-Execution-Logs_*',
    ]);
    expect(queryableLogGroupArns('aws', '123456789012', ['eu-west-1', 'us-east-1'], '/apigw/')).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:API-Gateway-Execution-Logs_*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/*',
      'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Execution-Logs_*',
      'arn:aws:logs:us-east-1:123456789012:log-group:/apigw/*',
    ]);
  });
});
