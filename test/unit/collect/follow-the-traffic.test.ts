/**
 * The path each failing stage's requests take, on real-shaped accounts (see real-account.ts): the
 * cases the emulator cannot express, each with the exact (check, resource, status) set the audit
 * must report on the path checks, and what it must not.
 */

import { GetExportCommand, GetVpcLinksCommand } from '@aws-sdk/client-api-gateway';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { loadBalancerDnsName } from '../../../lambda/collect/integration-uri';
import { auditedPath } from '../../../lambda/path/components';
import {
  arns,
  audit,
  dns,
  recordHttpApi,
  recordNlbInFrontOfAlb,
  recordOrdersNlb,
  recordRestApi,
  recordSharedAlb,
  recordV1RestPathToNlb,
  recordV2Link,
  stage,
  statusOf,
} from './real-account';
import { recordedClients } from './recorded-clients';

const PATH_CHECKS = [
  'vpc-link-status',
  'integration-listener',
  'tg-empty-az',
  'tg-unhealthy-az',
  'lb-cross-zone',
];
const VPC_LINK_V2 = 'arn:aws:apigateway:us-east-1::/vpclinks/v2link1';

/** `STATUS check resource` for the path checks, sorted. */
const pathVerdicts = (findings: Awaited<ReturnType<typeof audit>>['findings']) =>
  findings
    .filter((finding) => PATH_CHECKS.includes(finding.checkId))
    .map((finding) => `${finding.status} ${finding.checkId} ${finding.resourceArn}`)
    .sort();

/** A REST method on a V1 link -> NLB TCP:80 -> `alb` target group -> shared-alb on `albPort`. */
function recordV1PathThroughNlbToAlb(albPort: number) {
  const recorded = recordedClients();
  recordV1RestPathToNlb(recorded);
  recordSharedAlb(recorded);
  recordNlbInFrontOfAlb(recorded, albPort);
  return recorded;
}

/** A REST method on a VPC link V2 whose integrationTarget is the orders NLB. */
function recordV2RestPathToNlb() {
  const recorded = recordedClients();
  recordRestApi(recorded, {
    connectionType: 'VPC_LINK',
    connectionId: 'v2link1',
    integrationTarget: arns.nlb,
    uri: `http://${dns.nlb}:80/orders`,
  });
  recordV2Link(recorded, 'v2link1');
  recordOrdersNlb(recorded);
  return recorded;
}

describe('following the traffic on real-shaped accounts', () => {
  it('follows a REST integration on a VPC link V2 to its integrationTarget, and finds the link among V2 links', async () => {
    // Arrange
    const recorded = recordV2RestPathToNlb();

    // Act
    const { findings } = await audit(recorded, [stage({})]);

    // Assert: the link is AVAILABLE (not "no longer exists"), the NLB and its target group are judged.
    expect(pathVerdicts(findings)).toEqual(
      [
        `PASS vpc-link-status ${VPC_LINK_V2}`,
        'PASS integration-listener arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources/r5s6t7/methods/GET/integration',
        `PASS tg-empty-az ${arns.ordersTg}`,
        `PASS tg-unhealthy-az ${arns.ordersTg}`,
        // Cross-zone off (NLB default) with a healthy target in every zone: advice, not a failure.
        `WARN lb-cross-zone ${arns.ordersTg}`,
      ].sort(),
    );
    expect(findings.find((f) => f.checkId === 'vpc-link-status')?.resourceType).toBe(
      'AWS::ApiGatewayV2::VpcLink',
    );
    expect(recorded.mocks.apiGateway.commandCalls(GetVpcLinksCommand)).toHaveLength(0);
  });

  it('keeps following a REST integration on a VPC link V1 through the link’s targetArns (its twin)', async () => {
    // Arrange
    const recorded = recordedClients();
    recordV1RestPathToNlb(recorded);

    // Act
    const { findings } = await audit(recorded, [stage({})]);

    // Assert
    expect(statusOf(findings, 'vpc-link-status', 'arn:aws:apigateway:us-east-1::/vpclinks/vl1a2b3')).toBe(
      'PASS',
    );
    expect(statusOf(findings, 'tg-unhealthy-az', arns.ordersTg)).toBe('PASS');
  });

  it('charges a shared ALB’s target groups to the API only when its listener and rules forward there', async () => {
    // Arrange: the HTTP API sends to the 443 listener; billing-tg (8443) has an empty zone.
    const recorded = recordedClients();
    recordHttpApi(
      recorded,
      [{ id: 'int1', listenerArn: arns.albListener443 }],
      [{ key: 'ANY /{proxy+}', integrationId: 'int1' }],
    );
    recordV2Link(recorded, 'v2link1');
    recordSharedAlb(recorded);

    // Act
    const { findings, inventory } = await audit(recorded, [
      stage({ apiId: 'h1t2p3q4r5', apiType: 'HTTP', stage: '$default' }),
    ]);

    // Assert: orders-tg and the rule's orders-v2-tg are judged (an HTTP API forwards the client's
    // path, so the `/v2/*` rule may match); billing-tg is not on the path.
    const verdicts = pathVerdicts(findings);
    expect(verdicts).toContain(`PASS tg-empty-az ${arns.ordersTg}`);
    expect(verdicts).toContain(`PASS tg-empty-az ${arns.ordersV2Tg}`);
    expect(verdicts.some((line) => line.includes(arns.billingTg))).toBe(false);
    expect(Object.keys(inventory.targetGroups).sort()).toEqual([arns.ordersTg, arns.ordersV2Tg].sort());
  });

  it.each([
    // The URI's port chooses the listener: 8443 is billing-tg's (us-east-1a only), judged as this API's.
    {
      uri: `https://orders.internal.example.com:8443/orders`,
      reached: arns.billingTg,
      spared: arns.ordersTg,
    },
    // The twin: no port in an https URI is 443, orders-tg's listener; billing-tg is not on the path.
    { uri: `https://orders.internal.example.com/orders`, reached: arns.ordersTg, spared: arns.billingTg },
  ])(
    'enters the listener on the port of a REST integration URI on a VPC link V2 ($uri)',
    async ({ uri, reached, spared }) => {
      // Arrange: a REST method on V2 link v2link1 whose integrationTarget is the shared ALB.
      const recorded = recordedClients();
      recordRestApi(recorded, {
        connectionType: 'VPC_LINK',
        connectionId: 'v2link1',
        integrationTarget: arns.alb,
        uri,
      });
      recordV2Link(recorded, 'v2link1');
      recordSharedAlb(recorded);

      // Act
      const { findings, inventory } = await audit(recorded, [stage({})]);

      // Assert
      const verdicts = pathVerdicts(findings);
      expect(
        verdicts.filter((line) => line.includes('tg-empty-az')).map((line) => line.split(' ')[2]),
      ).toEqual([reached]);
      expect(verdicts.some((line) => line.includes(spared))).toBe(false);
      // The other listener's group is not even read.
      expect(Object.keys(inventory.targetGroups)).not.toContain(spared);
    },
  );

  it('fails the integration whose listener was deleted, not four checks with ERROR', async () => {
    // Arrange: the integration names a listener the ALB no longer has.
    const recorded = recordedClients();
    const deleted = `${arns.albListener443.slice(0, arns.albListener443.lastIndexOf('/'))}/0000deadbeef0000`;
    recordHttpApi(
      recorded,
      [{ id: 'int1', listenerArn: deleted }],
      [{ key: 'GET /orders', integrationId: 'int1' }],
    );
    recordV2Link(recorded, 'v2link1');
    recordSharedAlb(recorded);

    // Act
    const { findings } = await audit(recorded, [
      stage({ apiId: 'h1t2p3q4r5', apiType: 'HTTP', stage: '$default' }),
    ]);

    // Assert
    const integration = 'arn:aws:apigateway:us-east-1::/apis/h1t2p3q4r5/integrations/int1';
    expect(pathVerdicts(findings)).toEqual(
      [
        `PASS vpc-link-status ${VPC_LINK_V2}`,
        `FAIL integration-listener ${integration}`,
        `SKIPPED tg-empty-az ${arns.alb}`,
        `SKIPPED tg-unhealthy-az ${arns.alb}`,
        `SKIPPED lb-cross-zone ${arns.alb}`,
      ].sort(),
    );
    expect(
      findings.some((finding) => finding.status === 'ERROR' && PATH_CHECKS.includes(finding.checkId)),
    ).toBe(false);
  });

  it('audits only the integrations a route sends to', async () => {
    // Arrange: int2 points at the billing listener but no route uses it.
    const recorded = recordedClients();
    recordHttpApi(
      recorded,
      [
        { id: 'int1', listenerArn: arns.albListener443 },
        { id: 'int2', listenerArn: arns.albListener8443 },
      ],
      [{ key: 'GET /orders', integrationId: 'int1' }],
    );
    recordV2Link(recorded, 'v2link1');
    recordSharedAlb(recorded);

    // Act
    const { findings, inventory } = await audit(recorded, [
      stage({ apiId: 'h1t2p3q4r5', apiType: 'HTTP', stage: '$default' }),
    ]);

    // Assert
    const integrations = inventory.stages[0]?.integrations;
    expect(integrations?.ok && integrations.value.map((i) => [i.id, i.routeKeys])).toEqual([
      ['int1', ['GET /orders']],
    ]);
    expect(pathVerdicts(findings).some((line) => line.includes(arns.billingTg))).toBe(false);
  });

  it('finds the load balancer behind an integration URI that is a real NLB DNS name, dualstack form included', async () => {
    // Arrange: an INTERNET integration straight to an internet-facing NLB's dualstack name.
    const recorded = recordedClients();
    recordRestApi(recorded, { connectionType: 'INTERNET', uri: `http://dualstack.${dns.nlb}/orders` });
    recordOrdersNlb(recorded);
    recorded.mocks.elb
      .on(DescribeLoadBalancersCommand, {})
      .callsFake(async (input: { LoadBalancerArns?: string[] }) => {
        // DescribeLoadBalancers without ARNs lists the Region's load balancers (one page).
        if (input.LoadBalancerArns) return { LoadBalancers: [] };
        return {
          LoadBalancers: [
            {
              LoadBalancerArn: arns.nlb,
              DNSName: dns.nlb,
              LoadBalancerName: 'orders-nlb',
              Type: 'network',
              VpcId: 'vpc-3ac0fb5f',
              AvailabilityZones: [
                { ZoneName: 'us-east-1a', SubnetId: 'subnet-8360a9e7' },
                { ZoneName: 'us-east-1b', SubnetId: 'subnet-b7d581c0' },
              ],
            },
          ],
        };
      });

    // Act
    const { findings } = await audit(recorded, [stage({})]);

    // Assert
    expect(statusOf(findings, 'tg-unhealthy-az', arns.ordersTg)).toBe('PASS');
  });

  it('follows an NLB’s `alb` target group into the ALB behind it, judging zones by the ALB’s', async () => {
    // Arrange: V1 link -> NLB TCP:80 -> front-to-alb (type alb) -> shared-alb HTTPS:443 -> orders-tg (+ rule).
    const recorded = recordV1PathThroughNlbToAlb(443);

    // Act
    const { findings, inventory } = await audit(recorded, [stage({})]);

    // Assert: the alb target group passes both zone checks (the ALB serves both zones); the ALB's
    // own target groups on the 443 path are judged; billing-tg (8443) is not on the path.
    const verdicts = pathVerdicts(findings);
    expect(verdicts).toEqual(
      expect.arrayContaining([
        `PASS tg-empty-az ${arns.nlbToAlbTg}`,
        `PASS tg-unhealthy-az ${arns.nlbToAlbTg}`,
        `PASS integration-listener ${arns.nlbToAlbTg}`,
        `PASS tg-empty-az ${arns.ordersTg}`,
      ]),
    );
    expect(verdicts.some((line) => line.includes(arns.billingTg))).toBe(false);
    // The URI sends /orders: the `/v2/*` rule cannot match it, so orders-v2-tg is not on the path.
    expect(verdicts.some((line) => line.includes(arns.ordersV2Tg))).toBe(false);
    expect(
      findings.find((f) => f.resourceArn === arns.ordersTg && f.checkId === 'tg-empty-az')?.message,
    ).toContain('ALB shared-alb (behind NLB orders-nlb)');
    // The report's path for the stage says which hops were followed, in order, and from where.
    const stageInventory = inventory.stages[0];
    const path = stageInventory ? auditedPath(stageInventory, inventory) : [];
    expect(path.map((hop) => `${hop.seq} ${hop.label} <- ${hop.from.join(',')}`)).toEqual([
      '1 stage orders/prod <- ',
      '2 GET /orders <- 1',
      '3 VPC link orders-link (V1) <- 2',
      '4 NLB orders-nlb <- 3',
      '5 listener TCP:80 <- 4',
      '6 default rule <- 5',
      '7 target group front-to-alb <- 6',
      '8 ALB shared-alb <- 7',
      '9 listener HTTPS:443 <- 8',
      '10 default rule <- 9',
      '11 target group orders-tg <- 10',
      '12 target 10.0.1.20:8080 <- 11',
      '13 target 10.0.2.20:8080 <- 11',
    ]);
    // The `alb` group's target is the ALB, followed as a load balancer (no target component of its
    // own). Through a V1 link the ALB sees the NLB's nodes; this account shows the NLB no network
    // interface and its subnets were not read, so who connects is said to be unknown, never guessed.
    const alb = path.find((hop) => hop.label === 'ALB shared-alb');
    expect(alb?.facts).toEqual(expect.objectContaining({ type: 'application', scheme: 'internal' }));
    expect(alb?.senders).toBeUndefined();
    expect(alb?.explanations?.map((explanation) => explanation.explanationCode)).toEqual([
      'COMPONENT_UNREADABLE',
    ]);
    expect(path.filter((hop) => hop.kind === 'target' && hop.from.includes(7))).toEqual([]);
  });

  it('fails the NLB’s `alb` target group when the ALB has no listener on the group’s port', async () => {
    // Arrange: the same path, but the target group forwards to port 8080, where the ALB does not listen.
    const recorded = recordV1PathThroughNlbToAlb(8080);

    // Act
    const { findings } = await audit(recorded, [stage({})]);

    // Assert
    expect(statusOf(findings, 'integration-listener', arns.nlbToAlbTg)).toBe('FAIL');
    expect(statusOf(findings, 'tg-empty-az', arns.ordersTg)).toBeUndefined();
  });

  it('fails a stage whose deployment still serves the old VPC link after the integration was changed', async () => {
    // Arrange: the method now uses the V2 link (healthy path), but the stage's deployment still
    // sends through the deleted V1 link: GetExport (oas30, extensions=integrations) says so.
    const recorded = recordV2RestPathToNlb();
    const exported = {
      openapi: '3.0.1',
      paths: {
        '/orders': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              uri: `http://${dns.nlb}:80/orders`,
              connectionType: 'VPC_LINK',
              connectionId: 'vl1a2b3',
            },
          },
        },
      },
    };
    recorded.mocks.apiGateway.on(GetExportCommand).resolves({
      contentType: 'application/json',
      body: new TextEncoder().encode(JSON.stringify(exported)) as never,
    });

    // Act
    const { findings } = await audit(recorded, [stage({})]);

    // Assert
    const drift = findings.find((finding) => finding.checkId === 'stage-deployment-drift');
    expect(drift?.status).toBe('FAIL');
    expect(drift?.message).toContain(
      'GET /orders (connectionId: deployed vl1a2b3, current v2link1; integrationTarget: deployed (none)',
    );
  });

  it('recognises every form of ELB DNS name, and nothing else', () => {
    expect(loadBalancerDnsName(dns.nlb)).toBe(dns.nlb);
    expect(loadBalancerDnsName(`dualstack.${dns.nlb}`)).toBe(dns.nlb);
    expect(loadBalancerDnsName(dns.alb.toUpperCase())).toBe(dns.alb);
    expect(loadBalancerDnsName('my-nlb-0123456789abcdef.elb.cn-north-1.amazonaws.com.cn')).not.toBeNull();
    expect(loadBalancerDnsName('my-alb-1234567890.cn-north-1.elb.amazonaws.com.cn')).not.toBeNull();
    expect(loadBalancerDnsName('orders.internal.example.com')).toBeNull();
    expect(loadBalancerDnsName('elb.amazonaws.com.evil.example')).toBeNull();
  });
});
