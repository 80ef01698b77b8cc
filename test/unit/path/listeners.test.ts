import { forwardWeights, readListenerRules, ruleCondition } from '../../../lambda/collect/load-balancers';
import { collected, type ListenerFacts } from '../../../lambda/domain/types';
import { knownRequests, routeThroughListener } from '../../../lambda/path/listeners';
import { anHttpIntegration, aRestIntegration } from '../../support/inventory-builders';

const TG = (name: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/73e2d6bc24d8a067`;
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';

/**
 * A shared ALB's HTTPS:443 listener as DescribeRules returns it (ELB API reference, DescribeRules
 * and RuleCondition: `Field` plus `HostHeaderConfig` / `PathPatternConfig` / `HttpHeaderConfig`;
 * `ForwardConfig.TargetGroups[].Weight`): another service's host-header rule, an orders
 * blue/green forward with green at weight 0, a header rule, and the default rule.
 */
const SHARED_ALB_RULES = [
  {
    RuleArn: `${LISTENER}/rule-billing`,
    Priority: '10',
    IsDefault: false,
    Conditions: [
      {
        Field: 'host-header',
        Values: ['billing.internal.example.com'],
        HostHeaderConfig: { Values: ['billing.internal.example.com'] },
      },
    ],
    Actions: [{ Type: 'forward', Order: 1, TargetGroupArn: TG('billing-tg') }],
  },
  {
    RuleArn: `${LISTENER}/rule-orders`,
    Priority: '20',
    IsDefault: false,
    Conditions: [
      { Field: 'host-header', HostHeaderConfig: { Values: ['orders.internal.example.com'] } },
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
    ],
    Actions: [
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: TG('orders-blue'), Weight: 1 },
            { TargetGroupArn: TG('orders-green'), Weight: 0 },
          ],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  },
  {
    RuleArn: `${LISTENER}/rule-canary-header`,
    Priority: '30',
    IsDefault: false,
    Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } }],
    Actions: [{ Type: 'forward', Order: 1, TargetGroupArn: TG('canary-tg') }],
  },
  {
    RuleArn: `${LISTENER}/default`,
    Priority: 'default',
    IsDefault: true,
    Conditions: [],
    Actions: [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404' } }],
  },
];

async function sharedAlbListener(): Promise<ListenerFacts> {
  const client = { send: async () => ({ Rules: SHARED_ALB_RULES }) };
  const rules = await readListenerRules(client as never, LISTENER);
  return { arn: LISTENER, port: 443, protocol: 'HTTPS', targetGroupArns: [], rules };
}

const restTo = (uri: string) =>
  knownRequests(aRestIntegration({ uri }), { apiType: 'REST', stage: 'prod' })[0] ?? {};

describe('listener rules as API Gateway meets them', () => {
  it('reads conditions from their Config (and the legacy Values) and forwards with weights', () => {
    expect(ruleCondition({ Field: 'path-pattern', Values: ['/v2/*'] })).toEqual({
      field: 'path-pattern',
      values: ['/v2/*'],
    });
    expect(
      ruleCondition({
        Field: 'http-header',
        HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] },
      }),
    ).toEqual({ field: 'http-header', values: ['1'], headerName: 'X-Canary' });
    expect(forwardWeights(SHARED_ALB_RULES[1]?.Actions as never)).toEqual([
      { arn: TG('orders-blue'), weight: 1 },
      { arn: TG('orders-green'), weight: 0 },
    ]);
  });

  it("sends a REST private integration only where its URI's host and path lead, leaving another service's host rule and the weight-0 group off the path", async () => {
    const routing = routeThroughListener(
      await sharedAlbListener(),
      restTo('https://orders.internal.example.com/orders/{proxy}'),
    );
    expect(routing.groups).toEqual([
      expect.objectContaining({ arn: TG('orders-blue'), rule: '20', certainty: 'reaches' }),
    ]);
    expect(routing.skipped).toEqual(
      expect.arrayContaining([
        { arn: TG('billing-tg'), rule: '10', reason: 'conditions-not-matched' },
        { arn: TG('orders-green'), rule: '20', reason: 'weight-zero' },
        { arn: TG('canary-tg'), rule: '30', reason: 'after-matching-rule' },
      ]),
    );
  });

  it('says "may reach" for a rule the client decides (a header), never that it reaches', async () => {
    const routing = routeThroughListener(
      await sharedAlbListener(),
      restTo('http://other.internal.example.com/'),
    );
    expect(routing.groups).toEqual([
      expect.objectContaining({
        arn: TG('canary-tg'),
        certainty: 'may-reach',
        because: 'rule 30 tests http-header, which the client decides',
      }),
    ]);
  });

  it("bounds path-pattern by the URI's path: an exact path outside the pattern never matches, a prefix inside it does", async () => {
    const listener = await sharedAlbListener();
    const outside = routeThroughListener(listener, restTo('https://orders.internal.example.com/payments'));
    expect(outside.groups.map((group) => group.arn)).not.toContain(TG('orders-blue'));
    const inside = routeThroughListener(listener, restTo('https://orders.internal.example.com/orders'));
    expect(inside.groups.map((group) => group.arn)).toEqual([TG('orders-blue')]);
  });

  it('keeps every rule an HTTP API on its $default stage may meet: the client sets the host, so host rules only may match', async () => {
    const [request = {}] = knownRequests(anHttpIntegration({ uri: LISTENER, listenerArn: LISTENER }), {
      apiType: 'HTTP',
      stage: '$default',
    });
    const routing = routeThroughListener(await sharedAlbListener(), request);
    expect(routing.groups.map((group) => [group.arn, group.certainty])).toEqual([
      [TG('billing-tg'), 'may-reach'],
      [TG('orders-blue'), 'may-reach'],
      [TG('canary-tg'), 'may-reach'],
    ]);
  });

  it("leaves a named HTTP API stage's requests off a path-pattern rule written without the stage", async () => {
    const [request = {}] = knownRequests(anHttpIntegration({ uri: LISTENER, listenerArn: LISTENER }), {
      apiType: 'HTTP',
      stage: 'prod',
    });
    const routing = routeThroughListener(await sharedAlbListener(), request);
    expect(routing.groups.map((group) => group.arn)).toEqual([TG('billing-tg'), TG('canary-tg')]);
    expect(routing.skipped).toEqual(
      expect.arrayContaining([{ arn: TG('orders-blue'), rule: '20', reason: 'conditions-not-matched' }]),
    );
  });

  it('follows the default action alone when a listener has no rules read (its healthy twin: every group at weight 1)', () => {
    const listener: ListenerFacts = {
      arn: LISTENER,
      port: 80,
      protocol: 'TCP',
      targetGroupArns: [TG('orders-tg')],
      rules: collected([]),
    };
    expect(routeThroughListener(listener, {}).groups).toEqual([
      expect.objectContaining({ arn: TG('orders-tg'), rule: 'default', certainty: 'reaches' }),
    ]);
  });
});
