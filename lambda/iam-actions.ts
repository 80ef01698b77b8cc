/**
 * Every read-only IAM action the audit needs, gathered from the modules that make the calls, so
 * the Lambda's least-privilege policy (built from this list) cannot drift from the code.
 */

import { IAM_ACTIONS as HTTP_API_ACTIONS } from './collect/api-gateway-http';
import { IAM_ACTIONS as REST_API_ACTIONS } from './collect/api-gateway-rest';
import { IAM_ACTIONS as CERTIFICATE_ACTIONS } from './collect/certificates';
import { IAM_ACTIONS as CLOUD_MAP_ACTIONS } from './collect/cloud-map';
import { IAM_ACTIONS as LOAD_BALANCER_ACTIONS } from './collect/load-balancers';
import { IAM_ACTIONS as LOG_ACTIONS } from './collect/log-evidence';
import { IAM_ACTIONS as METRIC_ACTIONS } from './collect/metrics';
import { IAM_ACTIONS as NETWORK_ACTIONS } from './collect/network';
import { IAM_ACTIONS as EXPORT_ACTIONS } from './collect/stage-exports';
import { IAM_ACTIONS as ACCOUNT_ACTIONS } from './triage/read-account';
import { IAM_ACTIONS as TRIAGE_ACTIONS } from './triage/read-traffic';

const sortedUnique = (actions: readonly string[]): readonly string[] => [...new Set(actions)].sort();

/**
 * The function's audit actions. No `sts:GetCallerIdentity`: the function knows its account from
 * its own ARN (lambda/handler.ts), so the audit never asks STS there.
 */
export const AUDIT_IAM_ACTIONS: readonly string[] = sortedUnique([
  ...TRIAGE_ACTIONS,
  ...REST_API_ACTIONS,
  ...HTTP_API_ACTIONS,
  ...EXPORT_ACTIONS,
  ...LOAD_BALANCER_ACTIONS,
  ...NETWORK_ACTIONS,
  ...METRIC_ACTIONS,
  ...LOG_ACTIONS,
  ...CERTIFICATE_ACTIONS,
  ...CLOUD_MAP_ACTIONS,
]);

/** What the CLI's identity needs: the audit's actions, and STS to check the credentials and read the account. */
export const CLI_IAM_ACTIONS: readonly string[] = sortedUnique([...AUDIT_IAM_ACTIONS, ...ACCOUNT_ACTIONS]);

/**
 * What the audit reads of API Gateway (`apigateway:GET`): APIs, their stages and integrations, VPC
 * links. Never `/apikeys` or `/usageplans`: their GET returns API key values.
 */
export const API_GATEWAY_READ_PATHS: readonly string[] = [
  '/restapis',
  '/restapis/*',
  '/apis',
  '/apis/*',
  '/vpclinks',
  '/vpclinks/*',
];
