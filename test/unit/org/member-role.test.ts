import { memberRoleArn, partitionOf, roleSessionName } from '../../../lambda/org/audit-target';

describe('the member role the auditor assumes', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
  ])('is in the partition of %s: %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it('is named by its account, the Region’s partition and the role name', () => {
    expect(memberRoleArn({ account: '111111111111', region: 'cn-north-1' }, { roleName: 'Auditor' })).toBe(
      'arn:aws-cn:iam::111111111111:role/Auditor',
    );
  });

  it('is assumed with a session name that says who and for which Region, within STS’s 64 characters', () => {
    expect(roleSessionName('us-east-1')).toBe('api-network-auditor-us-east-1');
    expect(roleSessionName('x'.repeat(80))).toHaveLength(64);
    expect(roleSessionName('ap-southeast-5')).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
