/**
 * ARNs for the resources findings point at. API Gateway and ELB resources carry their own ARNs;
 * EC2 resources need the account, which may be unknown (null): the ARN then has an empty
 * account field, as AWS itself writes for account-less resources.
 */
import type { ApiType, StageKey } from './types';

export function stageArn(stage: StageKey & { apiType: ApiType }): string {
  const collection = stage.apiType === 'REST' ? 'restapis' : 'apis';
  return `arn:aws:apigateway:${stage.region}::/${collection}/${stage.apiId}/stages/${stage.stage}`;
}

export function vpcLinkArn(region: string, id: string): string {
  return `arn:aws:apigateway:${region}::/vpclinks/${id}`;
}

export function restIntegrationArn(
  region: string,
  apiId: string,
  resourceId: string,
  method: string,
): string {
  return `arn:aws:apigateway:${region}::/restapis/${apiId}/resources/${resourceId}/methods/${method}/integration`;
}

export function httpIntegrationArn(region: string, apiId: string, integrationId: string): string {
  return `arn:aws:apigateway:${region}::/apis/${apiId}/integrations/${integrationId}`;
}

const ec2Arn = (region: string, account: string | null, kind: string, id: string): string =>
  `arn:aws:ec2:${region}:${account ?? ''}:${kind}/${id}`;

export const securityGroupArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'security-group', id);
export const subnetArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'subnet', id);
export const vpcArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'vpc', id);
export const instanceArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'instance', id);
export const networkAclArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'network-acl', id);
export const networkInterfaceArn = (region: string, account: string | null, id: string): string =>
  ec2Arn(region, account, 'network-interface', id);

/** ACM certificates (`arn:aws:acm:...`); IAM server certificates are not ACM's and have no ACM expiry to read. */
export const isAcmCertificate = (arn: string): boolean => /^arn:aws[a-z-]*:acm:/.test(arn);
