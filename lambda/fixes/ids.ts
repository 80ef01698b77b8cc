/**
 * The shapes of the AWS identifiers a fix may name. Ids and ARNs come from AWS responses, which the
 * auditor does not trust: a value that is not exactly the expected shape gives no fix at all.
 */
import ipaddr from 'ipaddr.js';

const PARTITION = 'aws(?:-cn|-us-gov)?';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';

export const isRegion = (value: string): boolean => new RegExp(`^${REGION}$`).test(value);

export const isSecurityGroupId = (value: string): boolean => /^sg-[0-9a-f]{8,17}$/.test(value);

/** An ELB target group ARN; the name between the slashes is 1-32 letters, digits and hyphens. */
export const isTargetGroupArn = (value: string): boolean =>
  new RegExp(
    `^arn:${PARTITION}:elasticloadbalancing:${REGION}:\\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`,
  ).test(value);

/** A network load balancer's ARN (`loadbalancer/net/<name>/<id>`). */
export const isNetworkLoadBalancerArn = (value: string): boolean =>
  new RegExp(
    `^arn:${PARTITION}:elasticloadbalancing:${REGION}:\\d{12}:loadbalancer/net/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`,
  ).test(value);

/** An API Gateway stage name: letters, digits, `_`, `-` (and `$default`). */
export const isStageName = (value: string): boolean => /^(?:\$default|[A-Za-z0-9_-]{1,128})$/.test(value);

const API_ID = '[a-z0-9]{1,32}';
const HTTP_METHODS = 'GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY';

export interface RestIntegrationRef {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
}

export function parseRestIntegrationArn(arn: string): RestIntegrationRef | undefined {
  const match = new RegExp(
    `^arn:${PARTITION}:apigateway:${REGION}::/restapis/(${API_ID})/resources/(${API_ID})/methods/(${HTTP_METHODS})/integration$`,
  ).exec(arn);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { restApiId: match[1], resourceId: match[2], httpMethod: match[3] };
}

export function parseHttpIntegrationArn(arn: string): { apiId: string; integrationId: string } | undefined {
  const match = new RegExp(
    `^arn:${PARTITION}:apigateway:${REGION}::/apis/(${API_ID})/integrations/(${API_ID})$`,
  ).exec(arn);
  if (!match?.[1] || !match[2]) return undefined;
  return { apiId: match[1], integrationId: match[2] };
}

export function parseRestStageArn(arn: string): { restApiId: string; stageName: string } | undefined {
  const match = new RegExp(
    `^arn:${PARTITION}:apigateway:${REGION}::/restapis/(${API_ID})/stages/([^/]+)$`,
  ).exec(arn);
  if (!match?.[1] || !match[2] || !isStageName(match[2])) return undefined;
  return { restApiId: match[1], stageName: match[2] };
}

export interface SourceRange {
  family: 'ipv4' | 'ipv6';
  /** Normalised `address/prefix`; a single address gets /32 or /128. */
  cidr: string;
}

/**
 * An address or CIDR as a security-group rule takes it (the network of a CIDR, a single address as
 * /32 or /128); undefined for anything else, and for a /0: opening a port to everyone is never a
 * fix the audit prints.
 */
export function sourceRange(value: string): SourceRange | undefined {
  const ipv6 = value.includes(':');
  const withPrefix = value.includes('/') ? value : `${value}/${ipv6 ? 128 : 32}`;
  // Four dotted decimals only: ipaddr.js also reads `10.1` or hex parts, which EC2 does not.
  const valid = ipv6
    ? ipaddr.IPv6.isValidCIDR(withPrefix)
    : ipaddr.IPv4.isValidCIDRFourPartDecimal(withPrefix);
  if (!valid) return undefined;
  const [, bits] = ipaddr.parseCIDR(withPrefix);
  if (bits === 0) return undefined;
  const network = ipv6
    ? ipaddr.IPv6.networkAddressFromCIDR(withPrefix)
    : ipaddr.IPv4.networkAddressFromCIDR(withPrefix);
  return { family: ipv6 ? 'ipv6' : 'ipv4', cidr: `${network.toString()}/${bits}` };
}
