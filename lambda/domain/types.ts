/**
 * The types every layer shares. Data flows one way:
 * triage (StageTraffic) -> collect (Inventory) -> evaluate (CheckResult -> Finding) -> Report.
 * Nothing here talks to AWS.
 */

export type ApiType = 'REST' | 'HTTP';

export const CLASSIFICATIONS = ['no-traffic', 'healthy', 'low-frequency', 'high-frequency'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const STATUSES = ['FAIL', 'WARN', 'PASS', 'ERROR', 'SKIPPED'] as const;
export type Status = (typeof STATUSES)[number];

/** Highest first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One API stage, the unit the triage classifies and findings point back to. */
export interface StageKey {
  region: string;
  apiId: string;
  stage: string;
}

export interface StageIdentity extends StageKey {
  apiName: string;
  apiType: ApiType;
}

export interface Thresholds {
  /** 5xx/requests at or above which a stage is high-frequency (given enough requests). */
  highErrorRatio: number;
  /** Share of the window's periods with at least one 5xx at or above which errors are "continuous". */
  continuousPeriodShare: number;
  /** Below this many requests in the window, the ratio alone never makes a stage high-frequency. */
  minRequests: number;
  /**
   * 5xx/requests below which errors are transient however many periods they show in (given enough
   * requests): a trickle under this ratio is low-frequency. Absent: the default (classify-stage.ts).
   */
  transientErrorRatio?: number;
}

export interface AuditWindow {
  start: string;
  end: string;
  periodSeconds: number;
}

/** Per-period counts of one stage, aligned on the window's periods (missing data = 0 requests). */
export interface StageTraffic extends StageIdentity {
  requests: number[];
  errors5xx: number[];
  /**
   * REST metrics are keyed by API name: when other REST APIs in the Region share this name, their
   * ids are listed here and the counts above are the sum of all of them.
   */
  sharesMetricsWith?: string[];
}

/** One period of the window in which a stage had 5xx: its start and how many. */
export interface ErrorMinute {
  at: string;
  errors5xx: number;
}

/** The kinds of component a stage's path crosses, in traffic order. */
export const PATH_COMPONENT_KINDS = [
  'stage',
  'canary',
  'route',
  'integration',
  'vpc-link',
  'cloud-map-service',
  'cloud-map-instance',
  'load-balancer',
  'listener',
  'rule',
  'target-group',
  'target',
] as const;
export type PathComponentKind = (typeof PATH_COMPONENT_KINDS)[number];

/**
 * What the path model found at a component, as Reachability Analyzer's `Explanation`: a stable code
 * (`lambda/path/explanations.ts`) and the AWS documentation of the rule it rests on.
 */
export interface PathExplanation {
  explanationCode: string;
  source: string;
  /** The target groups it concerns (Reachability Analyzer's `LoadBalancerTargetGroups`), e.g. at weight 0. */
  loadBalancerTargetGroups?: string[];
}

/** Who connects to a component (lambda/path/senders.ts), as Reachability Analyzer's inbound header. */
export interface PathSenders {
  /** For people: `NLB orders-nlb nodes in us-east-1a (cross-zone off)`. Untrusted names inside. */
  description: string;
  /** The addresses or ranges they connect from (`InboundHeader.SourceAddresses`). */
  sourceAddresses: string[];
  /** The security groups a group reference can match them by. */
  securityGroupIds: string[];
  /** Set when a range that holds the senders stands in for their exact addresses: the action that failed. */
  approximatedBecause?: string;
}

export interface StageComponentFacts {
  apiType: ApiType;
  /** The deployment the stage (or its canary) serves; absent when not read. */
  deploymentId?: string;
}

export interface IntegrationComponentFacts {
  type: string;
  connectionType: 'INTERNET' | 'VPC_LINK';
  uri?: string;
  timeoutMs: number;
  vpcLinkVersion?: VpcLinkVersion;
  port?: number;
}

export interface VpcLinkComponentFacts {
  version: VpcLinkVersion;
  status: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

/** Cross-zone load balancing as it applies, and where the setting comes from. */
export interface CrossZoneFacts {
  enabled: boolean;
  source: string;
}

export interface LoadBalancerComponentFacts {
  type: LoadBalancerFacts['type'];
  scheme?: 'internal' | 'internet-facing';
  zones: { zoneName: string; subnetId: string }[];
  securityGroupIds: string[];
  /** Absent when the attributes could not be read. */
  crossZone?: CrossZoneFacts;
}

export interface ListenerComponentFacts {
  protocol: string;
  port: number;
  certificateArns: string[];
}

export interface RuleComponentFacts {
  /** `default`, or the rule's number. */
  priority: string;
  conditions: RuleConditionFacts[];
  actionType: string;
  /** The groups its forward sends to, with their weights. */
  forward: WeightedTargetGroup[];
}

export interface TargetGroupComponentFacts {
  protocol: string;
  port: number;
  targetType: TargetGroupFacts['targetType'];
  /** The weight the rule's forward gives it. */
  weight: number;
  /** `preserve_client_ip.enabled` as it applies (AWS's default by target type and protocol when not set). */
  preserveClientIp: boolean;
  /** `proxy_protocol_v2.enabled`: the targets must expect the proxy protocol header. */
  proxyProtocolV2: boolean;
  healthCheck?: { protocol: string; port: string };
  /** Absent when the attributes could not be read. */
  crossZone?: CrossZoneFacts;
  /** How many targets are registered; absent when they could not be read. */
  registeredTargets?: number;
  /** Registered targets beyond the ones listed as components (the JSON lists the first 50). */
  targetsNotListed?: number;
}

export interface TargetComponentFacts {
  port: number;
  /** The zones it serves (`all`: outside the VPC); empty while its host could not be read. */
  zones: string[];
  state: string;
  reason?: string;
  /** Instance and ip targets whose host was read: where the traffic lands. */
  address?: string;
  subnetId?: string;
  securityGroupIds?: string[];
}

/** A Cloud Map service behind a V2 link (HTTP API private integrations). */
export interface CloudMapServiceComponentFacts {
  /** `none`: DiscoverInstances returns every instance, healthy or not. */
  healthCheck: CloudMapServiceFacts['healthCheck'];
  /** How many instances are registered; absent when they could not be read. */
  registeredInstances?: number;
  /** Registered instances beyond the ones listed as components (the JSON lists the first 50). */
  instancesNotListed?: number;
}

/** A registered Cloud Map instance: where the link's interfaces connect. */
export interface CloudMapInstanceComponentFacts {
  /** `AWS_INSTANCE_IPV4` and `AWS_INSTANCE_PORT`; absent when the instance lacks them (it gets no traffic). */
  address?: string;
  port?: number;
  /** Its health under the service's health check: `HEALTHY`, `UNHEALTHY`, `UNKNOWN`; `not checked` without one. */
  health: string;
  /** The interface holding the address, when read. */
  subnetId?: string;
  zone?: string;
  securityGroupIds?: string[];
}

/** The facts that decide whether traffic passes at a component, by its kind (a route has none beyond its key). */
export interface PathComponentFactsByKind {
  stage: StageComponentFacts;
  canary: StageComponentFacts;
  route: never;
  integration: IntegrationComponentFacts;
  'vpc-link': VpcLinkComponentFacts;
  'cloud-map-service': CloudMapServiceComponentFacts;
  'cloud-map-instance': CloudMapInstanceComponentFacts;
  'load-balancer': LoadBalancerComponentFacts;
  listener: ListenerComponentFacts;
  rule: RuleComponentFacts;
  'target-group': TargetGroupComponentFacts;
  target: TargetComponentFacts;
}

interface PathHopOf<K extends PathComponentKind> {
  seq: number;
  kind: K;
  /** ARN or id of the resource; for a missing listener, the load balancer and what was sent to. */
  id: string;
  label: string;
  /** The components traffic reaches this one from. */
  from: number[];
  /** A target group: the listener rule that forwards to it (`default` or its priority). */
  rule?: string;
  /** Absent where it could not be read (an explanation says so). */
  facts?: PathComponentFactsByKind[K];
  /** Who connects to it: for a load balancer and a target. */
  senders?: PathSenders;
  /** Explanation codes of the path model for this component, each with its AWS source. */
  explanations?: PathExplanation[];
  /** A component of a REST stage's canary path (the canary, its integrations). */
  variant?: 'canary';
  /** The stage and the canary of a stage with a canary: the share (0-1) of the stage's requests each serves. */
  share?: number;
}

/**
 * One component of the path the audit followed for a stage (see `auditedPath`), as Reachability
 * Analyzer's `PathComponent`: its sequence number, the resource, where traffic reaches it from, the
 * facts that decide whether traffic passes, who connects to it and what the model found there.
 */
export type PathHop = { [K in PathComponentKind]: PathHopOf<K> }[PathComponentKind];

/** A component of one kind. */
export type PathHopOfKind<K extends PathComponentKind> = Extract<PathHop, { kind: K }>;

export interface ClassifiedStage extends StageIdentity {
  requests: number;
  errors5xx: number;
  errorRatio: number;
  periodsWithErrors: number;
  periods: number;
  classification: Classification;
  sharesMetricsWith?: string[];
  /**
   * The window's periods in which the stage had 5xx, oldest first: what the path's series are read
   * against. Absent when the stage had none (or the caller did not give the window).
   */
  errorMinutes?: ErrorMinute[];
  /** The per-period counts the triage read, aligned on the window's periods (the HTML report's charts). */
  series?: { requests: number[]; errors5xx: number[] };
  /** The path the audit followed behind this stage; absent when its path was not read. */
  auditedPath?: PathHop[];
}

/**
 * What a stage's verdict rests on: `cause` a finding explains its errors; `unreadable` none found, but
 * part of its path could not be read; `no-network-cause` its path is sound (the targets answered 5xx,
 * or the errors are not network errors); `transient` a trickle under the ratio: retry; `healthy` and
 * `no-traffic` nothing to explain.
 */
export const VERDICT_KINDS = [
  'cause',
  'unreadable',
  'no-network-cause',
  'transient',
  'healthy',
  'no-traffic',
] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** One answer per stage (lambda/verdict/): renderers read it, never recompute it. */
export interface StageVerdict {
  kind: VerdictKind;
  /** Ids of the findings that explain the stage's errors, the likeliest first; empty when none does. */
  causes: string[];
  /** One line: the cause and its resource, or why there is none. Untrusted names inside: clean before showing. */
  summary: string;
}

// ---------------------------------------------------------------------------------------------
// Collection results: every fact a check reads is either collected or the error that stopped it.

export interface CollectionError {
  /** IAM-style action that failed, e.g. `ec2:DescribeFlowLogs`. */
  action: string;
  /** Error name from AWS (`AccessDenied`, `ThrottlingException`, `NotFound`, ...). */
  code: string;
  message: string;
}

export type Collected<T> = { ok: true; value: T } | { ok: false; error: CollectionError };

export const collected = <T>(value: T): Collected<T> => ({ ok: true, value });
export const failed = <T = never>(error: CollectionError): Collected<T> => ({ ok: false, error });

// ---------------------------------------------------------------------------------------------
// The inventory: what stands behind the audited stages, in one Region.

export interface AccessLogSettings {
  destinationArn: string;
  format: string;
}

export interface ExecutionLogging {
  loggingLevel: 'OFF' | 'ERROR' | 'INFO';
  dataTraceEnabled: boolean;
}

export interface StageSettings {
  /** null when access logging is off. */
  accessLog: AccessLogSettings | null;
  /** REST only (the stage-wide method settings); null for HTTP APIs, which have no execution logs. */
  executionLogging: ExecutionLogging | null;
  /**
   * REST only: method settings that override the stage-wide ones, keyed `<resource path>/<METHOD>` as
   * API Gateway writes them with `/` escaped as `~1` (e.g. `~1orders/GET`, or `~1orders/*`).
   */
  methodLogging?: Record<string, Partial<ExecutionLogging>>;
  stageVariables: Record<string, string>;
  /** The deployment the stage serves (REST `deploymentId`, HTTP `DeploymentId`); absent when it has none. */
  deploymentId?: string;
  /** REST: the stage's canary (`canarySettings`), when it has one. */
  canary?: CanarySettings;
  /**
   * HTTP: `AutoDeploy` is on and the last automatic deployment succeeded with the stage's deployment
   * (`LastDeploymentStatusMessage`): every change to the API is deployed, so the stage serves the
   * current definition. Absent otherwise.
   */
  autoDeployed?: true;
}

/** A REST stage's canary (GetStage `canarySettings`): a share of requests served by another deployment. */
export interface CanarySettings {
  /** 0-100: the percentage of the stage's requests the canary serves. */
  percentTraffic: number;
  /** The deployment the canary serves; absent when GetStage names none. */
  deploymentId?: string;
  /** Stage variables that override the stage's own for the canary's requests. */
  stageVariableOverrides: Record<string, string>;
  useStageCache: boolean;
}

export interface IntegrationFacts {
  /** REST: `<resourceId>/<METHOD>`; HTTP: the integration id. */
  id: string;
  /** REST: the method's resource path and HTTP method, for method-level settings. */
  method?: { path: string; httpMethod: string };
  /** HTTP: the route keys that send to this integration (only routed integrations are on a path). */
  routeKeys?: string[];
  /** HTTP: the `overwrite:path` request parameter mapping, as configured; absent when there is none. */
  pathMapping?: string;
  /** ARN-like identifier used as the finding's resource. */
  arn: string;
  /** Human label: `GET /orders` (REST) or the integration id and URI (HTTP). */
  label: string;
  /** `HTTP`, `HTTP_PROXY`, `AWS`, `AWS_PROXY`, `MOCK`. */
  type: string;
  connectionType: 'INTERNET' | 'VPC_LINK';
  /** As configured, possibly `${stageVariables.x}`. */
  rawConnectionId?: string;
  /** Resolved VPC link id; absent when there is none or it could not be resolved (see pathError). */
  vpcLinkId?: string;
  /**
   * V1: a REST VPC link (PrivateLink to an NLB, `targetArns`). V2: the link of HTTP APIs, and of REST
   * integrations that name their load balancer in `integrationTarget`.
   */
  vpcLinkVersion?: VpcLinkVersion;
  /** REST integrations on a V2 link: the ARN of the ALB or NLB they send to. */
  integrationTarget?: string;
  uri?: string;
  timeoutMs: number;
  /** REST: port of the integration URI (default by scheme). */
  port?: number;
  /** HTTP: listener ARN from the integration URI. */
  listenerArn?: string;
  /** Load balancers this integration leads to (via VPC link or URI host = LB DNS name). */
  loadBalancerArns: string[];
  /** Why the path could not be followed past this integration (unresolved stage variable, vanished link...). */
  pathError?: CollectionError;
  /** The URI as configured, before stage variables; present only when it uses them (`uri` is resolved). */
  rawUri?: string;
  /**
   * HTTP API private integrations: the `TlsConfig` that makes API Gateway speak HTTPS to the listener
   * (absent: plain HTTP, whatever the URI), with the name it verifies and sends as SNI when one is set.
   */
  tlsConfig?: { serverNameToVerify?: string };
}

/** An integration as a stage's deployment serves it (the stage export's integration extension). */
export interface DeployedIntegration {
  type?: string;
  uri?: string;
  connectionType?: string;
  connectionId?: string;
  integrationTarget?: string;
  /** Absent when the export omits it (the default timeout). */
  timeoutInMillis?: number;
}

/**
 * A REST stage's canary as a second path: its share of the stage's requests, the deployment it
 * serves and the integrations that deployment sends to with the canary's stage variables (the
 * stage's, overridden by `stageVariableOverrides`). The stage's own path carries `1 - share`.
 */
export interface CanaryInventory {
  /** 0-1: `percentTraffic / 100`. */
  share: number;
  deploymentId?: string;
  stageVariables: Record<string, string>;
  integrations: Collected<IntegrationFacts[]>;
  /**
   * What the canary's deployment serves, when an export shows it: the stage's own export when the
   * canary serves the same deployment; absent otherwise (GetExport exports a stage's main deployment only).
   */
  deployedIntegrations?: Collected<Record<string, DeployedIntegration> | null>;
}

/** The lines of one log group that carry a documented network or VPC-link error. */
export interface LogLineCount {
  logGroup: string;
  /**
   * Matching lines that name this stage in every field the format holds (`attributedBy`); all of
   * them in a REST execution log group, which is the stage's own.
   */
  count: number;
  /** `count` by the documented message each line carries. */
  byMessage: Record<string, number>;
  /** Matching lines that name another API or stage (a shared group): never charged to this stage. */
  otherStages: number;
  /** Matching lines that do not follow the format, so name no API or stage: not counted. */
  unattributed: number;
  /** What a line names: `apiId`, `stage` (both for an execution log group, by its name; none for a format without them). */
  attributedBy: ('apiId' | 'stage')[];
  /** The search stopped at its bound: the counts are lower bounds. */
  truncated: boolean;
}

export type LogEvidence =
  | LogLineCount
  /** A log group not searched on purpose (outside the access-log prefix, a format without error text). */
  | { notSearched: string; logGroup: string };

export interface StageInventory {
  stage: ClassifiedStage;
  settings: Collected<StageSettings>;
  integrations: Collected<IntegrationFacts[]>;
  /** Maximum IntegrationLatency (ms) in the window; null when the series has no data. */
  integrationLatencyMaxMs: Collected<number | null>;
  /**
   * Maximum IntegrationLatency (ms) per integration id, from the per-method (REST) or per-route (HTTP)
   * series that exist only with detailed metrics; null where there is no such series. Absent when
   * not read.
   */
  integrationLatencyMaxMsByIntegration?: Record<string, Collected<number | null>>;
  /** The stage's maximum IntegrationLatency (ms) per window period (null: no data). Absent when not read. */
  integrationLatencyByPeriod?: Collected<(number | null)[]>;
  /**
   * What the stage's deployment serves (its export), keyed `METHOD /path` (REST) or by route key
   * (HTTP; the `$default` route is `ANY $default`); null when the export carries no integrations or
   * the stage has no deployment. Absent when not read.
   */
  deployedIntegrations?: Collected<Record<string, DeployedIntegration> | null>;
  /** REST: the stage's canary, a second path with its share of the requests (see CanaryInventory). */
  canary?: CanaryInventory;
  /**
   * Log lines in the window that carry a documented network or VPC-link error, in the stage's own
   * log group; a group deliberately not searched (with why); null when there is no log group to
   * search, or a REST stage's execution logging is off (no evidence, not an error).
   */
  networkErrorLogLines: Collected<LogEvidence | null>;
}

export type VpcLinkVersion = 'V1' | 'V2';

export interface VpcLinkFacts {
  id: string;
  arn: string;
  name: string;
  version: VpcLinkVersion;
  /** REST `status` / HTTP `VpcLinkStatus`: AVAILABLE, PENDING, DELETING, FAILED, INACTIVE. */
  status: string;
  statusMessage?: string;
  /** V1: `targetArns` (NLB ARNs). V2: empty (the integration names the listener or load balancer). */
  targetArns: string[];
  subnetIds: string[];
  securityGroupIds: string[];
}

/** A target group a forward action sends to, with its weight (`ForwardConfig.TargetGroups[].Weight`). */
export interface WeightedTargetGroup {
  arn: string;
  /** 0-999; a group at 0 gets no traffic. 1 when the action names one group without a ForwardConfig. */
  weight: number;
}

/**
 * One condition of a listener rule, as DescribeRules returns it (`Field` and its `...Config.Values`;
 * ELB API reference, RuleCondition). `query-string` values are `key=value` (`=value` without a key).
 */
export interface RuleConditionFacts {
  field: string;
  values: string[];
  /** `http-header`: the header it tests. */
  headerName?: string;
}

/** A listener rule (ELB API reference, Rule): the lowest priority whose conditions all match decides. */
export interface ListenerRuleFacts {
  arn: string;
  /** `default`, or the rule's number as a string. */
  priority: string;
  isDefault: boolean;
  conditions: RuleConditionFacts[];
  /** The last action's type: `forward`, `redirect`, `fixed-response`. */
  actionType: string;
  /** The groups a forward action sends to, with their weights; empty for any other action. */
  forward: WeightedTargetGroup[];
}

export interface ListenerFacts {
  arn: string;
  port: number;
  protocol: string;
  /** Target groups the listener's default action forwards to (weighted forwards included). */
  targetGroupArns: string[];
  /** The default action's forward with weights; absent: every group of `targetGroupArns` at weight 1. */
  defaultForward?: WeightedTargetGroup[];
  /**
   * Its rules (DescribeRules, the default rule included), read only for listeners on an audited
   * path; absent when not read.
   */
  rules?: Collected<ListenerRuleFacts[]>;
  /** HTTPS and TLS listeners: the default certificate (ACM or IAM ARN); absent for others. */
  certificateArns?: string[];
  /**
   * NLB TCP listeners on an audited path: DescribeListenerAttributes (`tcp.idle_timeout.seconds`);
   * absent when not read.
   */
  attributes?: Collected<Record<string, string>>;
  /**
   * HTTPS and TLS listeners on an audited path: every certificate the listener can present
   * (DescribeListenerCertificates: the default and the SNI certificate list). Absent when not read.
   */
  certificates?: Collected<ListenerCertificate[]>;
}

/** A certificate of a listener (ELB API reference, Certificate): ACM or IAM ARN, and whether it is the default. */
export interface ListenerCertificate {
  arn: string;
  isDefault: boolean;
}

/** An ACM certificate as DescribeCertificate describes it. */
export interface CertificateFacts {
  arn: string;
  domainName: string;
  /** ISO time after which the certificate is not valid; null when ACM gives none (not yet issued). */
  notAfter: string | null;
  /** `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `REVOKED`, ... */
  status: string;
  /** The names it covers besides (and usually including) `domainName`; absent when not read. */
  subjectAlternativeNames?: string[];
}

export interface NetworkInterfaceFacts {
  id: string;
  privateIp: string;
  subnetId: string;
}

/** The network interface that holds an `ip` target's address in the target group's VPC. */
export interface IpTargetInterfaceFacts {
  id: string;
  privateIp: string;
  subnetId: string;
  availabilityZone: string;
  securityGroupIds: string[];
}

/**
 * One instance registered in a Cloud Map service (ListInstances). API Gateway sends to the address
 * and port its attributes name (`AWS_INSTANCE_IPV4`, `AWS_INSTANCE_PORT`); without both it has
 * nowhere to send.
 */
export interface CloudMapInstanceFacts {
  id: string;
  ipv4?: string;
  /** `AWS_INSTANCE_PORT` when it is a port number. */
  port?: number;
  /** The interface that holds `ipv4` in the VPC link's VPC (null: none there does); absent without `ipv4`. */
  networkInterface?: Collected<IpTargetInterfaceFacts | null>;
}

/** A Cloud Map service an HTTP API private integration names in its `IntegrationUri` (GetService). */
export interface CloudMapServiceFacts {
  arn: string;
  id: string;
  name: string;
  /** `route53`: HealthCheckConfig; `custom`: HealthCheckCustomConfig; `none`: every instance gets traffic. */
  healthCheck: 'route53' | 'custom' | 'none';
  instances: Collected<CloudMapInstanceFacts[]>;
  /**
   * GetInstancesHealthStatus, read only for a service with a health check (DiscoverInstances then
   * returns its healthy instances): instance id -> `HEALTHY`, `UNHEALTHY` or `UNKNOWN`.
   */
  instanceHealth?: Collected<Record<string, string>>;
}

/** `arn:aws:servicediscovery:<region>:<account>:service/srv-...`: the integration URI of a Cloud Map private integration. */
export const isCloudMapServiceArn = (uri: string): boolean =>
  /^arn:aws[a-z-]*:servicediscovery:[^:]*:[^:]*:service\/[^/]+$/.test(uri);

/** Where an `ip` target's interface is filed: its address is only unique within its VPC. */
export const ipTargetKey = (vpcId: string, address: string): string => `${vpcId}|${address}`;

export interface LoadBalancerFacts {
  arn: string;
  name: string;
  type: 'network' | 'application' | 'gateway';
  /** DescribeLoadBalancers `Scheme`: an internal load balancer has private addresses only. Absent when not returned. */
  scheme?: 'internal' | 'internet-facing';
  dnsName: string;
  vpcId: string;
  zones: { zoneName: string; subnetId: string }[];
  securityGroupIds: string[];
  /**
   * NLBs with security groups: `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` as
   * DescribeLoadBalancers returns it. `on` (AWS's default) filters PrivateLink traffic, a V1 VPC
   * link's included, through the inbound rules. Absent when the response does not carry it.
   */
  privateLinkInboundRules?: 'on' | 'off';
  attributes: Collected<Record<string, string>>;
  listeners: Collected<ListenerFacts[]>;
  targetGroupArns: Collected<string[]>;
  networkInterfaces: Collected<NetworkInterfaceFacts[]>;
  /** NLB only: TCP_Target_Reset_Count per period (null: no data in the window). */
  tcpTargetResets: Collected<number[] | null>;
}

export interface TargetFacts {
  id: string;
  port: number;
  /** Zone of the target (instance's zone, or the target's own for IP targets); `all` for cross-VPC IPs. */
  availabilityZone?: string;
  /** `healthy`, `unhealthy`, `unused`, `draining`, `initial`, `unavailable`, `unhealthy.draining`. */
  state: string;
  reason?: string;
}

/** A target group's health check settings as DescribeTargetGroups returns them. */
export interface HealthCheckFacts {
  /** `TCP`, `HTTP`, `HTTPS`. */
  protocol: string;
  /** `traffic-port` or a port number. */
  port: string;
  intervalSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface TargetGroupFacts {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: 'instance' | 'ip' | 'lambda' | 'alb';
  vpcId: string;
  loadBalancerArns: string[];
  attributes: Collected<Record<string, string>>;
  targets: Collected<TargetFacts[]>;
  /** Absent when the description carried no health check settings. */
  healthCheck?: HealthCheckFacts;
}

export interface InstanceFacts {
  id: string;
  state: string;
  subnetId: string;
  availabilityZone: string;
  privateIp: string;
  securityGroupIds: string[];
}

export interface IpPermission {
  protocol: string; // '-1', 'tcp', 'udp', ...
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  sourceSecurityGroupIds: string[];
  prefixListIds: string[];
}

export interface SecurityGroupFacts {
  id: string;
  name: string;
  vpcId: string;
  inbound: IpPermission[];
  /**
   * Its egress rules (`IpPermissionsEgress`): a sender's group must let the connection out. Absent
   * when not read; empty when every egress rule was removed (no connection can leave).
   */
  outbound?: IpPermission[];
}

export interface SubnetFacts {
  id: string;
  vpcId: string;
  cidr: string;
  availabilityZone: string;
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string; // '-1', '6' (tcp), '17' (udp)
  action: 'allow' | 'deny';
  cidr: string;
  fromPort?: number;
  toPort?: number;
}

export interface NetworkAclFacts {
  id: string;
  entries: NetworkAclEntry[];
}

export interface VpcFacts {
  id: string;
  cidrs: string[];
  /** DescribeVpcs `OwnerId`: another account's for a VPC shared with this one. Absent when not returned. */
  ownerId?: string;
}

export interface FlowLogFacts {
  id: string;
  resourceId: string;
  /** ACTIVE when delivering. */
  status: string;
  trafficType: string;
}

export interface Inventory {
  region: string;
  account: string | null;
  window: AuditWindow;
  /** Stages the checks run for (the triage selected them, or all when asked). */
  stages: StageInventory[];
  vpcLinks: Record<string, Collected<VpcLinkFacts>>;
  loadBalancers: Record<string, Collected<LoadBalancerFacts>>;
  targetGroups: Record<string, Collected<TargetGroupFacts>>;
  instances: Record<string, Collected<InstanceFacts>>;
  /**
   * `ip` targets by `ipTargetKey(vpcId, address)`: the interface that holds the address in the target
   * group's VPC, or null when none there does (a peered VPC, on premises).
   */
  ipTargetInterfaces: Record<string, Collected<IpTargetInterfaceFacts | null>>;
  securityGroups: Record<string, Collected<SecurityGroupFacts>>;
  subnets: Record<string, Collected<SubnetFacts>>;
  /** Keyed by subnet id: the ACL associated with that subnet. */
  networkAclsBySubnet: Record<string, Collected<NetworkAclFacts>>;
  vpcs: Record<string, Collected<VpcFacts>>;
  /** Keyed by VPC id: every flow log on the VPC, its subnets or its interfaces. */
  flowLogsByVpc: Record<string, Collected<FlowLogFacts[]>>;
  /** Managed prefix lists the audited security groups reference: id -> their entries' CIDRs. */
  prefixLists?: Record<string, Collected<string[]>>;
  /**
   * The load balancers' and target groups' CloudWatch series per window period, keyed by
   * `loadBalancerSeriesKey` (lambda/domain/load-balancer-series.ts). Absent when not read.
   */
  loadBalancerSeries?: Record<string, Collected<(number | null)[]>>;
  /** The ACM certificates of the listeners on a path, by ARN. Absent when not read. */
  certificates?: Record<string, Collected<CertificateFacts>>;
  /** The Cloud Map services HTTP API private integrations send to, by service ARN. Absent when none. */
  cloudMapServices?: Record<string, Collected<CloudMapServiceFacts>>;
}

// ---------------------------------------------------------------------------------------------
// Checks and findings.

export interface CheckResult {
  resourceArn: string;
  resourceType: string;
  status: Status;
  /** Overrides the check's severity (e.g. a WARN that is less serious than a FAIL). */
  severity?: Severity;
  /** Stages this resource serves. */
  apis: StageKey[];
  message: string;
  evidence?: Record<string, unknown>;
}

/**
 * The exact change that removes a failing finding's cause, for a person to paste: AWS CLI commands
 * (shell-quoted, printed and never run by the auditor) and the CloudFormation property to change.
 */
export interface FixSuggestion {
  commands: string[];
  cloudFormation: string[];
}

export interface Finding {
  id: string;
  checkId: string;
  status: Status;
  severity: Severity;
  /** The account the resource is in; absent only where the audited account could not be read. */
  account?: string;
  region: string;
  resourceType: string;
  resourceArn: string;
  apis: { apiId: string; stage: string }[];
  title: string;
  message: string;
  remediation: string;
  docs: string[];
  evidence: Record<string, unknown>;
  /** The exact change that removes this finding (lambda/fixes/), printed and never run. */
  fix?: FixSuggestion;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  complete: boolean;
  /** Why the report is incomplete (failed AWS actions, time budget). Empty when complete. */
  incompleteReasons: string[];
  /**
   * The audited account. In a merged report (several accounts, `accounts` present): the one account
   * when every target was in it, null when there were several.
   */
  account: string | null;
  /** Every audited account, one entry each: present in a merged (organization) report only. */
  accounts?: AccountSummary[];
  regions: string[];
  window: AuditWindow;
  thresholds: Thresholds;
  apis: ReportStage[];
  findings: Finding[];
  /**
   * AWS calls by action and the SDK's retries; in a merged report, the sums over every account and
   * Region, and `durationMs` the sum of their audit times (the work done, not the wall-clock time).
   */
  stats: { durationMs: number; awsCalls: Record<string, number>; retries: number };
  /** Findings a mute rule took out of `findings`, with its reason; absent when none. */
  muted?: MutedFinding[];
  /** Checks left out of this audit (--exclude-checks, SUPPRESSIONS); absent when none. */
  excludedChecks?: string[];
}

/**
 * One API stage in the report: the account it is in is absent only where that could not be read; its
 * verdict is absent only in reports written before verdicts existed.
 */
export type ReportStage = ClassifiedStage & { region: string; account?: string; verdict?: StageVerdict };

export const ACCOUNT_STATUSES = ['audited', 'incomplete', 'error'] as const;
/**
 * audited: every Region read completely; incomplete: a Region's audit was cut short (time budget,
 * failed reads) or some Regions could not be reached; error: no Region of it could be audited.
 */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** One account of a merged report. */
export interface AccountSummary {
  id: string;
  /** The account's name in AWS Organizations (or its alias); untrusted text. */
  name?: string;
  /** The Regions it was to be audited in. */
  regions: string[];
  status: AccountStatus;
  /** Why it (or some of its Regions) could not be audited: the first failure, and every Region it hit. */
  error?: { action: string; code: string; message: string; regions: string[] };
}

/** A finding a mute rule took out of the report's findings: enough to find it again and to know why. */
export interface MutedFinding {
  id: string;
  checkId: string;
  status: Status;
  severity: Severity;
  /** The account of the muted finding (merged reports). */
  account?: string;
  resourceArn: string;
  reason: string;
  expires?: string;
}
