/**
 * Broken worlds for the fixes (lambda/fixes), one per check with a fix, each with its healthy twin,
 * built from the inventory builders: the unit tests check their commands against the AWS CLI's
 * models, the integration tests give the ones the emulator cannot apply to the AWS CLI itself.
 */
import { albSecurityGroupSources } from '../../lambda/checks/alb-security-group-sources';
import type { CheckDefinition } from '../../lambda/checks/check-definition';
import { integrationTimeout } from '../../lambda/checks/integration-timeout';
import { lbCrossZone } from '../../lambda/checks/lb-cross-zone';
import { nlbTargetSecurityGroups } from '../../lambda/checks/nlb-target-security-groups';
import { stageDeploymentDrift } from '../../lambda/checks/stage-deployment-drift';
import { subnetNetworkAcls } from '../../lambda/checks/subnet-network-acls';
import { tgEmptyAz } from '../../lambda/checks/tg-empty-az';
import {
  collected,
  type Finding,
  type IntegrationFacts,
  type Inventory,
  type IpPermission,
} from '../../lambda/domain/types';
import { evaluateChecks } from '../../lambda/engine/evaluate';
import { attachFixes } from '../../lambda/fixes';
import {
  albScenario,
  allowAllAclEntries,
  anHttpIntegration,
  anIpPermission,
  aRestIntegration,
  aSecurityGroup,
  aTarget,
  nlbScenario,
  V2_LINK_SUBNETS,
  withV2LinkSubnets,
} from './inventory-builders';

export const TARGET_SG = 'sg-0123456789abcdef0';
export const ALB_SG = 'sg-0fedcba9876543210';

/** What the audit reports for one check, fixes attached as the pipeline attaches them. */
export const findingsOf = (check: CheckDefinition, inventory: Inventory): Finding[] =>
  attachFixes(evaluateChecks(inventory, { allChecks: true, checks: [check] }));
export const failing = (findings: Finding[]) => findings.filter((finding) => finding.status === 'FAIL');

/** The NLB scenario with both instance targets in one security group of a real id shape, with these rules. */
export const nlbTargetsWith = (inbound: IpPermission[]) => ({
  build: (): Inventory => {
    const inventory = nlbScenario().build();
    for (const instance of Object.values(inventory.instances)) {
      if (instance.ok) instance.value.securityGroupIds = [TARGET_SG];
    }
    inventory.securityGroups[TARGET_SG] = collected(aSecurityGroup({ id: TARGET_SG, inbound }));
    return inventory;
  },
});

/** An HTTP API -> V2 link (subnets 10.0.21.0/24, 10.0.22.0/24) -> ALB HTTPS:443 with these rules. */
export const albWith = (inbound: IpPermission[]) =>
  withV2LinkSubnets(
    albScenario({
      vpcLink: { subnetIds: V2_LINK_SUBNETS.map((subnet) => subnet.id) },
      loadBalancer: { securityGroupIds: [ALB_SG] },
    }),
  ).with('securityGroups', ALB_SG, { id: ALB_SG, name: 'alb', vpcId: 'vpc-1', inbound });

export const crossZoneOff = { attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }) };
/** Cross-zone off and the group's only target in one of the NLB's two zones. */
export const oneZoneServing = () =>
  nlbScenario({ targetGroup: { ...crossZoneOff, targets: collected([aTarget({ id: 'i-0a1' })]) } }).build();
const timed = (scenario: typeof nlbScenario, integration: IntegrationFacts, latency: number) =>
  scenario({
    stage: { integrations: collected([integration]), integrationLatencyMaxMs: collected(latency) },
  }).build();
export const restTiming = (timeoutMs: number, latency: number) =>
  timed(nlbScenario, aRestIntegration({ timeoutMs }), latency);
export const httpTiming = (timeoutMs: number, latency: number) =>
  timed(albScenario, anHttpIntegration({ timeoutMs }), latency);
const NLB_URI = 'http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:80/orders';
export const drifted = nlbScenario({
  stage: {
    integrations: collected([
      aRestIntegration({ method: { path: '/orders', httpMethod: 'GET' }, uri: NLB_URI }),
    ]),
    deployedIntegrations: collected({
      'GET /orders': {
        type: 'http_proxy',
        uri: 'http://old-nlb.elb.us-east-1.amazonaws.com:80/orders',
        connectionType: 'VPC_LINK',
      },
    }),
  },
}).build();

export const ACL_ID = 'acl-0123456789abcdef0';
/** Every subnet behind one ACL whose rule 100 denies tcp/8080 from the VPC before rule 200 allows all. */
export const aclDenying8080 = () =>
  nlbScenario({
    networkAcl: {
      id: ACL_ID,
      entries: [
        {
          ruleNumber: 100,
          egress: false,
          protocol: '6',
          action: 'deny',
          cidr: '10.0.0.0/16',
          fromPort: 8080,
          toPort: 8080,
        },
        ...allowAllAclEntries().map((rule) =>
          rule.ruleNumber === 100 ? { ...rule, ruleNumber: 200 } : rule,
        ),
      ],
    },
  }).build();

export const NLB_SG = 'sg-0aaaabbbbccccdddd';
/** A REST V1 link -> an NLB in its own security group, which admits the VPC on the listener port. */
export const nlbInOwnGroup = (privateLinkInboundRules: 'on' | 'off') =>
  nlbScenario({ loadBalancer: { securityGroupIds: [NLB_SG], privateLinkInboundRules } })
    .with(
      'securityGroups',
      NLB_SG,
      aSecurityGroup({ id: NLB_SG, inbound: [anIpPermission({ cidrs: ['10.0.0.0/16'] })] }),
    )
    .build();

/** One broken world per check with a fix, and its healthy twin. */
/** A broken world and its healthy twin, for one check with a fix. */
export interface FixWorld {
  name: string;
  check: CheckDefinition;
  broken: () => Inventory;
  healthy: () => Inventory;
}

export const CASES: FixWorld[] = [
  {
    name: 'nlb-target-security-groups (targets)',
    check: nlbTargetSecurityGroups,
    broken: () =>
      nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.1.0/24'] })]).build(),
    healthy: () =>
      nlbTargetsWith([anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.0.0/16'] })]).build(),
  },
  {
    name: 'nlb-target-security-groups (the NLB, through PrivateLink)',
    check: nlbTargetSecurityGroups,
    broken: () => nlbInOwnGroup('on'),
    healthy: () => nlbInOwnGroup('off'),
  },
  {
    name: 'alb-security-group-sources',
    check: albSecurityGroupSources,
    broken: () => albWith([anIpPermission({ fromPort: 443, toPort: 443, cidrs: ['10.0.21.0/24'] })]).build(),
    healthy: () => albWith([anIpPermission({ fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/16'] })]).build(),
  },
  {
    name: 'lb-cross-zone',
    check: lbCrossZone,
    // Off is a cause only when a zone that receives traffic has no healthy target of its own.
    broken: () => oneZoneServing(),
    healthy: () => nlbScenario().build(),
  },
  {
    name: 'tg-empty-az',
    check: tgEmptyAz,
    broken: () => oneZoneServing(),
    healthy: () => nlbScenario({ targetGroup: crossZoneOff }).build(),
  },
  {
    name: 'integration-timeout (REST)',
    check: integrationTimeout,
    broken: () => restTiming(10_000, 9_500),
    healthy: () => restTiming(29_000, 9_500),
  },
  {
    name: 'integration-timeout (HTTP)',
    check: integrationTimeout,
    broken: () => httpTiming(10_000, 9_500),
    healthy: () => httpTiming(30_000, 9_500),
  },
  {
    name: 'subnet-network-acls',
    check: subnetNetworkAcls,
    broken: aclDenying8080,
    healthy: () => nlbScenario({ networkAcl: { id: ACL_ID } }).build(),
  },
  {
    name: 'stage-deployment-drift',
    check: stageDeploymentDrift,
    broken: () => drifted,
    healthy: () =>
      nlbScenario({
        stage: {
          integrations: collected([
            aRestIntegration({ method: { path: '/orders', httpMethod: 'GET' }, uri: NLB_URI }),
          ]),
          deployedIntegrations: collected({
            // An export always carries the integration's type (x-amazon-apigateway-integration, lowercase).
            'GET /orders': {
              type: 'http_proxy',
              uri: NLB_URI,
              connectionType: 'VPC_LINK',
              connectionId: 'vl-orders',
            },
          }),
        },
      }).build(),
  },
];

export const allCommands = (): string[] =>
  CASES.flatMap(({ check, broken }) =>
    failing(findingsOf(check, broken())).flatMap((f) => f.fix?.commands ?? []),
  );
