/** Reading an integration's target from its configuration: stage variables, URI host and port. */
import type { IntegrationFacts } from '../domain/types';

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

export type Resolved = { ok: true; value: string } | { ok: false; missing: string[] };

/** Replaces `${stageVariables.x}` with the stage's value; names the variables the stage does not define. */
export function resolveStageVariables(text: string, variables: Record<string, string>): Resolved {
  const missing = [...text.matchAll(STAGE_VARIABLE)]
    .map((match) => match[1] ?? '')
    .filter((name) => variables[name] === undefined);
  if (missing.length > 0) return { ok: false, missing: [...new Set(missing)] };
  return { ok: true, value: text.replace(STAGE_VARIABLE, (_, name: string) => variables[name] ?? '') };
}

export const usesStageVariables = (text: string): boolean => /\$\{stageVariables\./.test(text);

/** Host (lower case) and port of an http(s) URI, the port defaulting by scheme; null for ARNs and the like. */
export function uriHostAndPort(uri: string): { host: string; port: number } | null {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.toLowerCase(), port };
  } catch {
    return null;
  }
}

/** HTTP API private integrations name an ELB listener by ARN in `IntegrationUri`. */
export const isListenerArn = (uri: string): boolean =>
  /^arn:aws[a-z-]*:elasticloadbalancing:[^:]*:[^:]*:listener\//.test(uri);

/**
 * ELB DNS names: ALBs `name-id.REGION.elb.amazonaws.com` (internal ones start `internal-`), NLBs
 * `name-id.elb.REGION.amazonaws.com`, in China Regions ending `.amazonaws.com.cn`.
 */
const ELB_DNS_NAME = /\.(elb\.[a-z0-9-]+|[a-z0-9-]+\.elb)\.amazonaws\.com(\.cn)?$/;

/**
 * The `DNSName` DescribeLoadBalancers would report for an integration's host, or null when the host
 * is not a load balancer's name (a custom CNAME cannot be followed without DNS). Clients may use the
 * `dualstack.` form of the name.
 */
export function loadBalancerDnsName(host: string): string | null {
  const name = host.toLowerCase().replace(/^dualstack\./, '');
  return ELB_DNS_NAME.test(name) ? name : null;
}

type IntegrationTarget = Pick<
  IntegrationFacts,
  'uri' | 'rawUri' | 'port' | 'listenerArn' | 'rawConnectionId' | 'vpcLinkId' | 'pathError'
>;

/**
 * Where an integration sends, REST or HTTP alike: its URI (host, port, or listener ARN) and VPC link,
 * with the stage's variables applied; a variable the stage does not define stops the path there.
 */
export function resolveIntegrationTarget(
  configured: { uri?: string; connectionId?: string; label: string },
  stageVariables: Record<string, string>,
): IntegrationTarget {
  const target: IntegrationTarget = {};
  const unresolved: string[] = [];
  if (configured.uri) {
    const uri = resolveStageVariables(configured.uri, stageVariables);
    target.uri = uri.ok ? uri.value : configured.uri;
    if (usesStageVariables(configured.uri)) target.rawUri = configured.uri;
    if (uri.ok && isListenerArn(uri.value)) target.listenerArn = uri.value;
    if (!uri.ok) unresolved.push(...uri.missing);
    const hostAndPort = uri.ok ? uriHostAndPort(uri.value) : null;
    if (hostAndPort) target.port = hostAndPort.port;
  }
  if (configured.connectionId) {
    target.rawConnectionId = configured.connectionId;
    const link = resolveStageVariables(configured.connectionId, stageVariables);
    if (link.ok) target.vpcLinkId = link.value;
    else unresolved.push(...link.missing);
  }
  if (unresolved.length > 0) {
    target.pathError = {
      action: 'apigateway:GetStage',
      code: 'UnresolvedStageVariable',
      message: `the stage defines no variable ${[...new Set(unresolved)].join(', ')} used by ${configured.label}`,
    };
  }
  return target;
}
