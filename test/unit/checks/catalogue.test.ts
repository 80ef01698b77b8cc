import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksTableIn, renderChecksTable, withChecksTable } from '../../../lambda/checks/catalogue-table';
import { CHECKS } from '../../../lambda/checks/index';

const CATALOGUE_IDS = [
  'client-retries',
  'stage-access-logging',
  'stage-execution-logging',
  'lb-cross-zone',
  'tg-empty-az',
  'tg-unhealthy-az',
  'integration-timeout',
  'nlb-access-logs-tls',
  'nlb-target-security-groups',
  'alb-security-group-sources',
  // Added by issue 23 (the path model): a sender's security-group egress.
  'sender-security-group-egress',
  'vpc-flow-logs',
  'nlb-tcp-target-resets',
  'vpc-link-status',
  'integration-listener',
  'subnet-network-acls',
  'execution-log-network-errors',
  // Added by issue 12 (follow the traffic); to be added to checks.md's "Beyond the article" table.
  'stage-deployment-drift',
  // Added by issue 28 (what coincided with the error minutes, and configuration advice).
  'tg-healthy-dip',
  'tg-failed-open',
  'target-resets-coincide',
  'targets-answered-5xx',
  'latency-at-timeout',
  'tg-tcp-health-check',
  'tg-health-check-port',
  'tg-proxy-protocol-v2',
  'listener-certificate-expiry',
  // Added by issues 23 and 28: an HTTP API private integration to a Cloud Map service.
  'cloud-map-instance-security-groups',
  'cloud-map-health-check',
];

describe('the check catalogue', () => {
  it('registers exactly the ids of checks.md, once each', () => {
    expect(CHECKS.map((check) => check.id)).toEqual(CATALOGUE_IDS);
  });

  it('runs low-frequency checks for low-frequency stages and every other check for high-frequency ones', () => {
    for (const check of CHECKS) {
      expect(check.runsFor).toEqual(check.group === 'low-frequency' ? ['low-frequency'] : ['high-frequency']);
    }
  });

  it('gives every check a title, risk, remediation and AWS documentation over https', () => {
    for (const check of CHECKS) {
      expect(check.title.length).toBeGreaterThan(0);
      expect(check.risk.length).toBeGreaterThan(20);
      expect(check.remediation.length).toBeGreaterThan(20);
      expect(check.docs.length).toBeGreaterThan(0);
      for (const url of check.docs)
        expect(url).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|repost\.aws|aws\.amazon\.com)\//);
    }
  });

  it('keeps the docs/checks.md table equal to the registry (run `npm run docs:checks` to refresh it)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'checks.md'), 'utf8');
    expect(checksTableIn(readme)).toBe(renderChecksTable(CHECKS));
  });

  it('escapes pipes in table cells and rewrites or appends the marked block', () => {
    const [first] = CHECKS;
    const piped = { ...(first as (typeof CHECKS)[number]), risk: 'a | b', remediation: 'line\n  two' };
    expect(renderChecksTable([piped])).toContain('| a \\| b | line two |');
    const appended = withChecksTable('# Title\n', 'TABLE');
    expect(appended).toBe('# Title\n\n## Checks\n\n<!-- checks:start -->\nTABLE\n<!-- checks:end -->\n');
    expect(withChecksTable(`${appended}\n## After\n`, 'NEW')).toContain(
      '<!-- checks:start -->\nNEW\n<!-- checks:end -->\n\n## After',
    );
    expect(checksTableIn('no markers')).toBeUndefined();
  });
});
