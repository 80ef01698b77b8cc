/** The registry of checks, in the order of checks.md. Ids are the public contract of the report. */

import { albSecurityGroupSources } from './alb-security-group-sources';
import type { CheckDefinition } from './check-definition';
import { clientRetries } from './client-retries';
import { cloudMapHealthCheck } from './cloud-map-health-check';
import { cloudMapInstanceSecurityGroups } from './cloud-map-instance-security-groups';
import { executionLogNetworkErrors } from './execution-log-network-errors';
import { integrationListener } from './integration-listener';
import { integrationTimeout } from './integration-timeout';
import { latencyAtTimeout } from './latency-at-timeout';
import { lbCrossZone } from './lb-cross-zone';
import { listenerCertificateExpiry } from './listener-certificate-expiry';
import { nlbAccessLogsTls } from './nlb-access-logs-tls';
import { nlbTargetSecurityGroups } from './nlb-target-security-groups';
import { nlbTcpTargetResets } from './nlb-tcp-target-resets';
import { senderSecurityGroupEgress } from './sender-security-group-egress';
import { stageAccessLogging } from './stage-access-logging';
import { stageDeploymentDrift } from './stage-deployment-drift';
import { stageExecutionLogging } from './stage-execution-logging';
import { subnetNetworkAcls } from './subnet-network-acls';
import { targetResetsCoincide } from './target-resets-coincide';
import { targetsAnswered5xx } from './targets-answered-5xx';
import { tgEmptyAz } from './tg-empty-az';
import { tgFailedOpen } from './tg-failed-open';
import { tgHealthCheckPort } from './tg-health-check-port';
import { tgHealthyDip } from './tg-healthy-dip';
import { tgProxyProtocolV2 } from './tg-proxy-protocol-v2';
import { tgTcpHealthCheck } from './tg-tcp-health-check';
import { tgUnhealthyAz } from './tg-unhealthy-az';
import { vpcFlowLogs } from './vpc-flow-logs';
import { vpcLinkStatus } from './vpc-link-status';

export const CHECKS: readonly CheckDefinition[] = Object.freeze([
  clientRetries,
  stageAccessLogging,
  stageExecutionLogging,
  lbCrossZone,
  tgEmptyAz,
  tgUnhealthyAz,
  integrationTimeout,
  nlbAccessLogsTls,
  nlbTargetSecurityGroups,
  albSecurityGroupSources,
  senderSecurityGroupEgress,
  vpcFlowLogs,
  nlbTcpTargetResets,
  vpcLinkStatus,
  integrationListener,
  subnetNetworkAcls,
  executionLogNetworkErrors,
  stageDeploymentDrift,
  tgHealthyDip,
  tgFailedOpen,
  targetResetsCoincide,
  targetsAnswered5xx,
  latencyAtTimeout,
  tgTcpHealthCheck,
  tgHealthCheckPort,
  tgProxyProtocolV2,
  listenerCertificateExpiry,
  cloudMapInstanceSecurityGroups,
  cloudMapHealthCheck,
]);
