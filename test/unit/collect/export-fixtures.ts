/**
 * Stage exports as API Gateway writes them, and the same integrations as the current definition
 * reads them (GetResources / GetIntegrations), for comparing what a deployment serves with what the
 * API says now. Each shape names its source.
 */
import type { Integration as RestIntegration } from '@aws-sdk/client-api-gateway';
import type { Integration as HttpIntegration } from '@aws-sdk/client-apigatewayv2';
import { privateHttpIntegration } from './real-account';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const LAMBDA_FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-handler`;
/** Lambda integration URIs in API Gateway's invocation form (API Gateway API reference, Integration `uri`). */
export const LAMBDA_INVOCATION_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${LAMBDA_FUNCTION}/invocations`;
export const NLB_DNS = 'orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com';
/** API Gateway's stage-variable syntax, as definitions and exports write it. */
export const VARIABLE = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own stage-variable syntax
  vpcLinkId: '${stageVariables.vpcLinkId}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own stage-variable syntax
  catalogUri: 'http://${stageVariables.catalogHost}/catalog',
} as const;
export const LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/net/orders-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2`;

const corsResponses = {
  default: {
    statusCode: '200',
    responseParameters: {
      'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
      'method.response.header.Access-Control-Allow-Headers':
        "'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token'",
      'method.response.header.Access-Control-Allow-Origin': "'https://example.com'",
    },
  },
};

/**
 * A REST stage export (GetExport oas30, `extensions=integrations`). Shapes from:
 * - `servers` with the `basePath` variable, and the CORS `OPTIONS` mock and the `ANY /{proxy+}`
 *   Lambda proxy as exported: xsalazar/terraform-aws-docker-deploy,
 *   terraform/templates/api-gateway.yaml.tpl (an exported oas30 document: lower-case `type`, no
 *   `connectionType`, no `timeoutInMillis`);
 * - the private integration through `${stageVariables.vpcLinkId}`: API Gateway developer guide,
 *   "Set up API with private integrations using OpenAPI" (`connectionType: VPC_LINK` written only
 *   for VPC links, `passthroughBehavior: when_no_match`);
 * - the HTTP proxy to `http://${stageVariables.catalogHost}/catalog`: developer guide, "Use stage
 *   variables in HTTP integration URIs" (variables stay unresolved in an export).
 */
export function restStageExport(vpcLinkConnection: string = VARIABLE.vpcLinkId) {
  return {
    openapi: '3.0.1',
    info: { title: 'orders', version: '2026-11-20T09:12:44Z' },
    servers: [
      {
        url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/{basePath}',
        variables: { basePath: { default: 'prod' } },
      },
    ],
    paths: {
      '/{proxy+}': {
        options: {
          responses: { '200': { description: '200 response', content: {} } },
          'x-amazon-apigateway-integration': {
            responses: corsResponses,
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            passthroughBehavior: 'when_no_match',
            type: 'mock',
          },
        },
        'x-amazon-apigateway-any-method': {
          parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
          'x-amazon-apigateway-integration': {
            uri: LAMBDA_INVOCATION_URI,
            passthroughBehavior: 'when_no_match',
            httpMethod: 'POST',
            type: 'aws_proxy',
          },
        },
      },
      '/orders': {
        get: {
          responses: { '200': { description: '200 response', content: {} } },
          'x-amazon-apigateway-integration': {
            responses: { default: { statusCode: '200' } },
            uri: `http://${NLB_DNS}/orders`,
            passthroughBehavior: 'when_no_match',
            connectionType: 'VPC_LINK',
            connectionId: vpcLinkConnection,
            httpMethod: 'GET',
            type: 'http_proxy',
          },
        },
      },
      '/catalog': {
        get: {
          'x-amazon-apigateway-integration': {
            uri: VARIABLE.catalogUri,
            passthroughBehavior: 'when_no_match',
            httpMethod: 'GET',
            type: 'http_proxy',
          },
        },
      },
    },
    components: { schemas: { Empty: { title: 'Empty Schema', type: 'object' } } },
  };
}

/** The stage's variables (GetStage `variables`). */
export const REST_STAGE_VARIABLES = {
  vpcLinkId: 'vl1a2b3',
  catalogHost: 'catalog.internal.example.com',
};

/**
 * The same API's current definition as GetResources (embed=methods) returns each method's
 * integration (API Gateway API reference, Integration): upper-case `type`, `connectionType:
 * INTERNET` for what is not on a VPC link, `timeoutInMillis: 29000` and `passthroughBehavior`
 * stated, `cacheNamespace` set to the resource id.
 */
export function restCurrentDefinition(
  changes: Partial<Record<'orders' | 'catalog', Partial<RestIntegration>>> = {},
): { resourceId: string; path: string; method: string; integration: RestIntegration }[] {
  return [
    {
      resourceId: 'c4t4l0',
      path: '/catalog',
      method: 'GET',
      integration: {
        type: 'HTTP_PROXY',
        httpMethod: 'GET',
        uri: VARIABLE.catalogUri,
        connectionType: 'INTERNET',
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29_000,
        cacheNamespace: 'c4t4l0',
        cacheKeyParameters: [],
        ...changes.catalog,
      },
    },
    {
      resourceId: 'r5s6t7',
      path: '/orders',
      method: 'GET',
      integration: {
        type: 'HTTP_PROXY',
        httpMethod: 'GET',
        uri: `http://${NLB_DNS}/orders`,
        connectionType: 'VPC_LINK',
        connectionId: VARIABLE.vpcLinkId,
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29_000,
        cacheNamespace: 'r5s6t7',
        cacheKeyParameters: [],
        ...changes.orders,
      },
    },
    {
      resourceId: 'p9x8y7',
      path: '/{proxy+}',
      method: 'ANY',
      integration: {
        type: 'AWS_PROXY',
        httpMethod: 'POST',
        uri: LAMBDA_INVOCATION_URI,
        connectionType: 'INTERNET',
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29_000,
        cacheNamespace: 'p9x8y7',
        cacheKeyParameters: [],
      },
    },
    {
      resourceId: 'p9x8y7',
      path: '/{proxy+}',
      method: 'OPTIONS',
      integration: {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        passthroughBehavior: 'WHEN_NO_MATCH',
        connectionType: 'INTERNET',
        timeoutInMillis: 29_000,
        cacheNamespace: 'p9x8y7',
        cacheKeyParameters: [],
      },
    },
  ];
}

/**
 * An HTTP API stage export (ExportApi, OAS30, `StageName`, extensions included). Shapes from the API
 * Gateway developer guide: "Export HTTP APIs from API Gateway" (stage exports carry the extensions),
 * "Working with API Gateway extensions to OpenAPI", x-amazon-apigateway-integration object (HTTP API
 * examples: `payloadFormatVersion`, lower-case `type`, Lambda `uri` in the invocation form,
 * `connectionType: INTERNET`), and "Create private integrations for HTTP APIs" (listener ARN as
 * `uri`, `connectionType: VPC_LINK`, the link's id as `connectionId`); the `$default` route is the
 * any-method marked `isDefaultRoute` ("x-amazon-apigateway-any-method object").
 */
export function httpStageExport(listenerArn = LISTENER_ARN) {
  return {
    openapi: '3.0.1',
    info: { title: 'orders-http', version: '2026-11-20 09:12:44UTC' },
    servers: [
      {
        url: 'https://h1t2t3p4q5.execute-api.us-east-1.amazonaws.com/{basePath}',
        variables: { basePath: { default: '' } },
      },
    ],
    paths: {
      '/orders': {
        get: {
          responses: { default: { description: 'Default response for GET /orders' } },
          'x-amazon-apigateway-integration': {
            payloadFormatVersion: '1.0',
            connectionId: 'v2link1',
            type: 'http_proxy',
            httpMethod: 'ANY',
            uri: listenerArn,
            connectionType: 'VPC_LINK',
            timeoutInMillis: 30000,
          },
        },
      },
      '/$default': {
        'x-amazon-apigateway-any-method': {
          isDefaultRoute: true,
          responses: { default: { description: 'Default response for ANY /' } },
          'x-amazon-apigateway-integration': {
            payloadFormatVersion: '2.0',
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: LAMBDA_INVOCATION_URI,
            connectionType: 'INTERNET',
            timeoutInMillis: 30000,
          },
        },
      },
    },
    'x-amazon-apigateway-importexport-version': '1.0',
  };
}

/**
 * The same HTTP API's current integrations as GetIntegrations returns them (API Gateway V2 API
 * reference, Integration): upper-case types, a Lambda integration's `IntegrationUri` the function
 * ARN as given (developer guide, "Create AWS Lambda proxy integrations for HTTP APIs").
 */
export function httpCurrentDefinition(listenerArn = LISTENER_ARN): HttpIntegration[] {
  return [
    privateHttpIntegration('int0rd3', listenerArn),
    {
      IntegrationId: 'intl4mb',
      IntegrationType: 'AWS_PROXY',
      ConnectionType: 'INTERNET',
      IntegrationUri: LAMBDA_FUNCTION,
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 30_000,
    },
  ];
}

/** The routes that send to them (API Gateway V2 API reference, Route). */
export const HTTP_ROUTE_KEYS: Record<string, string[]> = {
  int0rd3: ['GET /orders'],
  intl4mb: ['$default'],
};

/** The bytes GetExport / ExportApi return for a document. */
export const exportBody = (document: unknown) => new TextEncoder().encode(JSON.stringify(document));
