/**
 * The member-account template StackSets deploys: plain CloudFormation (no assets, no bootstrap),
 * one role with exactly the audit's read-only actions, trusting only the central audit role (by
 * aws:PrincipalArn) under the organization id; searching execution logs is a policy of its own, opt-in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AUDIT_IAM_ACTIONS } from '../../lambda/iam-actions';
import { auditReadStatements } from '../../lib/audit-read-policy';
import {
  CENTRAL_AUDIT_ROLE_PATH,
  DEFAULT_CENTRAL_AUDIT_ROLE_NAME,
  DEFAULT_MEMBER_ROLE_NAME,
  MemberAuditRoleStack,
  memberAuditRoleTemplate,
} from '../../lib/member-audit-role-stack';
import { auditorApp } from './auditor-app';
import { cfnLint } from './cfn-lint';

interface PolicyStatementJson {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: unknown;
  Principal?: unknown;
}
interface RoleProperties {
  RoleName: unknown;
  AssumeRolePolicyDocument: { Statement: PolicyStatementJson[] };
  Policies: { PolicyName: string; PolicyDocument: { Statement: PolicyStatementJson[] } }[];
  ManagedPolicyArns?: unknown;
}
interface MemberTemplate {
  Parameters: Record<string, { Default?: string; AllowedPattern?: string; AllowedValues?: string[] }>;
  Rules?: Record<string, unknown>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: RoleProperties; Condition?: string }>;
}

const actionsOf = (statements: PolicyStatementJson[]): string[] =>
  statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).sort();

describe('the member-account template', () => {
  const template = memberAuditRoleTemplate() as unknown as MemberTemplate;
  const resources = Object.values(template.Resources);
  const role = resources.find((resource) => resource.Type === 'AWS::IAM::Role')?.Properties as RoleProperties;
  const logSearch = resources.find((resource) => resource.Type === 'AWS::IAM::Policy');

  it('is one IAM role and its opt-in log search policy, nothing else: no assets, no CDK metadata resource', () => {
    // Arrange / Act
    const types = resources.map((resource) => resource.Type);

    // Assert
    expect(types).toEqual(['AWS::IAM::Role', 'AWS::IAM::Policy']);
    expect(JSON.stringify(template)).not.toMatch(/cdk-hnb659fds|AssetParameters|aws:cdk:path|aws:asset/);
  });

  it('has no bootstrap version parameter or rule, so accounts that never ran cdk bootstrap can deploy it', () => {
    // Arrange / Act
    const parameters = Object.keys(template.Parameters).sort();

    // Assert
    expect(parameters).toEqual([
      'AuditorAccountId',
      'AuditorRoleName',
      'OrganizationId',
      'RoleName',
      'SearchExecutionLogs',
    ]);
    expect(template.Rules).toBeUndefined();
  });

  it('refuses to synthesize with an asset (the synthesizer has no bucket to put one in)', () => {
    // Arrange
    const app = new App();
    const stack = new MemberAuditRoleStack(app, 'Member');

    // Act / Assert
    expect(() =>
      stack.synthesizer.addFileAsset({ sourceHash: 'x', fileName: 'x', packaging: 'file' as never }),
    ).toThrow(/assets/i);
  });

  it('names the role from a parameter whose default is ApiNetworkAuditorMember', () => {
    // Arrange / Act / Assert
    expect(role.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Parameters.RoleName?.Default).toBe(DEFAULT_MEMBER_ROLE_NAME);
  });

  it('allows exactly the audit actions the stack grants its own function, and nothing managed', () => {
    // Arrange
    const [policy, ...others] = role.Policies;

    // Act
    const actions = actionsOf(policy?.PolicyDocument.Statement ?? []);

    // Assert: the log search is the opt-in policy's (without an access-log prefix)
    expect(others).toEqual([]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(actions).toEqual(
      [...AUDIT_IAM_ACTIONS].filter((action) => action !== 'logs:FilterLogEvents').sort(),
    );
    expect(policy?.PolicyDocument.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
    const stackStatements = auditReadStatements({
      partition: 'aws',
      account: '1',
      regions: ['*'],
      executionLogs: false,
    });
    expect(policy?.PolicyDocument.Statement.map((statement) => statement.Action)).toEqual(
      stackStatements.map((statement) => {
        const json = statement.toStatementJson() as PolicyStatementJson;
        return json.Action;
      }),
    );
  });

  it('trusts exactly the central audit role (fixed path and name) of the auditor account, in the organization', () => {
    // Arrange
    const [trust, ...others] = role.AssumeRolePolicyDocument.Statement;

    // Act / Assert: the account is the principal (a role principal must exist when the template is
    // deployed); aws:PrincipalArn narrows it to the one role, aws:PrincipalOrgID to the organization.
    expect(others).toEqual([]);
    expect(trust).toEqual({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: {
        AWS: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AuditorAccountId' }, ':root'],
          ],
        },
      },
      Condition: {
        StringEquals: {
          'aws:PrincipalArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::',
                { Ref: 'AuditorAccountId' },
                `:role${CENTRAL_AUDIT_ROLE_PATH}`,
                { Ref: 'AuditorRoleName' },
              ],
            ],
          },
          'aws:PrincipalOrgID': { Ref: 'OrganizationId' },
        },
      },
    });
    expect(template.Parameters.AuditorAccountId?.Default).toBeUndefined();
    expect(template.Parameters.OrganizationId?.Default).toBeUndefined();
    expect(template.Parameters.OrganizationId?.AllowedPattern).toBe('^o-[a-z0-9]{10,32}$');
    expect(template.Parameters.AuditorRoleName?.Default).toBe(DEFAULT_CENTRAL_AUDIT_ROLE_NAME);
    expect(JSON.stringify(template)).not.toMatch(/ExternalId/);
  });

  it('searches REST execution logs only when SearchExecutionLogs is true (off by default)', () => {
    // Arrange
    const document = logSearch?.Properties as unknown as {
      PolicyDocument: { Statement: PolicyStatementJson[] };
      Roles: unknown[];
    };

    // Act / Assert
    expect(template.Parameters.SearchExecutionLogs).toMatchObject({
      Default: 'false',
      AllowedValues: ['false', 'true'],
    });
    expect(logSearch?.Condition).toBe('SearchesExecutionLogs');
    expect(template.Conditions.SearchesExecutionLogs).toEqual({
      'Fn::Equals': [{ Ref: 'SearchExecutionLogs' }, 'true'],
    });
    expect(document.PolicyDocument.Statement).toEqual([
      {
        Action: 'logs:FilterLogEvents',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:*:',
              { Ref: 'AWS::AccountId' },
              ':log-group:API-Gateway-Execution-Logs_*',
            ],
          ],
        },
      },
    ]);
    expect(JSON.stringify(role.Policies)).not.toContain('API-Gateway-Execution-Logs_');
  });

  it('scopes log queries to the access-log prefix it is given, in any Region of the account', () => {
    // Arrange / Act
    const withPrefix = memberAuditRoleTemplate({ accessLogGroupPrefix: '/team/access/' });

    // Assert
    expect(JSON.stringify(withPrefix)).toContain(':log-group:/team/access/*');
    expect(JSON.stringify(template)).toContain(':logs:*:');
    expect(JSON.stringify(template)).not.toContain('/team/access/');
  });

  it('passes cfn-lint without an error or a warning', async () => {
    // Arrange / Act
    const findings = await cfnLint(template);

    // Assert
    expect(findings.map(({ Rule, Level, Message }) => ({ Rule, Level, Message }))).toEqual([]);
  });

  it("passes cdk-nag's AwsSolutions pack (the audit reads acknowledged as on the stack's own role)", () => {
    // Arrange
    const app = auditorApp();
    const stack = new MemberAuditRoleStack(app, 'Member');

    // Act / Assert: an unacknowledged finding throws at synth
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('npm run member-template', () => {
  it('writes the template to the file it is given', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'member-template-'));
    const out = join(dir, 'member.json');

    try {
      // Act
      await promisify(execFile)('npx', ['tsx', 'scripts/write-member-template.ts', '--out', out], {
        cwd: join(__dirname, '..', '..'),
      });

      // Assert
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(memberAuditRoleTemplate());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
