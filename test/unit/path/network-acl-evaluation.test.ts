import fc from 'fast-check';
import type { NetworkAclEntry } from '../../../lambda/domain/types';
import { parseIpRange } from '../../../lambda/path/cidr';
import {
  EPHEMERAL_PORTS,
  evaluateAcl,
  evaluateAclTraffic,
  judgeReturnTraffic,
  type ReturnTraffic,
} from '../../../lambda/path/network-acls';
import { type Overrides, withOverrides } from '../../support/inventory-builders';

const rule = (overrides: Overrides<NetworkAclEntry>): NetworkAclEntry =>
  withOverrides<NetworkAclEntry>(
    { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
    overrides,
  );

const denyTcp = (ruleNumber: number, fromPort: number, toPort = fromPort, cidr = '0.0.0.0/0') =>
  rule({ ruleNumber, protocol: '6', action: 'deny', cidr, fromPort, toPort });

/** Replies of targets to an NLB node in 10.0.1.0/24, leaving the targets' subnet. */
const toNlbNodes: ReturnTraffic = {
  egress: true,
  peerCidr: '10.0.1.0/24',
  ephemeralPorts: EPHEMERAL_PORTS.elasticLoadBalancing,
};

describe('network ACL evaluation, exact', () => {
  it('splits the traffic into the parts each rule decides, with the rule numbers', () => {
    // Arrange: rule 90 denies 3389 from anywhere, rule 100 allows all
    const entries = [rule({}), denyTcp(90, 3389)];

    // Act
    const result = evaluateAclTraffic(entries, {
      egress: true,
      peerCidr: '10.0.1.0/24',
      fromPort: 1024,
      toPort: 65535,
    });

    // Assert
    expect(result.denied).toEqual([
      {
        addresses: '10.0.1.0/24',
        fromPort: 3389,
        toPort: 3389,
        action: 'deny',
        ruleNumber: 90,
        rule: 'rule 90 deny 0.0.0.0/0 tcp/3389',
      },
    ]);
    expect(result.allowed.map((part) => [part.fromPort, part.toPort, part.ruleNumber])).toEqual([
      [1024, 3388, 100],
      [3390, 65535, 100],
    ]);
  });

  it('splits by address: a deny for half the peer range denies that half only', () => {
    // Arrange
    const entries = [rule({ ruleNumber: 10, action: 'deny', cidr: '10.0.1.0/25' }), rule({ ruleNumber: 20 })];

    // Act
    const result = evaluateAclTraffic(entries, {
      egress: true,
      peerCidr: '10.0.1.0/24',
      fromPort: 80,
      toPort: 80,
    });

    // Assert
    expect(result.denied.map((part) => [part.addresses, part.ruleNumber])).toEqual([['10.0.1.0/25', 10]]);
    expect(result.allowed.map((part) => [part.addresses, part.rule])).toEqual([
      ['10.0.1.128/25', 'rule 20 allow 0.0.0.0/0 all traffic'],
    ]);
  });

  it('names a part that is not a CIDR by its first and last address', () => {
    // Arrange
    const entries = [rule({ ruleNumber: 10, action: 'deny', cidr: '10.0.1.3/32' }), rule({ ruleNumber: 20 })];

    // Act
    const result = evaluateAclTraffic(entries, {
      egress: true,
      peerCidr: '10.0.1.0/30',
      fromPort: 80,
      toPort: 80,
    });

    // Assert
    expect(result.allowed.map((part) => part.addresses)).toEqual(['10.0.1.0-10.0.1.2']);
  });

  it('denies by default what no rule matches, with no rule number', () => {
    // Act
    const result = evaluateAclTraffic([rule({ egress: false })], {
      egress: true,
      peerCidr: '10.0.1.5',
      fromPort: 443,
      toPort: 443,
    });

    // Assert
    expect(result.allowed).toEqual([]);
    expect(result.denied).toEqual([
      expect.objectContaining({
        addresses: '10.0.1.5/32',
        ruleNumber: null,
        rule: 'no matching rule (default deny)',
      }),
    ]);
  });

  it('lets the lowest rule number decide, whatever the order given', () => {
    // Arrange
    const allowFirst = [denyTcp(200, 0, 65535), rule({ ruleNumber: 100 })];
    const denyFirst = [rule({ ruleNumber: 200 }), denyTcp(100, 0, 65535)];
    const traffic = { egress: true, peerCidr: '10.0.1.0/24', fromPort: 8080, toPort: 8080 };

    // Act
    const allowed = evaluateAclTraffic(allowFirst, traffic);
    const denied = evaluateAclTraffic(denyFirst, traffic);

    // Assert
    expect(allowed.denied).toEqual([]);
    expect(allowed.allowed[0]?.ruleNumber).toBe(100);
    expect(denied.allowed).toEqual([]);
    expect(denied.denied[0]?.ruleNumber).toBe(100);
  });

  it('ignores a deny for an unrelated CIDR', () => {
    // Arrange
    const entries = [
      rule({ ruleNumber: 10, action: 'deny', cidr: '192.168.0.0/16' }),
      rule({ ruleNumber: 100 }),
    ];

    // Act
    const result = evaluateAclTraffic(entries, {
      egress: true,
      peerCidr: '10.0.1.0/24',
      fromPort: 1024,
      toPort: 65535,
    });

    // Assert
    expect(result.denied).toEqual([]);
    expect(result.allowed).toEqual([
      expect.objectContaining({ ruleNumber: 100, fromPort: 1024, toPort: 65535 }),
    ]);
  });

  it('applies IPv6 rules to IPv6 peers only, and IPv4 rules to IPv4 peers only', () => {
    // Arrange
    const entries = [rule({ ruleNumber: 100 }), rule({ ruleNumber: 101, cidr: '::/0', action: 'deny' })];
    const traffic = { egress: true, fromPort: 443, toPort: 443 };

    // Act
    const ipv6 = evaluateAclTraffic(entries, { ...traffic, peerCidr: '2001:db8::/64' });
    const ipv4 = evaluateAclTraffic(entries, { ...traffic, peerCidr: '10.0.0.1' });

    // Assert
    expect(ipv6.denied).toEqual([expect.objectContaining({ addresses: '2001:db8::/64', ruleNumber: 101 })]);
    expect(ipv4.allowed).toEqual([expect.objectContaining({ ruleNumber: 100 })]);
  });

  it('matches rules of the traffic protocol or all protocols only, and skips rules it cannot parse', () => {
    // Arrange
    const entries = [
      rule({ ruleNumber: 10, protocol: '17', action: 'deny', fromPort: 53, toPort: 53 }),
      rule({ ruleNumber: 20, protocol: '1', action: 'deny' }),
      rule({ ruleNumber: 30, action: 'deny', cidr: 'not-a-cidr' }),
      rule({ ruleNumber: 40, protocol: '6', fromPort: undefined, toPort: undefined }),
    ];
    const traffic = { egress: true, peerCidr: '10.0.0.1', fromPort: 53, toPort: 53 };

    // Act
    const tcp = evaluateAclTraffic(entries, traffic);
    const udp = evaluateAclTraffic(entries, { ...traffic, protocol: 'udp' });

    // Assert
    expect(tcp.allowed).toEqual([
      expect.objectContaining({ ruleNumber: 40, rule: 'rule 40 allow 0.0.0.0/0 tcp/0-65535' }),
    ]);
    expect(udp.denied).toEqual([
      expect.objectContaining({ ruleNumber: 10, rule: 'rule 10 deny 0.0.0.0/0 udp/53' }),
    ]);
  });

  it.each([
    [
      'a peer that is no address',
      { peerCidr: 'somewhere', fromPort: 1, toPort: 2 },
      'is not an IPv4 or IPv6',
    ],
    ['inverted ports', { peerCidr: '10.0.0.1', fromPort: 9, toPort: 2 }, 'ports 9-2 are not a range'],
    ['ports above 65535', { peerCidr: '10.0.0.1', fromPort: 1, toPort: 70000 }, 'within 0-65535'],
  ])('refuses traffic with %s', (_name, traffic, message) => {
    expect(() => evaluateAclTraffic([], { egress: true, ...traffic })).toThrow(message);
  });
});

describe('return traffic on ephemeral ports', () => {
  it('is not blocked by a hardened deny of 3389 from anywhere before an allow-all: a note only', () => {
    // Act
    const verdict = judgeReturnTraffic([denyTcp(90, 3389), rule({ ruleNumber: 100 })], toNlbNodes);

    // Assert
    expect(verdict.status).toBe('allowed-with-notes');
    expect(verdict.denied.map((part) => part.ruleNumber)).toEqual([90]);
    expect(verdict.summary).toBe(
      'return traffic allowed; negligible: ports 3389 of 1024-65535 denied (0.0016% of the range) by rule 90 deny 0.0.0.0/0 tcp/3389',
    );
  });

  it('is allowed without a note when nothing is denied (healthy twin)', () => {
    // Act
    const verdict = judgeReturnTraffic([rule({ ruleNumber: 100 })], toNlbNodes);

    // Assert
    expect(verdict).toEqual({
      status: 'allowed',
      deniedShare: 0,
      denied: [],
      summary: 'return traffic to ports 1024-65535 allowed',
    });
  });

  it('is not blocked by a handful of well-known database and remote-access ports', () => {
    // Arrange
    const entries = [3306, 3389, 5432, 5900, 6379, 27017].map((port, index) => denyTcp(10 + index, port));

    // Act
    const verdict = judgeReturnTraffic([...entries, rule({ ruleNumber: 100 })], toNlbNodes);

    // Assert
    expect(verdict.status).toBe('allowed-with-notes');
    expect(verdict.denied.map((part) => part.fromPort)).toEqual([3306, 3389, 5432, 5900, 6379, 27017]);
  });

  it('is blocked by a deny of the whole ephemeral range before the allow', () => {
    // Act
    const verdict = judgeReturnTraffic([denyTcp(50, 1024, 65535), rule({ ruleNumber: 100 })], toNlbNodes);

    // Assert
    expect(verdict.status).toBe('blocked');
    expect(verdict.deniedShare).toBe(1);
    expect(verdict.summary).toBe(
      'return traffic blocked: ports 1024-65535 of 1024-65535 denied (100% of the range) by rule 50 deny 0.0.0.0/0 tcp/1024-65535',
    );
  });

  it('is blocked when no rule allows the ephemeral ports (default deny)', () => {
    // Act
    const verdict = judgeReturnTraffic(
      [rule({ ruleNumber: 100, protocol: '6', fromPort: 443, toPort: 443 })],
      toNlbNodes,
    );

    // Assert
    expect(verdict.status).toBe('blocked');
    expect(verdict.denied.map((part) => part.ruleNumber)).toEqual([null]);
  });

  it('is blocked for one address of the peer range even when the rest is allowed', () => {
    // Arrange: the NLB node 10.0.1.23 is denied every port; the rest of its subnet is not
    const entries = [
      rule({ ruleNumber: 10, action: 'deny', cidr: '10.0.1.23/32' }),
      rule({ ruleNumber: 100 }),
    ];

    // Act
    const verdict = judgeReturnTraffic(entries, toNlbNodes);

    // Assert
    expect(verdict.status).toBe('blocked');
    expect(verdict.deniedShare).toBe(1);
    expect(verdict.denied.map((part) => part.addresses)).toEqual(['10.0.1.23/32']);
  });

  it('adds up the denied ports one address gets from several rules', () => {
    // Arrange: each rule alone denies 400 ports (0.6%), together 800 (1.2%) for 10.0.1.0/25
    const entries = [
      denyTcp(10, 2000, 2399, '10.0.1.0/25'),
      denyTcp(20, 3000, 3399, '10.0.1.0/24'),
      rule({ ruleNumber: 100 }),
    ];

    // Act
    const verdict = judgeReturnTraffic(entries, toNlbNodes);

    // Assert
    expect(verdict.status).toBe('blocked');
    expect(verdict.deniedShare).toBeCloseTo(800 / 64512);
  });

  it('draws the line at 1% of the sender range', () => {
    // Arrange: 645 ports are 0.9998% of 1024-65535, 646 are 1.0014%
    const upTo = (count: number) => [denyTcp(10, 10000, 10000 + count - 1), rule({ ruleNumber: 100 })];

    // Act
    const under = judgeReturnTraffic(upTo(645), toNlbNodes);
    const over = judgeReturnTraffic(upTo(646), toNlbNodes);

    // Assert
    expect(under.status).toBe('allowed-with-notes');
    expect(over.status).toBe('blocked');
  });

  it('judges against the ephemeral range the sender really uses', () => {
    // Arrange: the old Windows range 1025-5000 is denied
    const entries = [denyTcp(10, 1025, 5000), rule({ ruleNumber: 100 })];

    // Act
    const linuxClient = judgeReturnTraffic(entries, { ...toNlbNodes, ephemeralPorts: EPHEMERAL_PORTS.linux });
    const loadBalancer = judgeReturnTraffic(entries, toNlbNodes);

    // Assert
    expect(linuxClient.status).toBe('allowed');
    expect(loadBalancer.status).toBe('blocked');
  });

  it('judges udp return traffic against udp rules', () => {
    // Arrange
    const entries = [
      rule({ ruleNumber: 10, protocol: '17', action: 'deny', fromPort: 1024, toPort: 65535 }),
      rule({}),
    ];

    // Act
    const udp = judgeReturnTraffic(entries, { ...toNlbNodes, protocol: 'udp' });
    const tcp = judgeReturnTraffic(entries, toNlbNodes);

    // Assert
    expect(udp.status).toBe('blocked');
    expect(tcp.status).toBe('allowed');
  });
});

describe('the all-or-nothing verdict', () => {
  it('names the lowest-numbered denying rule, before the default deny', () => {
    // Arrange: rule 30 denies 10.0.1.0/25; what neither rule 20 nor 30 covers falls to the default deny
    const entries = [
      rule({ ruleNumber: 30, action: 'deny', cidr: '10.0.1.0/25' }),
      rule({ ruleNumber: 20, cidr: '10.0.1.128/26' }),
    ];

    // Act
    const verdict = evaluateAcl(entries, { egress: true, peerCidr: '10.0.1.0/24', fromPort: 80, toPort: 80 });

    // Assert
    expect(verdict).toEqual({ allowed: false, rule: 'rule 30 deny 10.0.1.0/25 all traffic' });
  });
});

describe('network ACL evaluation: properties', () => {
  const port = fc.integer({ min: 0, max: 12 });
  const entry = fc
    .record({
      ruleNumber: fc.integer({ min: 1, max: 200 }),
      egress: fc.boolean(),
      protocol: fc.constantFrom('-1', '6', '17'),
      action: fc.constantFrom('allow' as const, 'deny' as const),
      cidr: fc
        .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 26, max: 32 }))
        .map(([d, bits]) => `10.0.0.${d * 4}/${bits}`),
      fromPort: port,
      toPort: port,
    })
    .map((value) => ({ ...value, toPort: Math.max(value.fromPort, value.toPort) }));
  const entries = fc.uniqueArray(entry, {
    maxLength: 8,
    selector: (value) => `${value.egress}${value.ruleNumber}`,
  });
  const traffic = fc
    .record({
      egress: fc.boolean(),
      protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      peerCidr: fc.constantFrom('10.0.0.0/26', '10.0.0.0/28', '10.0.0.16/30', '10.0.0.5'),
      fromPort: port,
      toPort: port,
    })
    .map((value) => ({ ...value, toPort: Math.max(value.fromPort, value.toPort) }));

  /** A part's addresses, from `10.0.0.0/28` or `10.0.0.0-10.0.0.2`. */
  function addressesOf(part: { addresses: string }): { first: bigint; last: bigint } {
    const [from, to] = part.addresses.split('-').map((text) => parseIpRange(text));
    if (!from) throw new Error(`unreadable part ${part.addresses}`);
    return { first: from.first, last: (to ?? from).last };
  }

  /** One packet at a time, the textbook way: the first matching rule by number, else deny. */
  function naiveAcl(rules: NetworkAclEntry[], egress: boolean, protocol: string) {
    const sorted = rules
      .filter((candidate) => candidate.egress === egress && ['-1', protocol].includes(candidate.protocol))
      .sort((a, b) => a.ruleNumber - b.ruleNumber)
      .map((candidate) => ({
        ...candidate,
        range: parseIpRange(candidate.cidr),
        ports:
          candidate.protocol === '-1' ? [0, 65535] : [candidate.fromPort ?? 0, candidate.toPort ?? 65535],
      }));
    return (address: bigint, at: number) => {
      const hit = sorted.find(
        ({ range, ports: [from = 0, to = 65535] }) =>
          range !== undefined && range.first <= address && address <= range.last && from <= at && at <= to,
      );
      return hit ? { action: hit.action, ruleNumber: hit.ruleNumber } : { action: 'deny', ruleNumber: null };
    };
  }

  it('decides every packet of the traffic as first-match evaluation of that packet does', () => {
    fc.assert(
      fc.property(entries, traffic, (rules, flow) => {
        // Act
        const result = evaluateAclTraffic(rules, flow);

        // Assert: the parts tile the traffic, and each packet gets the naive verdict
        const peer = parseIpRange(flow.peerCidr);
        if (!peer) throw new Error('bad peer');
        const parts = [...result.allowed, ...result.denied].map((part) => ({
          ...part,
          ...addressesOf(part),
        }));
        const naive = naiveAcl(rules, flow.egress, flow.protocol === 'tcp' ? '6' : '17');
        const wrong: string[] = [];
        for (let address = peer.first; address <= peer.last; address += 1n) {
          for (let at = flow.fromPort; at <= flow.toPort; at += 1) {
            const holding = parts.filter(
              (part) =>
                part.first <= address && address <= part.last && part.fromPort <= at && at <= part.toPort,
            );
            const expected = naive(address, at);
            const [part, ...extra] = holding;
            if (
              extra.length > 0 ||
              part?.action !== expected.action ||
              part.ruleNumber !== expected.ruleNumber
            ) {
              wrong.push(
                `${address}:${at} in ${holding.length} parts, ${part?.rule} instead of ${expected.ruleNumber}`,
              );
            }
          }
        }
        expect(wrong).toEqual([]);
      }),
    );
  });

  it('never blocks allowed traffic when an allow rule numbered after every other rule is added', () => {
    const returnTraffic = fc.record({
      egress: fc.boolean(),
      peerCidr: fc.constantFrom('10.0.0.0/26', '10.0.0.5'),
      ephemeralPorts: fc.constantFrom({ from: 0, to: 12 }, { from: 4, to: 9 }),
    });
    fc.assert(
      fc.property(entries, entry, traffic, returnTraffic, (rules, added, flow, back) => {
        // Arrange
        const last = Math.max(0, ...rules.map((candidate) => candidate.ruleNumber));
        const after = [...rules, { ...added, action: 'allow' as const, ruleNumber: last + 1 }];
        const rank = { allowed: 0, 'allowed-with-notes': 1, blocked: 2 };

        // Act
        const before = { all: evaluateAcl(rules, flow), back: judgeReturnTraffic(rules, back) };
        const later = { all: evaluateAcl(after, flow), back: judgeReturnTraffic(after, back) };

        // Assert
        if (before.all.allowed) expect(later.all.allowed).toBe(true);
        expect(rank[later.back.status]).toBeLessThanOrEqual(rank[before.back.status]);
        expect(later.back.deniedShare).toBeLessThanOrEqual(before.back.deniedShare);
      }),
    );
  });
});
