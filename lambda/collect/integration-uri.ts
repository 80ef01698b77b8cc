/** Reading an integration's target from its configuration: stage variables, URI host and port. */

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

/** Load balancers' public DNS names end like this (a custom CNAME cannot be followed without DNS). */
export const looksLikeLoadBalancerHost = (host: string): boolean => host.endsWith('.elb.amazonaws.com');
