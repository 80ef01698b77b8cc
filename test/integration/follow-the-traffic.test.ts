/**
 * The path each stage's requests take, on the emulator, for what moto can express: a shared ALB
 * whose other listener serves an unrelated, broken service; listener rules; an integration no route
 * uses; an NLB forwarding to an ALB (`alb` target group); and two REST APIs with the same name.
 * The healthy twin of the broken shop is the base, so any FAIL here comes from what a test adds.
 */
import { CreateIntegrationCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { runAudit } from '../../lambda/audit';
import type { AwsClients } from '../../lambda/collect/clients';
import type { Report } from '../../lambda/domain/types';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { must, useEmulator } from '../support/emulator';
import { deployMockRestApi } from '../support/emulator-apis';

const TIMEOUT_MS = 90_000;

async function targetGroup(
  clients: AwsClients,
  seeded: SeededAccount,
  name: string,
  type: 'instance' | 'alb',
  port: number,
) {
  const created = await clients.elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: type === 'alb' ? 'TCP' : 'HTTP',
      Port: port,
      VpcId: seeded.vpcId,
      TargetType: type,
    }),
  );
  return must(created.TargetGroups?.[0]?.TargetGroupArn, `target group ${name}`);
}

async function forwardFromCatalogApi(
  clients: AwsClients,
  seeded: SeededAccount,
  listenerArn: string,
  routeKey?: string,
  requestParameters?: Record<string, string>,
) {
  const apiId = must(seeded.httpApis['catalog-http'], 'catalog-http');
  const integration = await clients.apiGatewayV2.send(
    new CreateIntegrationCommand({
      ApiId: apiId,
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: listenerArn,
      ConnectionType: 'VPC_LINK',
      ConnectionId: must(seeded.vpcLinks['catalog-link'], 'catalog-link'),
      PayloadFormatVersion: '1.0',
      ...(requestParameters ? { RequestParameters: requestParameters } : {}),
    }),
  );
  if (routeKey) {
    await clients.apiGatewayV2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: routeKey,
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
  }
}

/** FAIL and ERROR findings on the catalog API's stage (the twins are MOCK APIs with nothing set up). */
const problemsOf = (report: Report, apiId: string): string[] =>
  report.findings
    .filter((finding) => finding.apis.some((api) => api.apiId === apiId))
    .filter((finding) => finding.status === 'FAIL' || finding.status === 'ERROR')
    .map((finding) => `${finding.status} ${finding.checkId} ${finding.resourceArn}`);

describe('following the traffic on the emulator', () => {
  const aws = useEmulator();
  const now = new Date();
  let clients: AwsClients;
  let seeded: SeededAccount;
  let report: Report;
  const arns: Record<string, string> = {};

  beforeAll(async () => {
    clients = aws.clients({ rateLimits: false });
    seeded = await seedAccount(clients, HEALTHY_TWIN, now);
    const alb = must(seeded.loadBalancers['catalog-alb'], 'catalog-alb');
    const catalogListener = must(seeded.listeners['catalog-alb:80'], 'catalog-alb:80');

    // The shared ALB's other service: HTTP:8443 -> billing-tg, one target in us-east-1a only.
    arns.billing = await targetGroup(clients, seeded, 'billing-tg', 'instance', 9000);
    await clients.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: arns.billing,
        Targets: [{ Id: must(seeded.instances['catalog-a'], 'catalog-a') }],
      }),
    );
    const billingListener = await clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb.arn,
        Port: 8443,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: arns.billing }],
      }),
    );
    // An integration that points at the billing listener but that no route uses.
    await forwardFromCatalogApi(
      clients,
      seeded,
      must(billingListener.Listeners?.[0]?.ListenerArn, 'listener'),
    );

    // Rules on the catalog listener, each to an empty group (no target registered). catalog-http's
    // stage is `prod`, whose name API Gateway puts in front of the path it forwards to a private
    // integration ("Create private integrations for HTTP APIs"): /prod/v2/* -> catalog-v2-tg meets
    // its requests; /v2/* -> catalog-nostage-tg, written without the stage, never does.
    arns.catalogV2 = await targetGroup(clients, seeded, 'catalog-v2-tg', 'instance', 8080);
    arns.catalogNoStage = await targetGroup(clients, seeded, 'catalog-nostage-tg', 'instance', 8080);
    // A route whose integration maps the path to `$request.path`, "the request path, without the stage
    // name" (HTTP API guide, "Transform API requests and responses"): /v3/* -> catalog-v3-tg meets it.
    arns.catalogV3 = await targetGroup(clients, seeded, 'catalog-v3-tg', 'instance', 8080);
    await forwardFromCatalogApi(clients, seeded, catalogListener, 'GET /v3/{proxy+}', {
      'overwrite:path': '$request.path',
    });
    for (const [priority, pattern, group] of [
      [10, '/v2/*', arns.catalogNoStage],
      [20, '/prod/v2/*', arns.catalogV2],
      [30, '/v3/*', arns.catalogV3],
    ] as const) {
      await clients.elb.send(
        new CreateRuleCommand({
          ListenerArn: catalogListener,
          Priority: priority,
          Conditions: [{ Field: 'path-pattern', Values: [pattern] }],
          Actions: [{ Type: 'forward', TargetGroupArn: group }],
        }),
      );
    }

    // An NLB in front of the ALB: TCP:80 -> front-to-alb (type alb, the ALB on port 80).
    const nlb = await clients.elb.send(
      new CreateLoadBalancerCommand({
        Name: 'front-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: [
          must(seeded.subnets['private-a'], 'subnet a'),
          must(seeded.subnets['private-b'], 'subnet b'),
        ],
      }),
    );
    arns.frontNlb = must(nlb.LoadBalancers?.[0]?.LoadBalancerArn, 'front-nlb');
    arns.frontToAlb = await targetGroup(clients, seeded, 'front-to-alb', 'alb', 80);
    await clients.elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: arns.frontToAlb, Targets: [{ Id: alb.arn, Port: 80 }] }),
    );
    const frontListener = await clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: arns.frontNlb,
        Port: 80,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: arns.frontToAlb }],
      }),
    );
    await forwardFromCatalogApi(
      clients,
      seeded,
      must(frontListener.Listeners?.[0]?.ListenerArn, 'listener'),
      'GET /front',
    );

    // Two REST APIs named `twin`: one with stage prod, one with stage dev, both with traffic.
    for (const stageName of ['prod', 'dev']) {
      arns[`twin-${stageName}`] = await deployMockRestApi(clients, 'twin', stageName);
      await clients.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/ApiGateway',
          MetricData: ['Count', '5XXError'].map((MetricName) => ({
            MetricName,
            Dimensions: [
              { Name: 'ApiName', Value: 'twin' },
              { Name: 'Stage', Value: stageName },
            ],
            Timestamp: new Date(Date.parse(seeded.window.end) - 60_000),
            Value: MetricName === 'Count' ? 100 : 0,
          })),
        }),
      );
    }

    report = await runAudit(aws.auditRequest(now));
  }, TIMEOUT_MS);

  it('charges the API only the target groups its listener and rules forward to', () => {
    // catalog-v2-tg (a rule on the catalog listener, no target) is on the path and fails;
    // billing-tg (another listener, an empty zone) and the unrouted integration to it are not.
    expect(problemsOf(report, seeded.httpApis['catalog-http'] ?? '').sort()).toEqual(
      [
        `FAIL tg-empty-az ${arns.catalogV2}`,
        `FAIL tg-unhealthy-az ${arns.catalogV2}`,
        `FAIL tg-empty-az ${arns.catalogV3}`,
        `FAIL tg-unhealthy-az ${arns.catalogV3}`,
      ].sort(),
    );
    expect(report.findings.some((finding) => finding.resourceArn === arns.billing)).toBe(false);
    // The twin: an empty group behind a rule written without the stage name gets none of its requests.
    expect(report.findings.some((finding) => finding.resourceArn === arns.catalogNoStage)).toBe(false);
  });

  it('follows the NLB’s alb target group into the ALB, whose zones it serves', () => {
    const onFrontToAlb = report.findings.filter((finding) => finding.resourceArn === arns.frontToAlb);
    expect(onFrontToAlb.map((finding) => `${finding.status} ${finding.checkId}`).sort()).toEqual(
      expect.arrayContaining(['PASS tg-empty-az', 'PASS tg-unhealthy-az', 'PASS integration-listener']),
    );
    const catalogStage = report.apis.find((api) => api.apiName === 'catalog-http');
    const labels = catalogStage?.auditedPath?.map((hop) => hop.label) ?? [];
    expect(labels).toEqual(
      expect.arrayContaining(['NLB front-nlb', 'target group front-to-alb', 'ALB catalog-alb']),
    );
    expect(labels).not.toContain('target group billing-tg');
  });

  it('lists a stage of same-named REST APIs only under the API that has it', () => {
    const twins = report.apis
      .filter((api) => api.apiName === 'twin')
      .map((api) => `${api.apiId} ${api.stage}`)
      .sort();
    expect(twins).toEqual([`${arns['twin-dev']} dev`, `${arns['twin-prod']} prod`].sort());
  });
});
