/**
 * What a listener does with the request an integration sends: its rules in priority order, each
 * rule's conditions judged against what API Gateway is known to send, and the weights of the
 * forward that decides (ELB guide, "Listener rules for your Application Load Balancer").
 *
 * What API Gateway sends is known only in part: a REST private integration sets `Host` to the
 * integration URI's host and sends the URI's path (API Gateway guide, "Set up API with private
 * integrations using OpenAPI"); placeholders (`{proxy}`) leave a known prefix. An HTTP API's private
 * integration forwards the client's path, which its routes bound, with the stage name in front on
 * any stage but `$default` (HTTP API guide, "Create private integrations for HTTP APIs": "API
 * Gateway includes the stage portion of the API endpoint in the request to your backend
 * resources"), unless an `overwrite:path` mapping replaces it; the client sets its host. Conditions
 * on headers, methods, query strings and source addresses depend on the client: such a rule "may
 * match", and a target group behind it "may be reached".
 */
import type {
  ApiType,
  CollectionError,
  IntegrationFacts,
  ListenerFacts,
  ListenerRuleFacts,
  RuleConditionFacts,
  WeightedTargetGroup,
} from '../domain/types';

/**
 * yes: every request the integration sends matches; some: requests the API admits match (a path
 * under the known prefix), so the rule takes part of the traffic and the rest goes on; no: none can;
 * unknown: the client decides (a header, the method, a query string, its address).
 */
export type Match = 'yes' | 'some' | 'no' | 'unknown';

export interface KnownRequest {
  /** The `Host` header the listener sees; absent when the client decides it. */
  host?: string;
  /** The request path: exact, or only a prefix (the URI has placeholders); absent when the client decides it. */
  path?: { text: string; exact: boolean };
}

const URI = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)(?::\d+)?([^?#]*)/i;

/** A path whose placeholders (`{id}`, `{proxy+}`) are not known: the text before the first, as a prefix. */
function pathUpTo(marker: string, text: string): NonNullable<KnownRequest['path']> {
  const at = text.indexOf(marker);
  return at < 0 ? { text, exact: true } : { text: text.slice(0, at), exact: false };
}

/** What a REST private integration sends: its URI's host and path. */
function restRequest(integration: IntegrationFacts): KnownRequest {
  const match = URI.exec(integration.uri ?? '');
  if (!match?.[1]) return {};
  return { host: match[1].toLowerCase(), path: pathUpTo('{', match[2] || '/') };
}

const DEFAULT_STAGE = '$default';
const REQUEST_PATH = /^\$(?:request\.path|\{request\.path\})$/;

/**
 * The path an HTTP API forwards for `requestPath` (the path after the stage, as the client sent it):
 * prefixed by `/<stage>` on a named stage ("For private integrations, API Gateway includes the stage
 * portion of the API endpoint in the request to your backend resources", HTTP API guide, "Create
 * private integrations for HTTP APIs"); as sent when `overwrite:path` maps it to `$request.path`,
 * "the request path, without the stage name" (HTTP API guide, "Transform API requests and
 * responses"). Null when another `overwrite:path` mapping decides it.
 */
function httpApiForwardedPath(stage: string, requestPath: string, pathMapping?: string): string | null {
  if (pathMapping !== undefined && !REQUEST_PATH.test(pathMapping)) return null;
  const path = requestPath.startsWith('/') ? requestPath : `/${requestPath}`;
  return stage === DEFAULT_STAGE || pathMapping !== undefined ? path : `/${stage}${path === '/' ? '' : path}`;
}

/** The path part of an HTTP API route key (`GET /orders/{id}` -> `/orders/{id}`); null for `$default`. */
const routePath = (routeKey: string): string | null => {
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  return path.startsWith('/') ? path : null;
};

/**
 * The path one route of an HTTP API private integration forwards: the route's path (a prefix up to
 * its first parameter; `/` for the `$default` route) behind `/<stage>`, or what `overwrite:path` maps
 * it to (`$request.path` is the path without the stage; other values are known up to their first
 * `$`). Absent when nothing of it is known.
 */
function httpRoutePath(
  routeKey: string,
  stage: string,
  pathMapping: string | undefined,
): KnownRequest['path'] {
  const route = routePath(routeKey);
  // The root route may arrive as `/prod` or `/prod/`: a prefix, not an exact path.
  const bounded = route === null || route === '/' ? { text: '/', exact: false } : pathUpTo('{', route);
  const text = httpApiForwardedPath(stage, bounded.text, pathMapping);
  if (text !== null) return { text, exact: bounded.exact };
  const mapped = pathUpTo('$', pathMapping ?? '');
  return mapped.text === '' ? undefined : mapped;
}

/** What an HTTP API private integration sends: one request per route that targets it, the host unknown. */
function httpRequests(integration: IntegrationFacts, stage: string): KnownRequest[] {
  if (integration.connectionType !== 'VPC_LINK') return [{}];
  const routes = integration.routeKeys?.length ? integration.routeKeys : ['$default'];
  const requests = routes.map((routeKey): KnownRequest => {
    const path = httpRoutePath(routeKey, stage, integration.pathMapping);
    return path ? { path } : {};
  });
  return requests.filter(
    (request, index) =>
      requests.findIndex((other) => JSON.stringify(other) === JSON.stringify(request)) === index,
  );
}

/** What API Gateway sends through an integration of a stage: the host and path its listener rules meet. */
export function knownRequests(
  integration: IntegrationFacts,
  api: { apiType: ApiType; stage: string },
): KnownRequest[] {
  return api.apiType === 'REST' ? [restRequest(integration)] : httpRequests(integration, api.stage);
}

/** ALB wildcards: `*` any run of characters, `?` exactly one. */
function wildcard(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

const firstOf = (order: readonly Match[], matches: readonly Match[]): Match =>
  order.find((match) => matches.includes(match)) ?? order[order.length - 1] ?? 'no';

/** One of a condition's values matching is enough. */
const anyOf = (matches: readonly Match[]): Match => firstOf(['yes', 'some', 'unknown', 'no'], matches);

/** Every condition of a rule must match. */
const allOf = (matches: readonly Match[]): Match => firstOf(['no', 'unknown', 'some', 'yes'], matches);

/** One path pattern against a known prefix: decided only where the pattern's literal head decides it. */
function pathPatternMatch(pattern: string, path: NonNullable<KnownRequest['path']>): Match {
  if (path.exact) return wildcard(pattern, '').test(path.text) ? 'yes' : 'no';
  const head = pattern.split(/[*?]/, 1)[0] ?? '';
  if (!head.startsWith(path.text) && !path.text.startsWith(head)) return 'no';
  return path.text.startsWith(head) && pattern.slice(head.length) === '*' ? 'yes' : 'some';
}

export function conditionMatch(condition: RuleConditionFacts, request: KnownRequest): Match {
  if (condition.field === 'host-header') {
    const { host } = request;
    if (host === undefined) return 'unknown';
    return anyOf(condition.values.map((value) => (wildcard(value, 'i').test(host) ? 'yes' : 'no')));
  }
  if (condition.field === 'path-pattern') {
    const { path } = request;
    // Nothing known of the path (an HTTP API integration off a VPC link, an `overwrite:path` of
    // variables only): some requests may match.
    if (path === undefined) return 'some';
    return anyOf(condition.values.map((value) => pathPatternMatch(value, path)));
  }
  // http-header, http-request-method, query-string, source-ip: the client decides.
  return 'unknown';
}

export const ruleMatch = (rule: ListenerRuleFacts, request: KnownRequest): Match =>
  rule.isDefault ? 'yes' : allOf(rule.conditions.map((condition) => conditionMatch(condition, request)));

/** A target group the listener sends the traffic to. */
export interface RoutedGroup {
  arn: string;
  weight: number;
  /** The rule that forwards to it: `default` or its priority. */
  rule: string;
  /** `may-reach`: a rule whose conditions the client decides stands before it, or is it. */
  certainty: 'reaches' | 'may-reach';
  /** Why it only may be reached. */
  because?: string;
}

export interface SkippedGroup {
  arn: string;
  rule: string;
  reason: 'conditions-not-matched' | 'weight-zero' | 'after-matching-rule';
}

export interface ListenerRouting {
  groups: RoutedGroup[];
  skipped: SkippedGroup[];
  /** The rules could not be read: only the default action is followed. */
  rulesUnreadable?: CollectionError;
}

const priorityOrder = (a: ListenerRuleFacts, b: ListenerRuleFacts): number =>
  (a.isDefault ? Number.POSITIVE_INFINITY : Number(a.priority)) -
  (b.isDefault ? Number.POSITIVE_INFINITY : Number(b.priority));

/** A forward with several groups splits by weight: a group at 0 gets nothing while another has weight. */
function byWeight(forward: readonly WeightedTargetGroup[]): {
  served: WeightedTargetGroup[];
  idle: WeightedTargetGroup[];
} {
  const anyWeight = forward.some((group) => group.weight > 0);
  return {
    served: forward.filter((group) => !anyWeight || group.weight > 0),
    idle: forward.filter((group) => anyWeight && group.weight === 0),
  };
}

const describeUnknown = (rule: ListenerRuleFacts, request: KnownRequest): string => {
  const undecided = rule.conditions
    .filter((condition) => conditionMatch(condition, request) === 'unknown')
    .map((condition) => condition.field);
  return `rule ${rule.priority} tests ${[...new Set(undecided)].join(', ')}, which the client decides`;
};

function defaultRule(listener: ListenerFacts): ListenerRuleFacts {
  return {
    arn: listener.arn,
    priority: 'default',
    isDefault: true,
    conditions: [],
    actionType: 'forward',
    forward: listener.defaultForward ?? listener.targetGroupArns.map((arn) => ({ arn, weight: 1 })),
  };
}

/** Where one request goes through the listener: the rules in priority order, the first that matches decides. */
export function routeThroughListener(listener: ListenerFacts, request: KnownRequest): ListenerRouting {
  const rules = listener.rules?.ok ? [...listener.rules.value].sort(priorityOrder) : [defaultRule(listener)];
  if (!rules.some((rule) => rule.isDefault)) rules.push(defaultRule(listener));
  const groups: RoutedGroup[] = [];
  const skipped: SkippedGroup[] = [];
  let decided = false;
  let because: string | undefined;
  for (const rule of rules) {
    const match = ruleMatch(rule, request);
    if (decided || match === 'no') {
      const reason: SkippedGroup['reason'] = decided ? 'after-matching-rule' : 'conditions-not-matched';
      skipped.push(...rule.forward.map((group) => ({ arn: group.arn, rule: rule.priority, reason })));
      continue;
    }
    const unknown = match === 'unknown' ? describeUnknown(rule, request) : undefined;
    const why = because ?? unknown;
    const { served, idle } = byWeight(rule.forward);
    skipped.push(
      ...idle.map((group) => ({ arn: group.arn, rule: rule.priority, reason: 'weight-zero' as const })),
    );
    groups.push(
      ...served.map((group) => ({
        ...group,
        rule: rule.priority,
        certainty: why ? ('may-reach' as const) : ('reaches' as const),
        ...(why ? { because: why } : {}),
      })),
    );
    if (match === 'yes') decided = true;
    else if (match === 'unknown') because ??= unknown;
  }
  return {
    groups,
    skipped,
    ...(listener.rules && !listener.rules.ok ? { rulesUnreadable: listener.rules.error } : {}),
  };
}

/** Merges the routings of several requests: a group reached for sure by one is reached. */
export function mergeRoutings(routings: readonly ListenerRouting[]): ListenerRouting {
  const groups = new Map<string, RoutedGroup>();
  for (const group of routings.flatMap((routing) => routing.groups)) {
    const kept = groups.get(group.arn);
    if (!kept || (kept.certainty === 'may-reach' && group.certainty === 'reaches'))
      groups.set(group.arn, group);
  }
  const skipped = routings
    .flatMap((routing) => routing.skipped)
    .filter(
      (group, index, all) => !groups.has(group.arn) && all.findIndex((g) => g.arn === group.arn) === index,
    );
  const rulesUnreadable = routings.find((routing) => routing.rulesUnreadable)?.rulesUnreadable;
  return { groups: [...groups.values()], skipped, ...(rulesUnreadable ? { rulesUnreadable } : {}) };
}
