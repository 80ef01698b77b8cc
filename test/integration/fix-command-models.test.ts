/**
 * Every printed fix command against the AWS CLI's own models (botocore's service definitions, in the
 * emulator's venv: this lane installs it). The fixes themselves are tested in test/unit/fixes.
 */
import { commandProblems, modelDirectories } from '../support/aws-cli-model';
import { allCommands } from '../support/fix-worlds';

describe("fix commands against the AWS CLI's models", () => {
  const commands = allCommands();

  it('covers every kind of command the fixes print', () => {
    const kinds = new Set(commands.map((command) => command.split(' ').slice(0, 3).join(' ')));
    expect([...kinds].sort()).toEqual([
      'aws apigateway create-deployment',
      'aws apigateway update-integration',
      'aws apigatewayv2 update-integration',
      'aws ec2 authorize-security-group-ingress',
      'aws ec2 create-network-acl-entry',
      'aws elbv2 modify-target-group-attributes',
      'aws elbv2 set-security-groups',
    ]);
  });

  it.each(modelDirectories())('every command fits the $name models', ({ dir }) => {
    for (const command of commands)
      expect({ command, problems: commandProblems(command, dir) }).toEqual({ command, problems: [] });
  });

  it('the checker itself catches an unknown operation, option, member, type and a missing required member', () => {
    const [botocore] = modelDirectories();
    if (!botocore) throw new Error('no models');
    const { dir } = botocore;
    expect(commandProblems("aws ec2 authorise-security-group-ingress --group-id 'sg-1'", dir)).toEqual([
      'ec2 has no operation authorise-security-group-ingress',
    ]);
    expect(
      commandProblems("aws ec2 create-network-acl-entry --no-egress --network-acl-id 'acl-1'", dir),
    ).toContain('--no-egress is called --ingress by the AWS CLI');
    expect(commandProblems("aws apigateway create-deployment --stage-name 'prod'", dir)).toEqual([
      'apigateway create-deployment: required restApiId missing',
    ]);
    expect(
      commandProblems(
        `aws ec2 authorize-security-group-ingress --group-ids 'sg-1' --ip-permissions '[{"IpProtocol":"tcp","FromPort":"80","Cidr":"x"}]'`,
        dir,
      ),
    ).toEqual([
      'ec2 authorize-security-group-ingress has no option --group-ids',
      'ec2 authorize-security-group-ingress.IpPermissions[0].FromPort: expected an integer',
      'ec2 authorize-security-group-ingress.IpPermissions[0]: Cidr is not a member of IpPermission',
    ]);
  });
});
