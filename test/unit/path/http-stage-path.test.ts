/**
 * HTTP API private integrations forward the stage name in the request path on any stage but
 * `$default`: "For private integrations, API Gateway includes the stage portion of the API endpoint
 * in the request to your backend resources. For example, a request to the test stage of an API
 * includes test/ in the request to your private integration." (API Gateway guide, "Create private
 * integrations for HTTP APIs"). An `overwrite:path` mapping to `$request.path`, "the request path,
 * without the stage name" ("Transform API requests and responses for HTTP APIs"), removes it. So an
 * ALB `path-pattern` rule written for the route's path does not match on a named stage.
 */

import { tgEmptyAz } from '../../../lambda/checks/tg-empty-az';
import { httpIntegrationFacts } from '../../../lambda/collect/api-gateway-http';
import { collected, type ListenerRuleFacts } from '../../../lambda/domain/types';
import { knownRequests } from '../../../lambda/path/listeners';
import {
  albScenario,
  anHttpIntegration,
  aTargetGroup,
  LISTENER_ARN,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const FALLBACK_TG = TG_ARN.replace('orders-tg', 'fallback-tg');

/** GetIntegrations' Integration for an ALB listener through a VPC link, its routes from GetRoutes (apigatewayv2 API reference). */
const integration = (routeKeys: string[], pathMapping?: string) =>
  anHttpIntegration({ routeKeys, ...(pathMapping === undefined ? {} : { pathMapping }) });

describe('what an HTTP API private integration sends, by stage', () => {
  it("reads the integration's overwrite:path mapping from GetIntegrations, and none when it has no mapping", () => {
    // apigatewayv2 API reference, Integration: `RequestParameters` maps `overwrite:path` to its value.
    const listed = {
      IntegrationId: 'a1b2c3d',
      IntegrationType: 'HTTP_PROXY' as const,
      ConnectionType: 'VPC_LINK' as const,
      ConnectionId: 'vl-http',
      IntegrationUri: LISTENER_ARN,
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
    };
    const mapped = { ...listed, RequestParameters: { 'overwrite:path': '$request.path' } };
    expect(httpIntegrationFacts('us-east-1', 'h1t2p3', mapped, {}).pathMapping).toBe('$request.path');
    expect(httpIntegrationFacts('us-east-1', 'h1t2p3', listed, {})).not.toHaveProperty('pathMapping');
  });

  it('puts the stage name in front of each route path on a named stage, up to its first parameter', () => {
    expect(
      knownRequests(integration(['GET /orders/{id}', 'POST /orders', '$default', 'GET /']), {
        apiType: 'HTTP',
        stage: 'prod',
      }),
    ).toEqual([
      { path: { text: '/prod/orders/', exact: false } },
      { path: { text: '/prod/orders', exact: true } },
      { path: { text: '/prod', exact: false } },
    ]);
  });

  it('twin: the $default stage forwards the route paths as they are', () => {
    expect(
      knownRequests(integration(['GET /orders/{id}', 'POST /orders']), {
        apiType: 'HTTP',
        stage: '$default',
      }),
    ).toEqual([{ path: { text: '/orders/', exact: false } }, { path: { text: '/orders', exact: true } }]);
  });

  it('follows an overwrite:path mapping: $request.path drops the stage, another is known up to its first variable', () => {
    const api = { apiType: 'HTTP', stage: 'prod' } as const;
    expect(knownRequests(integration(['GET /orders/{id}'], '$request.path'), api)).toEqual([
      { path: { text: '/orders/', exact: false } },
    ]);
    expect(knownRequests(integration(['POST /orders'], `$${'{request.path}'}`), api)).toEqual([
      { path: { text: '/orders', exact: true } },
    ]);
    expect(knownRequests(integration(['ANY /{proxy+}'], '/v2/$request.path.proxy'), api)).toEqual([
      { path: { text: '/v2/', exact: false } },
    ]);
    expect(knownRequests(integration(['ANY /{proxy+}'], '$request.path.proxy'), api)).toEqual([{}]);
  });

  it('knows nothing of the path of an HTTP API integration that is not private', () => {
    expect(
      knownRequests(anHttpIntegration({ connectionType: 'INTERNET', routeKeys: ['GET /orders'] }), {
        apiType: 'HTTP',
        stage: 'prod',
      }),
    ).toEqual([{}]);
  });
});

/** DescribeRules' Rule, reduced to what the collector keeps (ELB API reference, Rule and RuleCondition). */
const rule = (
  priority: string,
  conditions: ListenerRuleFacts['conditions'],
  arn: string,
): ListenerRuleFacts => ({
  arn: `${LISTENER_ARN}/rule-${priority}`,
  priority,
  isDefault: priority === 'default',
  conditions,
  actionType: 'forward',
  forward: [{ arn, weight: 1 }],
});

/** An ALB whose listener sends `/orders*` to orders-tg and everything else to fallback-tg, which has no target. */
function ordersAlb(stage: string, pathMapping?: string) {
  return albScenario({
    stage: {
      integrations: collected([integration(['ANY /orders/{proxy+}'], pathMapping)]),
      stage: { apiType: 'HTTP', stage },
    },
    loadBalancer: {
      listeners: collected([
        {
          arn: LISTENER_ARN,
          port: 443,
          protocol: 'HTTPS',
          targetGroupArns: [FALLBACK_TG],
          rules: collected([
            rule('10', [{ field: 'path-pattern', values: ['/orders*'] }], TG_ARN),
            rule('default', [], FALLBACK_TG),
          ]),
        },
      ]),
    },
  })
    .with(
      'targetGroups',
      FALLBACK_TG,
      aTargetGroup({ arn: FALLBACK_TG, name: 'fallback-tg', targets: collected([]) }),
    )
    .build();
}

const statusesOn = (stage: string, arn: string, pathMapping?: string) =>
  resultsOf(tgEmptyAz, ordersAlb(stage, pathMapping))
    .filter((result) => result.resourceArn === arn)
    .map((result) => result.status);

describe('path-pattern rules meet the forwarded path', () => {
  it('sends a named stage past the /orders* rule to the default group, whose empty zones then fail', () => {
    expect(statusesOn('prod', FALLBACK_TG)).toEqual(['FAIL']);
    expect(statusesOn('prod', TG_ARN)).toEqual([]);
  });

  it('twin: on the $default stage the rule matches; the default group is not on the path', () => {
    expect(statusesOn('$default', TG_ARN)).toEqual(['PASS']);
    expect(statusesOn('$default', FALLBACK_TG)).toEqual([]);
  });

  it('twin: a named stage whose overwrite:path is $request.path reaches the rule too', () => {
    expect(statusesOn('prod', TG_ARN, '$request.path')).toEqual(['PASS']);
    expect(statusesOn('prod', FALLBACK_TG, '$request.path')).toEqual([]);
  });
});
