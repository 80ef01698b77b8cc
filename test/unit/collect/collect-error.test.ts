import { toCollectionError } from '../../../lambda/collect/collect-error';

describe('toCollectionError', () => {
  it('names the AWS error code the SDK put in the error name', () => {
    // Arrange
    const error = Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' });

    // Act / Assert
    expect(toCollectionError('ec2:DescribeFlowLogs', error)).toEqual({
      action: 'ec2:DescribeFlowLogs',
      code: 'AccessDenied',
      message: 'User is not authorized',
    });
  });

  it("names Node's system error code when the connection failed before AWS answered", () => {
    // Arrange
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    // Act / Assert
    expect(toCollectionError('elasticloadbalancing:DescribeTargetHealth', error).code).toBe('ECONNRESET');
  });

  it('falls back to a generic code for anything that is not an Error', () => {
    expect(toCollectionError('sts:GetCallerIdentity', 'boom')).toEqual({
      action: 'sts:GetCallerIdentity',
      code: 'Error',
      message: 'boom',
    });
  });
});
