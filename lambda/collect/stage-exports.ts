/**
 * What a stage's deployment serves, from its OpenAPI export with API Gateway's integration extension
 * (`x-amazon-apigateway-integration`): REST `GetExport` (oas30, `extensions=integrations`), HTTP
 * `ExportApi` (OAS30 with `StageName`). An export is the costliest read of a path, so it is read once
 * per deployment (`DeploymentExports`): stages that serve the same deployment share it.
 */
import { type APIGatewayClient, GetExportCommand } from '@aws-sdk/client-api-gateway';
import { type ApiGatewayV2Client, ExportApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { Collected, DeployedIntegration } from '../domain/types';
import { attempt } from './collect-error';
import { Memo } from './memo';

export type ServedIntegrations = Collected<Record<string, DeployedIntegration> | null>;

/**
 * GetExport (`GET /restapis/{id}/stages/{stage}/exports/{type}`) and ExportApi (`GET
 * /v2/apis/{id}/exports/{specification}`) are authorised as `apigateway:GET`, like every API Gateway read.
 */
export const IAM_ACTIONS = ['apigateway:GET'] as const;

const HTTP_METHODS = new Set([
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'x-amazon-apigateway-any-method',
]);

type ExportedIntegration = Partial<
  Record<
    'uri' | 'connectionType' | 'connectionId' | 'integrationTarget' | 'type' | 'timeoutInMillis',
    unknown
  >
>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** An export states the timeout as a number; a string of digits is read as one, anything else as absent. */
function milliseconds(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

const TEXT_FIELDS = ['type', 'uri', 'connectionType', 'connectionId', 'integrationTarget'] as const;

/** One integration extension as the export writes it: what is absent stays absent (defaults are the check's). */
function exportedIntegration(integration: ExportedIntegration): DeployedIntegration {
  const fields: DeployedIntegration = {};
  for (const key of TEXT_FIELDS) {
    const value = text(integration[key]);
    if (value !== undefined) fields[key] = value;
  }
  const timeout = milliseconds(integration.timeoutInMillis);
  if (timeout !== undefined) fields.timeoutInMillis = timeout;
  return fields;
}

/**
 * Pure: an OpenAPI export -> its integrations by `METHOD /path` (`ANY` for
 * `x-amazon-apigateway-any-method`), null when the export carries no integration extension at all.
 * An HTTP API's `$default` route is the any-method marked `isDefaultRoute` (developer guide,
 * "x-amazon-apigateway-any-method object"), filed as `ANY $default` whatever path holds it.
 */
export function deployedIntegrationsOf(document: unknown): Record<string, DeployedIntegration> | null {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> } | null)?.paths ?? {};
  const found: Record<string, DeployedIntegration> = {};
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods ?? {})) {
      if (!HTTP_METHODS.has(method)) continue;
      const fields = operation as Record<string, unknown> | null;
      const integration = fields?.['x-amazon-apigateway-integration'];
      if (!integration || typeof integration !== 'object') continue;
      const name = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
      const route = fields?.isDefaultRoute === true ? '$default' : path;
      found[`${name} ${route}`] = exportedIntegration(integration as ExportedIntegration);
    }
  }
  return Object.keys(found).length > 0 ? found : null;
}

const parseExport = (body: Uint8Array | undefined) =>
  deployedIntegrationsOf(JSON.parse(new TextDecoder().decode(body ?? new Uint8Array())));

export function readRestStageExport(
  client: APIGatewayClient,
  apiId: string,
  stage: string,
): Promise<ServedIntegrations> {
  return attempt('apigateway:GetExport', async () => {
    const output = await client.send(
      new GetExportCommand({
        restApiId: apiId,
        stageName: stage,
        exportType: 'oas30',
        parameters: { extensions: 'integrations' },
        accepts: 'application/json',
      }),
    );
    return parseExport(output.body);
  });
}

export function readHttpStageExport(
  client: ApiGatewayV2Client,
  apiId: string,
  stage: string,
): Promise<ServedIntegrations> {
  return attempt('apigateway:ExportApi', async () => {
    const output = await client.send(
      new ExportApiCommand({
        ApiId: apiId,
        StageName: stage,
        Specification: 'OAS30',
        OutputType: 'JSON',
        IncludeExtensions: true,
      }),
    );
    return parseExport(output.body);
  });
}

/**
 * One export per deployment: the first stage that serves a deployment reads it, the others share it.
 * A stage whose deployment is unknown (its GetStage failed) is read on its own.
 */
export class DeploymentExports {
  private readonly exports = new Memo<string, ServedIntegrations>();

  constructor(private readonly read: (apiId: string, stage: string) => Promise<ServedIntegrations>) {}

  of(apiId: string, stage: string, deploymentId: string | undefined): Promise<ServedIntegrations> {
    const key = deploymentId ? `${apiId}|deployment|${deploymentId}` : `${apiId}|stage|${stage}`;
    return this.exports.get(key, () => this.read(apiId, stage));
  }
}
