/**
 * The fixes the audit prints, applied as a person would: seed a broken world in the emulator,
 * audit, paste each printed command into a shell with the AWS CLI (pointed at the emulator), audit
 * again. Each kind of command must remove the finding it was printed for; a healthy world gets no
 * command at all. REST `update-integration` and `create-deployment` are checked against the CLI's
 * models only (test/unit/fixes): moto implements no REST UpdateIntegration and exports no
 * integration extensions, so neither a REST timeout change nor a drifted stage can be made here.
 */
import { spawnSync } from 'node:child_process';
import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import { runAudit } from '../../lambda/audit';
import type { Finding, Report } from '../../lambda/domain/types';
import { awsCliCommand } from '../../scripts/emulator';
import { HTTP_ACCESS_LOG_FORMAT } from '../../scripts/seed/broken-account';
import type { AccountSpec } from '../../scripts/seed/seed-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { must, TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import { allCommands } from '../support/fix-worlds';
import { expectValidReport } from '../support/report-schema';

const PERIODS = 12;
const steady = (value: number): number[] => new Array<number>(PERIODS).fill(value);

/**
 * An HTTP API -> V2 VPC link -> NLB (zones a and b, cross-zone off) -> one instance in zone a, whose
 * security group admits only an office range on 8080; the integration's timeout is 10 s and the
 * targets answer in up to 9.5 s.
 */
const BROKEN: AccountSpec = {
  vpcCidr: '10.0.0.0/16',
  subnets: [
    { name: 'private-a', cidr: '10.0.1.0/24', zone: 'us-east-1a' },
    { name: 'private-b', cidr: '10.0.2.0/24', zone: 'us-east-1b' },
  ],
  securityGroups: [{ name: 'orders-targets', ingress: [{ port: 8080, cidr: '192.168.50.0/24' }] }],
  instances: [{ name: 'orders-a', subnet: 'private-a', securityGroups: ['orders-targets'] }],
  targetGroups: [{ name: 'orders-tg', protocol: 'TCP', port: 8080, targets: ['orders-a'] }],
  loadBalancers: [
    {
      name: 'orders-nlb',
      type: 'network',
      subnets: ['private-a', 'private-b'],
      crossZone: false,
      listeners: [{ port: 80, protocol: 'TCP', targetGroup: 'orders-tg' }],
    },
  ],
  flowLogs: true,
  httpApis: [
    {
      name: 'orders-http',
      stage: 'prod',
      vpcLink: { name: 'orders-link', subnets: ['private-a', 'private-b'] },
      integrations: [{ loadBalancer: 'orders-nlb', port: 80, timeoutMs: 10_000 }],
      traffic: { requests: steady(1000), errors5xx: steady(400), integrationLatencyMaxMs: 9_500 },
    },
  ],
  restApis: [],
};

/** The same world as it should be: the VPC admitted, a target in each zone, cross-zone on, 30 s, access logs. */
const HEALTHY: AccountSpec = {
  ...BROKEN,
  securityGroups: [{ name: 'orders-targets', ingress: [{ port: 8080, cidr: '10.0.0.0/16' }] }],
  instances: [
    { name: 'orders-a', subnet: 'private-a', securityGroups: ['orders-targets'] },
    { name: 'orders-b', subnet: 'private-b', securityGroups: ['orders-targets'] },
  ],
  targetGroups: [{ name: 'orders-tg', protocol: 'TCP', port: 8080, targets: ['orders-a', 'orders-b'] }],
  loadBalancers: BROKEN.loadBalancers.map((lb) => ({ ...lb, crossZone: true })),
  httpApis: BROKEN.httpApis.map((api) => ({
    ...api,
    accessLog: { logGroup: 'orders-http-access', format: HTTP_ACCESS_LOG_FORMAT },
    integrations: api.integrations.map((integration) => ({ ...integration, timeoutMs: 30_000 })),
  })),
};

const failuresOf = (report: Report, checkId: string): Finding[] =>
  report.findings.filter((finding) => finding.checkId === checkId && finding.status === 'FAIL');

describe('printed fixes applied with the AWS CLI', () => {
  const aws = useEmulator();
  let now: Date;

  const audit = () => runAudit(aws.auditRequest(now));

  /** Runs a printed command through bash, as pasted, with the emulator's endpoint and test credentials. */
  function run(command: string, extraArguments = '') {
    expect(command.startsWith('aws ')).toBe(true);
    const line = `"$AWS_CLI" ${command.slice('aws '.length)} --endpoint-url "$ENDPOINT" ${extraArguments}`;
    return spawnSync('bash', ['-c', line], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_CLI: awsCliCommand,
        ENDPOINT: aws.emulator().endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: TEST_REGION,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_MAX_ATTEMPTS: '1',
      },
    });
  }

  function paste(command: string): string {
    const result = run(command);
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** The request the AWS CLI builds from a printed command (its debug log), whatever the emulator answers. */
  function requestOf(command: string): string {
    const request = run(command, '--debug')
      .stderr.split('\n')
      .find((line) => line.includes('Making request for'));
    if (!request) throw new Error(`the AWS CLI built no request from ${command}`);
    return request;
  }

  /** The one FAIL of the check, with its fix printed; the fix applied; the next audit's findings of the check. */
  async function applyFixOf(checkId: string): Promise<{ before: Finding; after: Finding[] }> {
    const report = await audit();
    // The report with its fixes still fits the published schema.
    expectValidReport(JSON.parse(JSON.stringify(report)));
    const [before, ...others] = failuresOf(report, checkId);
    expect(others).toEqual([]);
    if (!before?.fix) throw new Error(`no fix printed for ${checkId}: ${JSON.stringify(before)}`);
    for (const command of before.fix.commands) paste(command);
    const after = (await audit()).findings.filter((finding) => finding.checkId === checkId);
    process.stderr.write(
      `fix-commands ${checkId}:\n  before: ${before.status} ${before.message}\n` +
        `  ${before.fix.commands.join('\n  ')}\n` +
        `  after: ${after.map((finding) => `${finding.status} ${finding.message}`).join('\n         ')}\n`,
    );
    return { before, after };
  }

  /** A fresh emulator holding `spec`, its traffic ending at the audit's clock. */
  async function seedFresh(spec: AccountSpec): Promise<SeededAccount> {
    await aws.emulator().reset();
    now = new Date();
    return seedAccount(aws.clients(), spec, now);
  }

  describe('on the broken world', () => {
    beforeEach(async () => {
      await seedFresh(BROKEN);
    }, 60_000);

    it("ec2 authorize-security-group-ingress: the targets' group then admits the senders", async () => {
      const { before, after } = await applyFixOf('nlb-target-security-groups');
      expect(before.fix?.commands[0]).toMatch(/^aws ec2 authorize-security-group-ingress /);
      expect(after.length).toBeGreaterThan(0);
      expect(after.map((finding) => finding.status)).not.toContain('FAIL');
    });

    it('elbv2 modify-target-group-attributes: cross-zone on, and the empty zone is served by the other', async () => {
      const { before, after } = await applyFixOf('lb-cross-zone');
      expect(before.fix?.commands[0]).toMatch(/^aws elbv2 modify-target-group-attributes /);
      expect(after.map((finding) => finding.status)).toEqual(['PASS']);
      // The same command was printed for the empty zone: once applied, that is no longer a FAIL either.
      const emptyZone = (await audit()).findings.filter((finding) => finding.checkId === 'tg-empty-az');
      expect(emptyZone.map((finding) => [finding.status, finding.fix])).toEqual([['WARN', undefined]]);
    });

    it('apigatewayv2 update-integration: the timeout then clears the observed latency', async () => {
      const { before, after } = await applyFixOf('integration-timeout');
      expect(before.fix?.commands).toEqual([
        expect.stringMatching(/^aws apigatewayv2 update-integration .*'30000'$/),
      ]);
      expect(after.map((finding) => finding.status)).toEqual(['PASS']);
    });
  });

  it('ec2 create-network-acl-entry: the targets subnet then lets the load balancer in', async () => {
    const seeded = await seedFresh(HEALTHY);
    // Rule 100 denies 8080 from the VPC into private-b: the NLB node in private-a cannot reach orders-b.
    await denyTargetPortIn(seeded, 'private-b');
    const { before, after } = await applyFixOf('subnet-network-acls');
    expect(before.fix?.commands).toEqual([
      expect.stringMatching(/^aws ec2 create-network-acl-entry .*--rule-number '99' --ingress /),
    ]);
    expect(after.map((finding) => finding.status)).not.toContain('FAIL');
  });

  /** A new ACL for the subnet: rule 100 denies tcp/8080 from the VPC, 200 allows the rest; all out. */
  async function denyTargetPortIn(seeded: SeededAccount, subnetName: string): Promise<void> {
    const { ec2 } = aws.clients();
    const subnetId = must(seeded.subnets[subnetName], subnetName);
    const acl = await ec2.send(new CreateNetworkAclCommand({ VpcId: seeded.vpcId }));
    const NetworkAclId = must(acl.NetworkAcl?.NetworkAclId, 'network ACL');
    const rules = [
      {
        RuleNumber: 100,
        Egress: false,
        RuleAction: 'deny',
        Protocol: '6',
        PortRange: { From: 8080, To: 8080 },
        CidrBlock: '10.0.0.0/16',
      },
      { RuleNumber: 200, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
    ] as const;
    for (const rule of rules) await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId, ...rule }));
    const current = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
    );
    const association = current.NetworkAcls?.[0]?.Associations?.find((one) => one.SubnetId === subnetId);
    const AssociationId = must(association?.NetworkAclAssociationId, `ACL association of ${subnetName}`);
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId, NetworkAclId }));
  }

  it('REST update-integration, create-deployment, set-security-groups: the AWS CLI builds the request each stands for', () => {
    // The emulator cannot make these findings (see the top of the file): what is checked is that the
    // AWS CLI takes every argument as printed and sends the operation with the intended parameters.
    const printed = allCommands().filter((command) =>
      /^aws (apigateway (update-integration|create-deployment)|elbv2 set-security-groups) /.test(command),
    );
    const requests = printed.map(requestOf);
    expect(requests).toHaveLength(4);
    expect(requests).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /OperationModel\(name=UpdateIntegration\).*'url_path': '\/restapis\/a1b2c3\/resources\/r00t\/methods\/GET\/integration'.*"patchOperations": \[\{"op": "replace", "path": "\/timeoutInMillis", "value": "29000"\}\]/,
        ),
        expect.stringMatching(
          /OperationModel\(name=CreateDeployment\).*'url_path': '\/restapis\/a1b2c3\/deployments'.*"stageName": "prod"/,
        ),
        expect.stringMatching(
          /OperationModel\(name=SetSecurityGroups\).*'SecurityGroups.member.1': 'sg-0aaaabbbbccccdddd', 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic': 'off'/,
        ),
        expect.stringMatching(
          /OperationModel\(name=CreateDeployment\).*'url_path': '\/restapis\/a1b2c3\/deployments'.*"stageName": "prod"/,
        ),
      ]),
    );
  });

  it('a healthy world gets no fix at all', async () => {
    await seedFresh(HEALTHY);
    const report = await audit();
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.filter((finding) => finding.status === 'FAIL')).toEqual([]);
    expect(report.findings.filter((finding) => finding.fix !== undefined)).toEqual([]);
  });
});
