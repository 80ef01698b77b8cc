import { parseIpRange, rangeContains, rangesOverlap } from '../../../lambda/path/cidr';
import { evaluateAcl } from '../../../lambda/path/network-acls';
import { permissionCovers } from '../../../lambda/path/security-groups';

const permissionCoversTcpPort = (permission: Parameters<typeof permissionCovers>[0], port: number) =>
  permissionCovers(permission, { protocol: 'tcp', port });

import type { NetworkAclEntry } from '../../../lambda/domain/types';
import { type Overrides, withOverrides } from '../../support/inventory-builders';

describe('IP ranges (ipaddr.js, one library for every rule)', () => {
  it('parses CIDRs and bare addresses, aligning the base', () => {
    expect(parseIpRange('10.0.1.77/24')).toEqual({ family: 4, first: 167772416n, last: 167772671n });
    expect(parseIpRange('10.0.0.1')).toEqual({ family: 4, first: 167772161n, last: 167772161n });
    expect(parseIpRange('0.0.0.0/0')).toEqual({ family: 4, first: 0n, last: 4294967295n });
  });

  it.each(['10.0.0/8', '10.0.0.256/8', '10.0.0.0/33', '10.0.0.0/x', 'a.b.c.d', '10.0.0.0/8/1'])(
    'rejects %s',
    (text) => {
      expect(parseIpRange(text)).toBeUndefined();
    },
  );

  it('tells containment from overlap', () => {
    expect(rangeContains('10.0.0.0/16', '10.0.1.0/24')).toBe(true);
    expect(rangeContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(rangesOverlap('10.0.1.0/24', '10.0.0.0/16')).toBe(true);
    expect(rangesOverlap('10.1.0.0/16', '10.0.0.0/16')).toBe(false);
    expect(rangeContains('bad', '10.0.0.0/16')).toBe(false);
    expect(rangesOverlap('10.0.0.0/16', 'bad')).toBe(false);
  });
});

describe('security group port matching', () => {
  const permission = { cidrs: [], ipv6Cidrs: [], sourceSecurityGroupIds: [], prefixListIds: [] };
  it('matches all traffic, TCP port ranges and "all ports" (-1), never UDP', () => {
    expect(permissionCoversTcpPort({ ...permission, protocol: '-1' }, 22)).toBe(true);
    expect(permissionCoversTcpPort({ ...permission, protocol: '6', fromPort: 20, toPort: 30 }, 22)).toBe(
      true,
    );
    expect(permissionCoversTcpPort({ ...permission, protocol: 'tcp', fromPort: -1, toPort: -1 }, 22)).toBe(
      true,
    );
    expect(permissionCoversTcpPort({ ...permission, protocol: 'tcp' }, 22)).toBe(true);
    expect(permissionCoversTcpPort({ ...permission, protocol: 'tcp', fromPort: 80, toPort: 80 }, 22)).toBe(
      false,
    );
    expect(permissionCoversTcpPort({ ...permission, protocol: 'udp', fromPort: 22, toPort: 22 }, 22)).toBe(
      false,
    );
  });
});

describe('network ACL evaluation', () => {
  const rule = (overrides: Overrides<NetworkAclEntry>): NetworkAclEntry =>
    withOverrides<NetworkAclEntry>(
      {
        ruleNumber: 100,
        egress: false,
        protocol: '6',
        action: 'allow',
        cidr: '0.0.0.0/0',
        fromPort: 8080,
        toPort: 8080,
      },
      overrides,
    );
  const inbound8080 = { egress: false, peerCidr: '10.0.1.0/24', fromPort: 8080, toPort: 8080 };

  it('lets the lowest rule number decide, whatever the order given', () => {
    const entries = [
      rule({ ruleNumber: 200 }),
      rule({ ruleNumber: 50, action: 'deny', cidr: '10.0.1.0/24' }),
    ];
    expect(evaluateAcl(entries, inbound8080)).toEqual({
      allowed: false,
      rule: 'rule 50 deny 10.0.1.0/24 tcp/8080',
    });
  });

  it('denies traffic no rule matches', () => {
    expect(evaluateAcl([rule({ egress: true })], inbound8080)).toEqual({
      allowed: false,
      rule: 'no matching rule (default deny)',
    });
  });

  it('lets an allow decide the part of the traffic it covers and a later rule the rest, passing over UDP rules', () => {
    const entries = [
      rule({ ruleNumber: 10, cidr: '10.0.1.0/25' }),
      rule({ ruleNumber: 20, protocol: '17', action: 'deny' }),
      rule({ ruleNumber: 30, protocol: '-1', fromPort: undefined, toPort: undefined, cidr: '10.0.0.0/16' }),
    ];
    expect(evaluateAcl(entries, inbound8080)).toEqual({
      allowed: true,
      rule: 'rule 10 allow 10.0.1.0/25 tcp/8080, rule 30 allow 10.0.0.0/16 all traffic',
    });
  });

  it('denies a port range when a deny overlaps part of it', () => {
    const entries = [
      rule({ ruleNumber: 10, action: 'deny', fromPort: 3000, toPort: 3000 }),
      rule({ fromPort: undefined, toPort: undefined }),
    ];
    expect(evaluateAcl(entries, { ...inbound8080, fromPort: 1024, toPort: 65535 }).allowed).toBe(false);
  });
});
