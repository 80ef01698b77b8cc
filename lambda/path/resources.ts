/** The building blocks every check shares: resources, stage keys and the results (PASS, WARN, FAIL, ERROR, SKIPPED). */
import { stageArn } from '../domain/arns';
import type {
  ApiType,
  CheckResult,
  ClassifiedStage,
  Collected,
  CollectionError,
  Severity,
  StageInventory,
  StageKey,
  VpcLinkVersion,
} from '../domain/types';

export const RESOURCE_TYPES = {
  restStage: 'AWS::ApiGateway::Stage',
  httpStage: 'AWS::ApiGatewayV2::Stage',
  restIntegration: 'AWS::ApiGateway::Method',
  httpIntegration: 'AWS::ApiGatewayV2::Integration',
  restVpcLink: 'AWS::ApiGateway::VpcLink',
  httpVpcLink: 'AWS::ApiGatewayV2::VpcLink',
  loadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  targetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  instance: 'AWS::EC2::Instance',
  networkInterface: 'AWS::EC2::NetworkInterface',
  securityGroup: 'AWS::EC2::SecurityGroup',
  subnet: 'AWS::EC2::Subnet',
  networkAcl: 'AWS::EC2::NetworkAcl',
  vpc: 'AWS::EC2::VPC',
} as const;

export interface Resource {
  resourceArn: string;
  resourceType: string;
}

export const stageKeyOf = ({ stage }: StageInventory): StageKey => ({
  region: stage.region,
  apiId: stage.apiId,
  stage: stage.stage,
});

export const stageLabel = (stage: ClassifiedStage): string => `${stage.apiName}/${stage.stage}`;

export const stageResource = (stage: ClassifiedStage): Resource => ({
  resourceArn: stageArn(stage),
  resourceType: stage.apiType === 'REST' ? RESOURCE_TYPES.restStage : RESOURCE_TYPES.httpStage,
});

export const integrationResourceType = (apiType: ApiType): string =>
  apiType === 'REST' ? RESOURCE_TYPES.restIntegration : RESOURCE_TYPES.httpIntegration;

/** V1 links are API Gateway's; V2 links (HTTP APIs, and REST since V2 links serve them) are apigatewayv2's. */
export const vpcLinkResourceType = (version: VpcLinkVersion | undefined): string =>
  version === 'V2' ? RESOURCE_TYPES.httpVpcLink : RESOURCE_TYPES.restVpcLink;

/** ERROR: the check could not be evaluated; the message names the AWS action that failed. */
export function couldNotRead(
  resource: Resource,
  apis: StageKey[],
  subject: string,
  error: CollectionError,
): CheckResult {
  return {
    ...resource,
    status: 'ERROR',
    apis,
    message: `could not read ${subject}: ${error.action} failed (${error.code}: ${error.message})`,
    evidence: { action: error.action, code: error.code },
  };
}

/** ERROR on the stage: its integrations, where every path starts, could not be read. */
export const integrationsUnreadable = (stage: StageInventory, error: CollectionError): CheckResult =>
  couldNotRead(stageResource(stage.stage), [stageKeyOf(stage)], 'the integrations of the stage', error);

/** SKIPPED: the check does not apply to this resource, for the reason given. */
export function notApplicable(resource: Resource, apis: StageKey[], reason: string): CheckResult {
  return { ...resource, status: 'SKIPPED', apis, message: reason };
}

type Evidence = Record<string, unknown>;

export const passed = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
): CheckResult => ({
  ...resource,
  status: 'PASS',
  apis,
  message,
  ...(evidence ? { evidence } : {}),
});

export const failedCheck = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
): CheckResult => ({ ...resource, status: 'FAIL', apis, message, ...(evidence ? { evidence } : {}) });

/** WARN: a weakness, or a failure that may not be on the path; `severity` overrides the check's. */
export const warned = (
  resource: Resource,
  apis: StageKey[],
  message: string,
  evidence?: Evidence,
  severity: Severity = 'low',
): CheckResult => ({
  ...resource,
  status: 'WARN',
  severity,
  apis,
  message,
  ...(evidence ? { evidence } : {}),
});

/**
 * Reads one collected fact by key. A key the collector never filled is a gap in the collection,
 * reported like a failed read of the action that should have gathered it.
 */
export function lookup<T>(record: Record<string, Collected<T>>, key: string, action: string): Collected<T> {
  return (
    record[key] ?? {
      ok: false,
      error: { action, code: 'NotCollected', message: `${key} was not collected` },
    }
  );
}

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
