/**
 * The account the demo audits: a small shop with REST and HTTP APIs behind an NLB and an ALB, some
 * idle, some healthy, one with sporadic errors and several failing continuously, with the faults of
 * the article injected on the failing paths, and one that failed only during a deploy. Built on the
 * broken shop of the integration tests.
 */
import { BROKEN_ACCOUNT, HTTP_ACCESS_LOG_FORMAT, REST_ACCESS_LOG_FORMAT } from './broken-account';
import type { AccountSpec } from './seed-account';

const PERIODS = 12;
const steady = (value: number): number[] => new Array<number>(PERIODS).fill(value);

/** A deploy at 11:30: the NLB's one healthy target (in us-east-1a) was replaced, and for ten minutes none was healthy. */
const DEPLOY_BURST = [6, 7];
const burst = (during: number, otherwise: number): number[] =>
  Array.from({ length: PERIODS }, (_, i) => (DEPLOY_BURST.includes(i) ? during : otherwise));

export const DEMO_ACCOUNT: AccountSpec = {
  ...BROKEN_ACCOUNT,
  loadBalancers: BROKEN_ACCOUNT.loadBalancers.map((lb) =>
    lb.name === 'orders-nlb'
      ? {
          ...lb,
          // The REST methods reach it by its DNS name (the emulator drops a REST VPC link): internet-facing.
          scheme: 'internet-facing' as const,
          series: [
            { metricName: 'HealthyHostCount', targetGroup: 'orders-tg', values: burst(0, 1) },
            { metricName: 'UnHealthyHostCount', targetGroup: 'orders-tg', values: steady(0) },
            {
              metricName: 'HealthyHostCount',
              targetGroup: 'orders-tg',
              zone: 'us-east-1a',
              values: burst(0, 1),
            },
            {
              metricName: 'HealthyHostCount',
              targetGroup: 'orders-tg',
              zone: 'us-east-1b',
              values: steady(0),
            },
            {
              metricName: 'HealthyHostCount',
              targetGroup: 'orders-tg',
              zone: 'us-east-1c',
              values: steady(0),
            },
          ],
        }
      : lb,
  ),
  securityGroups: BROKEN_ACCOUNT.securityGroups.map((group) =>
    // The ALB only lets a partner range in: API Gateway's VPC link connects from the VPC's own addresses.
    group.name === 'alb-listener' ? { ...group, ingress: [{ port: 80, cidr: '203.0.113.0/24' }] } : group,
  ),
  httpApis: [
    ...BROKEN_ACCOUNT.httpApis.map((api) =>
      api.name === 'catalog-http'
        ? {
            ...api,
            // Targets answer in up to 4.8 s, against a 5 s integration timeout.
            integrations: api.integrations.map((integration) => ({ ...integration, timeoutMs: 5000 })),
            traffic: { ...api.traffic, integrationLatencyMaxMs: 4800 },
          }
        : api,
    ),
    {
      name: 'reports-http',
      stage: 'prod',
      vpcLink: { name: 'reports-link', subnets: ['private-a', 'private-b'] },
      integrations: [{ loadBalancer: 'catalog-alb', port: 80 }],
      accessLog: { logGroup: 'reports-http-access', format: HTTP_ACCESS_LOG_FORMAT },
      traffic: { requests: steady(0), errors5xx: steady(0) },
    },
  ],
  restApis: [
    ...BROKEN_ACCOUNT.restApis,
    {
      // Fails only during the deploy burst: tg-healthy-dip names the zone and the minutes.
      name: 'shipping-rest',
      stage: 'prod',
      vpcLinkTargets: ['orders-nlb'],
      methods: [
        { path: '/shipments', method: 'GET', loadBalancer: 'orders-nlb', port: 80, viaVpcLink: false },
      ],
      accessLog: { logGroup: 'shipping-rest-access', format: REST_ACCESS_LOG_FORMAT },
      traffic: { requests: steady(300), errors5xx: burst(250, 0), integrationLatencyMaxMs: 150 },
    },
    {
      name: 'inventory-rest',
      stage: 'prod',
      vpcLinkTargets: ['orders-nlb'],
      methods: [{ path: '/stock', method: 'GET', loadBalancer: 'orders-nlb', port: 80, viaVpcLink: false }],
      accessLog: { logGroup: 'inventory-rest-access', format: REST_ACCESS_LOG_FORMAT },
      // Execution logging off: the log lines that name the error are not written.
      traffic: { requests: steady(500), errors5xx: steady(150), integrationLatencyMaxMs: 700 },
    },
    {
      name: 'accounts-rest',
      stage: 'prod',
      vpcLinkTargets: ['orders-nlb'],
      methods: [
        { path: '/accounts', method: 'GET', loadBalancer: 'orders-nlb', port: 80, viaVpcLink: false },
      ],
      executionLogging: { level: 'INFO', dataTrace: true },
      accessLog: { logGroup: 'accounts-rest-access', format: REST_ACCESS_LOG_FORMAT },
      traffic: { requests: steady(300), errors5xx: steady(0), integrationLatencyMaxMs: 120 },
    },
  ],
};
