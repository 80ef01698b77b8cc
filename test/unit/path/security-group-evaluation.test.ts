import fc from 'fast-check';
import type { Collected, IpPermission, SecurityGroupFacts } from '../../../lambda/domain/types';
import {
  evaluateSecurityGroups,
  type SecurityGroupEvaluationInput,
  type TrafficSource,
} from '../../../lambda/path/security-groups';
import { anIpPermission, type Overrides } from '../../support/inventory-builders';

const permission = (overrides: Overrides<IpPermission>): IpPermission => anIpPermission(overrides);

const group = (id: string, ...inbound: IpPermission[]): SecurityGroupFacts => ({
  id,
  name: id,
  vpcId: 'vpc-1',
  inbound,
});

const nlbNode = (zone: string, ip: string): TrafficSource => ({
  label: `NLB node in ${zone} ${ip}`,
  zone,
  cidr: ip,
  securityGroupIds: [],
});

const NODES = [
  nlbNode('us-east-1a', '10.0.1.23'),
  nlbNode('us-east-1b', '10.0.2.45'),
  nlbNode('us-east-1c', '10.0.3.67'),
];

const evaluate = (overrides: Partial<SecurityGroupEvaluationInput>) =>
  evaluateSecurityGroups({
    groups: [],
    traffic: { protocol: 'tcp', port: 80 },
    prefixLists: {},
    sources: NODES,
    ...overrides,
  });

const unreadable: Collected<string[]> = {
  ok: false,
  error: { action: 'ec2:GetManagedPrefixListEntries', code: 'AccessDenied', message: 'not authorized' },
};

describe('security group evaluation over every source', () => {
  it('blocks the other zones when a rule admits only one zone subnet, and names them', () => {
    // Arrange: the rule admits 10.0.1.0/24, the subnet of us-east-1a only
    const groups = [group('sg-web', permission({ cidrs: ['10.0.1.0/24'] }))];

    // Act
    const verdict = evaluate({ groups });

    // Assert
    expect(verdict.status).toBe('some-blocked');
    expect(verdict.blocked.map((source) => source.cidr)).toEqual(['10.0.2.45', '10.0.3.67']);
    expect(verdict.blockedZones).toEqual(['us-east-1b', 'us-east-1c']);
    expect(verdict.sources[0]).toMatchObject({
      status: 'allowed',
      rule: { description: 'sg-web allows 10.0.1.0/24 tcp/80', kind: 'cidr' },
    });
    expect(verdict.summary).toBe(
      '2 of 3 sources blocked on tcp/80 (zones us-east-1b, us-east-1c): NLB node in us-east-1b 10.0.2.45; NLB node in us-east-1c 10.0.3.67',
    );
  });

  it('allows every zone when a rule admits the VPC CIDR (healthy twin)', () => {
    // Arrange
    const groups = [
      group('sg-web', permission({ cidrs: ['10.0.1.0/24'] }), permission({ cidrs: ['10.0.0.0/16'] })),
    ];

    // Act
    const verdict = evaluate({ groups });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.blocked).toEqual([]);
    expect(verdict.gaps).toEqual([]);
    expect(verdict.sources.map((source) => source.status === 'allowed' && source.rule.description)).toEqual([
      'sg-web allows 10.0.1.0/24 tcp/80',
      'sg-web allows 10.0.0.0/16 tcp/80',
      'sg-web allows 10.0.0.0/16 tcp/80',
    ]);
    expect(verdict.summary).toMatch(
      /^all 3 sources allowed on tcp\/80: NLB node in us-east-1a 10\.0\.1\.23 \(sg-web/,
    );
  });

  it('blocks a source whose range the rule holds only in part', () => {
    // Arrange: the VPC link's subnet is a /24; the rule admits half of it
    const subnet = { label: 'VPC link interfaces in subnet-a', cidr: '10.0.1.0/24', securityGroupIds: [] };
    const groups = [group('sg-alb', permission({ cidrs: ['10.0.1.0/25'] }))];

    // Act
    const verdict = evaluate({ groups, sources: [subnet] });

    // Assert
    expect(verdict.status).toBe('some-blocked');
    expect(verdict.blockedZones).toEqual([]);
    expect(verdict.summary).toBe('1 of 1 sources blocked on tcp/80: VPC link interfaces in subnet-a');
  });

  it('admits a source through a prefix list entry and names the entry', () => {
    // Arrange
    const groups = [group('sg-web', permission({ prefixListIds: ['pl-abc'] }))];
    const prefixLists = { 'pl-abc': { ok: true as const, value: ['192.168.0.0/16', '10.0.0.0/8'] } };

    // Act
    const verdict = evaluate({ groups, prefixLists });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.sources[1]).toMatchObject({
      status: 'allowed',
      rule: { kind: 'prefix-list', reference: 'pl-abc', prefixListEntry: '10.0.0.0/8' },
    });
    expect(verdict.sources[1]?.status === 'allowed' && verdict.sources[1].rule.description).toBe(
      'sg-web allows pl-abc (10.0.0.0/8) tcp/80',
    );
  });

  it('blocks the sources a readable prefix list does not hold', () => {
    // Arrange
    const groups = [group('sg-web', permission({ prefixListIds: ['pl-abc'] }))];
    const prefixLists = { 'pl-abc': { ok: true as const, value: ['10.0.1.0/24'] } };

    // Act
    const verdict = evaluate({ groups, prefixLists });

    // Assert
    expect(verdict.status).toBe('some-blocked');
    expect(verdict.blockedZones).toEqual(['us-east-1b', 'us-east-1c']);
  });

  it('cannot tell when the only rule left names a prefix list that could not be read', () => {
    // Arrange
    const groups = [group('sg-web', permission({ prefixListIds: ['pl-abc'] }))];

    // Act
    const verdict = evaluate({ groups, prefixLists: { 'pl-abc': unreadable } });

    // Assert
    expect(verdict.status).toBe('could-not-tell');
    expect(verdict.blocked).toEqual([]);
    expect(verdict.gaps).toEqual([unreadable.ok ? undefined : unreadable.error]);
    expect(verdict.sources.every((source) => source.status === 'unknown')).toBe(true);
    expect(verdict.summary).toContain('prefix list pl-abc could not be read');
  });

  it('cannot tell when a referenced prefix list was never collected, and names the action', () => {
    // Arrange
    const groups = [group('sg-web', permission({ prefixListIds: ['pl-missing'] }))];

    // Act
    const verdict = evaluate({ groups, sources: [NODES[0] as TrafficSource] });

    // Assert
    expect(verdict.status).toBe('could-not-tell');
    expect(verdict.gaps).toEqual([
      expect.objectContaining({ action: 'ec2:GetManagedPrefixListEntries', code: 'NotCollected' }),
    ]);
  });

  it('reports no gap when another rule admits the source despite an unreadable prefix list', () => {
    // Arrange
    const groups = [
      group('sg-web', permission({ prefixListIds: ['pl-abc'] }), permission({ cidrs: ['0.0.0.0/0'] })),
    ];

    // Act
    const verdict = evaluate({ groups, prefixLists: { 'pl-abc': unreadable } });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.gaps).toEqual([]);
  });

  it('passes the sources another rule admits and cannot tell for the rest, IPv6 ones included', () => {
    // Arrange: the first node has its own rule; the IPv6 one only the unreadable list (which may hold IPv6 entries)
    const groups = [
      group('sg-web', permission({ prefixListIds: ['pl-abc'] })),
      group('sg-other', permission({ cidrs: ['10.0.1.0/24'] })),
    ];
    const sources = [NODES[0] as TrafficSource, { ...(NODES[1] as TrafficSource), cidr: '2001:db8::1' }];

    // Act
    const verdict = evaluate({ groups, sources, prefixLists: { 'pl-abc': unreadable } });

    // Assert
    expect(verdict.sources.map((source) => source.status)).toEqual(['allowed', 'unknown']);
    expect(verdict.status).toBe('could-not-tell');
  });

  it('admits a source by one of its own security groups', () => {
    // Arrange
    const link = {
      label: 'VPC link interface in subnet-a (sg-link)',
      cidr: '10.0.1.9',
      securityGroupIds: ['sg-link'],
    };
    const groups = [group('sg-alb', permission({ sourceSecurityGroupIds: ['sg-other', 'sg-link'] }))];

    // Act
    const verdict = evaluate({ groups, sources: [link] });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.sources[0]).toMatchObject({
      status: 'allowed',
      rule: { kind: 'security-group', reference: 'sg-link', description: 'sg-alb allows sg-link tcp/80' },
    });
  });

  it('blocks a source whose groups the rule does not reference', () => {
    // Arrange
    const link = {
      label: 'VPC link interface in subnet-a (sg-link)',
      cidr: '10.0.1.9',
      securityGroupIds: ['sg-link'],
    };
    const groups = [group('sg-alb', permission({ sourceSecurityGroupIds: ['sg-other'] }))];

    // Act
    const verdict = evaluate({ groups, sources: [link] });

    // Assert
    expect(verdict.status).toBe('some-blocked');
  });

  it('matches an IPv6 source against IPv6 rules only', () => {
    // Arrange: 0.0.0.0/0 admits every IPv4 address, never an IPv6 one
    const client = { label: 'client 2001:db8:1::5', cidr: '2001:db8:1::5', securityGroupIds: [] };
    const ipv4Only = [group('sg-web', permission({ cidrs: ['0.0.0.0/0'] }))];
    const withIpv6 = [group('sg-web', permission({ cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['2001:db8::/32'] }))];

    // Act
    const blocked = evaluate({ groups: ipv4Only, sources: [client] });
    const allowed = evaluate({ groups: withIpv6, sources: [client] });

    // Assert
    expect(blocked.status).toBe('some-blocked');
    expect(allowed.status).toBe('all-allowed');
    expect(allowed.sources[0]).toMatchObject({ rule: { description: 'sg-web allows 2001:db8::/32 tcp/80' } });
  });

  it('never matches an IPv4 source against an IPv6 rule', () => {
    // Act
    const verdict = evaluate({ groups: [group('sg-web', permission({ ipv6Cidrs: ['::/0'] }))] });

    // Assert
    expect(verdict.status).toBe('some-blocked');
    expect(verdict.blocked).toHaveLength(3);
  });

  it.each([
    [
      'all traffic (-1)',
      permission({ protocol: '-1', fromPort: undefined, toPort: undefined }),
      'all traffic',
    ],
    ['tcp, all ports (-1)', permission({ fromPort: -1, toPort: -1 }), 'tcp/all'],
    ['tcp 0-65535 by number', permission({ protocol: '6', fromPort: 0, toPort: 65535 }), 'tcp/all'],
    ['tcp range', permission({ fromPort: 1, toPort: 1024 }), 'tcp/1-1024'],
    ['tcp without ports', permission({ fromPort: undefined, toPort: undefined }), 'tcp/all'],
  ])('admits port 80 by a rule of %s', (_name, rule, ports) => {
    // Act
    const verdict = evaluate({ groups: [group('sg-web', { ...rule, cidrs: ['10.0.0.0/16'] })] });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.sources[0]).toMatchObject({ rule: { description: `sg-web allows 10.0.0.0/16 ${ports}` } });
  });

  it.each([
    ['another tcp port', permission({ fromPort: 443, toPort: 443 })],
    ['udp', permission({ protocol: 'udp', fromPort: 80, toPort: 80 })],
    ['icmp', permission({ protocol: 'icmp', fromPort: -1, toPort: -1 })],
  ])('does not admit tcp/80 by a rule of %s', (_name, rule) => {
    // Act
    const verdict = evaluate({ groups: [group('sg-web', { ...rule, cidrs: ['0.0.0.0/0'] })] });

    // Assert
    expect(verdict.status).toBe('some-blocked');
  });

  it('judges udp traffic against udp rules', () => {
    // Act
    const verdict = evaluate({
      groups: [
        group('sg-dns', permission({ protocol: '17', fromPort: 53, toPort: 53, cidrs: ['0.0.0.0/0'] })),
      ],
      traffic: { protocol: 'udp', port: 53 },
    });

    // Assert
    expect(verdict.status).toBe('all-allowed');
    expect(verdict.sources[0]).toMatchObject({ rule: { description: 'sg-dns allows 0.0.0.0/0 udp/53' } });
  });

  it('blocks a source whose address cannot be read, and ignores rules that cannot be parsed', () => {
    // Arrange
    const groups = [group('sg-web', permission({ cidrs: ['not-a-cidr', '0.0.0.0/0'] }))];
    const odd = { label: 'odd', cidr: 'somewhere', securityGroupIds: [] };

    // Act
    const verdict = evaluate({ groups, sources: [odd, NODES[0] as TrafficSource] });

    // Assert
    expect(verdict.sources.map((source) => source.status)).toEqual(['blocked', 'allowed']);
  });

  it('keeps a label that holds line breaks or escape sequences on one line in the summary', () => {
    // Act
    const verdict = evaluate({
      sources: [{ label: 'node\nFAKE LINE \u001b[31m', cidr: '10.0.0.1', securityGroupIds: [] }],
    });

    // Assert
    expect(verdict.summary).toBe('1 of 1 sources blocked on tcp/80: node FAKE LINE [31m');
  });

  it('refuses to judge an empty list of sources', () => {
    expect(() => evaluate({ sources: [] })).toThrow('needs at least one traffic source');
  });
});

describe('security group evaluation: properties', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const address = fc.tuple(octet, octet).map(([c, d]) => `10.0.${c}.${d}`);
  const cidr = fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
    .map(([c, bits]) => `10.${c % 2}.${c}.0/${bits}`);
  const groupId = fc.constantFrom('sg-a', 'sg-b', 'sg-c');
  const rule = fc.record({
    protocol: fc.constantFrom('tcp', '-1', 'udp'),
    fromPort: fc.integer({ min: 0, max: 100 }),
    toPort: fc.integer({ min: 0, max: 100 }),
    cidrs: fc.array(cidr, { maxLength: 2 }),
    ipv6Cidrs: fc.constant<string[]>([]),
    sourceSecurityGroupIds: fc.array(groupId, { maxLength: 1 }),
    prefixListIds: fc.array(fc.constantFrom('pl-ok', 'pl-broken'), { maxLength: 1 }),
  });
  const source = fc.record({
    label: fc.string(),
    zone: fc.constantFrom('us-east-1a', 'us-east-1b', 'us-east-1c'),
    cidr: address,
    securityGroupIds: fc.array(groupId, { maxLength: 1 }),
  });
  const input = fc.record({
    groups: fc
      .array(fc.array(rule, { maxLength: 3 }), { maxLength: 3 })
      .map((groups) => groups.map((inbound, index) => group(`sg-${index}`, ...inbound))),
    traffic: fc.record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      port: fc.integer({ min: 0, max: 100 }),
    }),
    prefixLists: fc.constant<Record<string, Collected<string[]>>>({
      'pl-ok': { ok: true, value: ['10.0.0.0/20'] },
      'pl-broken': unreadable,
    }),
    sources: fc.array(source, { minLength: 1, maxLength: 4 }),
  });

  it('never turns an allowed source into a blocked one, nor all-allowed into anything else, when an allow rule is added', () => {
    fc.assert(
      fc.property(input, rule, fc.nat(), (before, added, where) => {
        // Arrange
        const groups = before.groups.length > 0 ? before.groups : [group('sg-0')];
        const target = where % groups.length;
        const after = groups.map((g, index) =>
          index === target ? { ...g, inbound: [...g.inbound, added] } : g,
        );

        // Act
        const old = evaluateSecurityGroups({ ...before, groups });
        const next = evaluateSecurityGroups({ ...before, groups: after });

        // Assert
        old.sources.forEach((verdict, index) => {
          if (verdict.status === 'allowed') expect(next.sources[index]?.status).toBe('allowed');
        });
        if (old.status === 'all-allowed') expect(next.status).toBe('all-allowed');
      }),
    );
  });

  it('names every blocked source and its zone in the verdict', () => {
    fc.assert(
      fc.property(input, (value) => {
        // Act
        const verdict = evaluateSecurityGroups(value);

        // Assert
        for (const [index, judged] of verdict.sources.entries()) {
          const sent = value.sources[index] as TrafficSource;
          if (judged.status !== 'blocked') continue;
          expect(verdict.status).toBe('some-blocked');
          expect(verdict.blocked).toContain(sent);
          expect(verdict.blockedZones).toContain(sent.zone);
          expect(verdict.summary).toContain(sent.zone);
        }
      }),
    );
  });
});
