import { CHECKS } from '../../../lambda/checks/index';
import {
  applySuppressions,
  globMatches,
  InvalidSuppressionsError,
  parseSuppressions,
} from '../../../lambda/engine/suppressions';
import { aFinding } from '../cli/fixtures/report';

const KNOWN = CHECKS.map((check) => check.id);
const NOW = new Date('2026-11-29T12:00:00Z');
const legacyLb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy-nlb/abc';
const ordersLb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/def';

describe('applySuppressions', () => {
  const findings = [
    aFinding({ id: 'f1', checkId: 'vpc-flow-logs', resourceArn: legacyLb }),
    aFinding({ id: 'f2', checkId: 'vpc-flow-logs', resourceArn: ordersLb }),
    aFinding({ id: 'f3', checkId: 'client-retries', status: 'WARN' }),
    aFinding({ id: 'f4', checkId: 'tg-empty-az' }),
  ];

  it('mutes by check and resource glob, keeps the twin the glob does not match, and says why', () => {
    // Act
    const outcome = applySuppressions(
      findings,
      {
        excludeChecks: [],
        mutes: [
          { checkId: 'vpc-flow-logs', resource: '*:loadbalancer/net/legacy-*', reason: 'retired in Q1' },
        ],
      },
      NOW,
    );

    // Assert
    expect(outcome.findings.map((finding) => finding.id)).toEqual(['f2', 'f3', 'f4']);
    expect(outcome.muted).toEqual([
      {
        id: 'f1',
        checkId: 'vpc-flow-logs',
        status: 'FAIL',
        severity: 'high',
        resourceArn: legacyLb,
        reason: 'retired in Q1',
      },
    ]);
  });

  it('mutes one finding by id, and drops every finding of an excluded check', () => {
    const outcome = applySuppressions(
      findings,
      {
        excludeChecks: ['client-retries'],
        mutes: [{ findingId: 'f4', reason: 'accepted risk', expires: '2026-12-31' }],
      },
      NOW,
    );
    expect(outcome.findings.map((finding) => finding.id)).toEqual(['f1', 'f2']);
    expect(outcome.muted.map((muted) => [muted.id, muted.expires])).toEqual([['f4', '2026-12-31']]);
  });

  it('reports a finding again once its mute rule has expired, and names the rule', () => {
    const rule = { findingId: 'f4', reason: 'accepted risk', expires: '2026-11-01' };
    const outcome = applySuppressions(findings, { excludeChecks: [], mutes: [rule] }, NOW);
    expect(outcome.findings.map((finding) => finding.id)).toContain('f4');
    expect(outcome.muted).toEqual([]);
    expect(outcome.expired).toEqual([rule]);
  });

  it('reads * across slashes and ? as one character, and nothing else as a pattern', () => {
    expect(globMatches('arn:*/legacy-?', 'arn:aws:x:y/z/legacy-1')).toBe(true);
    expect(globMatches('arn:*/legacy-?', 'arn:aws:x:y/z/legacy-12')).toBe(false);
    expect(globMatches('arn:aws:x.y', 'arn:aws:xzy')).toBe(false);
    expect(globMatches('arn:aws:x.y', 'arn:aws:x.y')).toBe(true);
    expect(globMatches('*orders*', ordersLb)).toBe(true);
    expect(globMatches('*a*b*a', 'aba')).toBe(true);
    expect(globMatches('*a*b*a', 'ab')).toBe(false);
    expect(globMatches('a*', '')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
  });

  it('matches a ? inside a piece between stars, and a doubled star as one', () => {
    expect(globMatches('*:loadbalancer/net/legacy-?lb/*', legacyLb.replace('legacy-nlb', 'legacy-alb'))).toBe(
      true,
    );
    expect(globMatches('*:loadbalancer/net/legacy-?lb/*', ordersLb)).toBe(false);
    // The piece must sit between the first and last pieces: no room left for `?b` before `c`.
    expect(globMatches('a*?b*c', 'axbc')).toBe(true);
    expect(globMatches('a*?b*c', 'abc')).toBe(false);
    expect(globMatches('arn:**orders-nlb*', ordersLb)).toBe(true);
    expect(globMatches('arn:**orders-nlb*', legacyLb)).toBe(false);
  });

  it('matches a pathological glob over 18 findings in milliseconds (no backtracking)', () => {
    // Arrange: the shape that made the regular expression take 4.4 s per finding: many stars, and a
    // text that almost matches each of them.
    const glob = '*a*a*a*a*a*a*b';
    const arns = Array.from({ length: 18 }, (_, index) => `arn:aws:x:${'a'.repeat(2000 + index)}`);
    const rule = { checkId: 'vpc-flow-logs', resource: glob, reason: 'pathological' };
    const many = arns.map((resourceArn, index) =>
      aFinding({ id: `p${index}`, checkId: 'vpc-flow-logs', resourceArn }),
    );

    // Act
    const started = performance.now();
    const outcome = applySuppressions(many, { excludeChecks: [], mutes: [rule] }, NOW);
    const elapsed = performance.now() - started;

    // Assert: a generous bound for a shared machine; the regular expression took minutes.
    expect(outcome.muted).toEqual([]);
    expect(elapsed).toBeLessThan(250);
  });

  it('mutes only in the account a rule names, and keeps the same finding of another account', () => {
    // Arrange
    const inAccounts = [
      aFinding({ id: 'a1', checkId: 'vpc-flow-logs', resourceArn: legacyLb, account: '111111111111' }),
      aFinding({ id: 'a2', checkId: 'vpc-flow-logs', resourceArn: legacyLb, account: '222222222222' }),
    ];
    const rule = { checkId: 'vpc-flow-logs', account: '111111111111', reason: 'sandbox account' };

    // Act
    const outcome = applySuppressions(inAccounts, { excludeChecks: [], mutes: [rule] }, NOW);

    // Assert
    expect(outcome.muted.map((muted) => [muted.id, muted.account])).toEqual([['a1', '111111111111']]);
    expect(outcome.findings.map((finding) => finding.id)).toEqual(['a2']);
  });
});

describe('parseSuppressions', () => {
  it('reads the mute file format', () => {
    const json = JSON.stringify({
      excludeChecks: ['client-retries'],
      mutes: [
        {
          checkId: 'vpc-flow-logs',
          resource: 'arn:*',
          reason: 'no flow logs by policy',
          expires: '2027-01-31',
        },
      ],
    });
    expect(parseSuppressions(json, 'mutes.json', KNOWN)).toEqual(JSON.parse(json));
  });

  it.each([
    ['not json', 'is not JSON'],
    ['{"mutes": [{"checkId": "vpc-flow-logs"}]}', 'mutes.0.reason'],
    ['{"mutes": [{"reason": "x"}]}', 'needs a findingId, or a checkId'],
    ['{"mutes": [{"checkId": "vpc-flow-logs", "reason": "x", "expires": "soon"}]}', 'mutes.0.expires'],
    ['{"mutes": [{"checkId": "vpc-flow-log", "reason": "x"}]}', 'no such check: vpc-flow-log'],
    ['{"excludeChecks": ["nope"]}', 'no such check: nope'],
    ['{"mute": []}', 'Unrecognized key'],
  ])('refuses %s, naming the file and the problem', (json, problem) => {
    const run = () => parseSuppressions(json, 'mutes.json', KNOWN);
    expect(run).toThrow(InvalidSuppressionsError);
    expect(run).toThrow(/^mutes\.json: /);
    expect(run).toThrow(problem);
  });
});
