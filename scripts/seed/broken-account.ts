/**
 * A shop whose HTTP APIs return 504 "Network error communicating with endpoint", and its healthy
 * twin. The broken one has what the article warns about: an NLB with targets in one of its three
 * zones only (and that target stopped in another), cross-zone off, targets whose security group
 * does not let the NLB in, no flow logs, 5xx series and target resets. The ALB path is sound.
 */
import type { AccountSpec } from './seed-account';

/** HTTP API access-log format with the variables that say why an integration failed. */
export const HTTP_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  status: '$context.status',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  integrationLatency: '$context.integration.latency',
  integrationErrorDetail: '$context.integration.error',
});

/** REST access-log format with the integration variables the article asks for. */
export const REST_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  status: '$context.status',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integration.error',
  integrationLatency: '$context.integration.latency',
});

const PERIODS = 12;
const steady = (value: number): number[] => new Array<number>(PERIODS).fill(value);

/** Zones a, b and c; the load balancers' interfaces and the targets live here. */
const SUBNETS: AccountSpec['subnets'] = [
  { name: 'private-a', cidr: '10.0.1.0/24', zone: 'us-east-1a' },
  { name: 'private-b', cidr: '10.0.2.0/24', zone: 'us-east-1b' },
  { name: 'private-c', cidr: '10.0.3.0/24', zone: 'us-east-1c' },
];

const ALB_PATH = {
  securityGroups: [
    { name: 'alb-listener', ingress: [{ port: 80, cidr: '0.0.0.0/0' }] },
    { name: 'alb-targets', ingress: [{ port: 8080, fromGroup: 'alb-listener' }] },
  ],
  instances: [
    { name: 'catalog-a', subnet: 'private-a', securityGroups: ['alb-targets'] },
    { name: 'catalog-b', subnet: 'private-b', securityGroups: ['alb-targets'] },
  ],
};

export const BROKEN_ACCOUNT: AccountSpec = {
  vpcCidr: '10.0.0.0/16',
  subnets: SUBNETS,
  securityGroups: [
    // Only an office range may reach the targets: the NLB's private IPs are not let in.
    { name: 'orders-targets', ingress: [{ port: 8080, cidr: '192.168.50.0/24' }] },
    ...ALB_PATH.securityGroups,
  ],
  instances: [
    { name: 'orders-a', subnet: 'private-a', securityGroups: ['orders-targets'] },
    { name: 'orders-b', subnet: 'private-b', securityGroups: ['orders-targets'], stopped: true },
    ...ALB_PATH.instances,
  ],
  targetGroups: [
    { name: 'orders-tg', protocol: 'TCP', port: 8080, targets: ['orders-a', 'orders-b'] },
    { name: 'catalog-tg', protocol: 'HTTP', port: 8080, targets: ['catalog-a', 'catalog-b'] },
  ],
  loadBalancers: [
    {
      name: 'orders-nlb',
      type: 'network',
      subnets: ['private-a', 'private-b', 'private-c'],
      crossZone: false,
      listeners: [{ port: 80, protocol: 'TCP', targetGroup: 'orders-tg' }],
      resets: [0, 0, 3, 12, 40, 38, 41, 35, 44, 39, 42, 37],
    },
    {
      name: 'catalog-alb',
      type: 'application',
      subnets: ['private-a', 'private-b'],
      securityGroups: ['alb-listener'],
      crossZone: true,
      listeners: [{ port: 80, protocol: 'HTTP', targetGroup: 'catalog-tg' }],
    },
  ],
  flowLogs: false,
  httpApis: [
    {
      name: 'orders-http',
      stage: 'prod',
      vpcLink: { name: 'orders-link', subnets: ['private-a', 'private-b', 'private-c'] },
      integrations: [{ loadBalancer: 'orders-nlb', port: 80 }],
      accessLog: { logGroup: 'orders-http-access', format: HTTP_ACCESS_LOG_FORMAT },
      traffic: { requests: steady(1000), errors5xx: steady(400), integrationLatencyMaxMs: 900 },
    },
    {
      name: 'catalog-http',
      stage: 'prod',
      vpcLink: { name: 'catalog-link', subnets: ['private-a', 'private-b'] },
      integrations: [{ loadBalancer: 'catalog-alb', port: 80 }],
      accessLog: { logGroup: 'catalog-http-access', format: HTTP_ACCESS_LOG_FORMAT },
      traffic: { requests: steady(800), errors5xx: steady(120), integrationLatencyMaxMs: 400 },
    },
  ],
  restApis: [
    {
      // Sporadic errors only: the low-frequency checks run, and its stage has no access log.
      name: 'payments-rest',
      stage: 'live',
      vpcLinkTargets: ['orders-nlb'],
      methods: [{ path: '/payments', method: 'POST', loadBalancer: 'orders-nlb', port: 80 }],
      traffic: {
        requests: steady(2000),
        errors5xx: [0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0],
        integrationLatencyMaxMs: 300,
      },
    },
  ],
};

/**
 * The same shop with every fault fixed: targets in every zone, all running, NLB let in, flow logs on,
 * health checked over HTTP.
 */
export const HEALTHY_TWIN: AccountSpec = {
  ...BROKEN_ACCOUNT,
  securityGroups: [
    // The REST method reaches the NLB by its DNS name (see restApis below): API Gateway then connects
    // from its public addresses, kept by client IP preservation, so the targets admit any address.
    { name: 'orders-targets', ingress: [{ port: 8080, cidr: '0.0.0.0/0' }] },
    ...ALB_PATH.securityGroups,
  ],
  instances: [
    { name: 'orders-a', subnet: 'private-a', securityGroups: ['orders-targets'] },
    { name: 'orders-b', subnet: 'private-b', securityGroups: ['orders-targets'] },
    { name: 'orders-c', subnet: 'private-c', securityGroups: ['orders-targets'] },
    ...ALB_PATH.instances,
  ],
  targetGroups: [
    {
      name: 'orders-tg',
      protocol: 'TCP',
      port: 8080,
      targets: ['orders-a', 'orders-b', 'orders-c'],
      // The application is HTTP: its health is checked over HTTP, on the traffic port.
      healthCheck: { protocol: 'HTTP' },
    },
    { name: 'catalog-tg', protocol: 'HTTP', port: 8080, targets: ['catalog-a', 'catalog-b'] },
  ],
  loadBalancers: BROKEN_ACCOUNT.loadBalancers.map((lb) => {
    const { resets: _resets, ...rest } = lb;
    // The REST method reaches orders-nlb by its DNS name (below): only an internet-facing one can be reached so.
    return {
      ...rest,
      crossZone: true,
      ...(lb.name === 'orders-nlb' ? { scheme: 'internet-facing' as const } : {}),
    };
  }),
  flowLogs: true,
  restApis: BROKEN_ACCOUNT.restApis.map((api) => ({
    ...api,
    // The emulator drops a REST integration's VPC link id, which reads as an unfollowable link
    // (ERROR) once every check runs: the twin reaches the NLB by its DNS name instead.
    methods: api.methods.map((method) => ({ ...method, viaVpcLink: false })),
    executionLogging: { level: 'INFO', dataTrace: true },
    accessLog: { logGroup: 'payments-rest-access', format: REST_ACCESS_LOG_FORMAT },
  })),
};
