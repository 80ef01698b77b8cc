/**
 * `--format html` in a real headless Chromium (test/support/headless-browser.ts), loaded from a file
 * as an email attachment would be: what is on screen at a desktop and a phone width. Screenshots go
 * to a temp folder named on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Finding, PathHop, Report } from '../../lambda/domain/types';
import { renderHtml } from '../../lambda/report/formats/html';
import { launchHeadlessChromium } from '../support/headless-browser';
import { aFinding, aReport, aStage } from '../unit/cli/fixtures/report';

const ALB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/catalog-alb/0cae67f61eeb546d';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/131e5b932568a2ab';
/** A name from AWS that would run as markup if it were not escaped. */
const HOSTILE_NAME = 'catalog<img src=x onerror="window.injected=1"><script>window.injected=2</script>';

const CATALOG_TG =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/catalog-tg/0f1e2d3c4b5a6978';
const catalogTargets: PathHop[] = ['10.0.11.5', '10.0.12.5', '10.0.11.6', '10.0.12.6', '10.0.11.7'].map(
  (address, index) => ({
    seq: 9 + index,
    kind: 'target',
    id: `arn:aws:ec2:us-east-1:123456789012:instance/i-0${index}`,
    label: `target i-0${index}:8080`,
    from: [8],
    facts: {
      port: 8080,
      zones: [index % 2 === 0 ? 'us-east-1a' : 'us-east-1b'],
      state: 'healthy',
      address,
      subnetId: index % 2 === 0 ? 'subnet-app-a' : 'subnet-app-b',
      securityGroupIds: ['sg-web'],
    },
    senders: {
      description: 'ALB catalog-alb nodes',
      sourceAddresses: ['10.0.1.10', '10.0.2.10'],
      securityGroupIds: ['sg-0abc'],
    },
  }),
);

/** The path model's components for the catalog stage (lambda/path/components.ts), a hostile rule condition included. */
const catalogPath: PathHop[] = [
  {
    seq: 1,
    kind: 'stage',
    id: 'arn:aws:apigateway:us-east-1::/apis/efteupuk/stages/prod',
    label: 'stage catalog/prod',
    from: [],
    facts: { apiType: 'HTTP' },
  },
  {
    seq: 2,
    kind: 'route',
    id: 'arn:aws:apigateway:us-east-1::/apis/efteupuk/stages/prod|route ANY /catalog/{proxy+}',
    label: 'route ANY /catalog/{proxy+}',
    from: [1],
  },
  {
    seq: 3,
    kind: 'integration',
    id: 'arn:aws:apigateway:us-east-1::/apis/efteupuk/integrations/tkrbgeet',
    label: 'tkrbgeet',
    from: [2],
  },
  { seq: 4, kind: 'vpc-link', id: 'hvuzugeg', label: 'VPC link catalog-link (V2)', from: [3] },
  {
    seq: 5,
    kind: 'load-balancer',
    id: ALB,
    label: 'ALB catalog-alb',
    from: [4],
    facts: {
      type: 'application',
      scheme: 'internal',
      zones: [
        { zoneName: 'us-east-1a', subnetId: 'subnet-lb-a' },
        { zoneName: 'us-east-1b', subnetId: 'subnet-lb-b' },
      ],
      securityGroupIds: ['sg-0abc'],
      crossZone: { enabled: true, source: 'load balancer default' },
    },
    senders: {
      description: 'VPC link interfaces',
      sourceAddresses: ['10.0.21.0/24', '10.0.22.0/24'],
      securityGroupIds: ['sg-link'],
    },
  },
  {
    seq: 6,
    kind: 'listener',
    id: `${ALB.replace('loadbalancer', 'listener')}/ef13dbb588641cdb`,
    label: 'listener HTTP:80',
    from: [5],
    facts: { protocol: 'HTTP', port: 80, certificateArns: [] },
  },
  {
    seq: 7,
    kind: 'rule',
    id: `${ALB.replace('loadbalancer', 'listener-rule')}/ef13dbb588641cdb/9683b2d02a6cabee`,
    label: 'rule 10',
    from: [6],
    facts: {
      priority: '10',
      conditions: [{ field: 'http-header', headerName: 'X-Tenant', values: [HOSTILE_NAME] }],
      actionType: 'forward',
      forward: [{ arn: CATALOG_TG, weight: 1 }],
    },
    explanations: [
      {
        explanationCode: 'RULE_MAY_MATCH',
        source:
          'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html',
      },
    ],
  },
  {
    seq: 8,
    kind: 'target-group',
    id: CATALOG_TG,
    label: 'target group catalog-tg',
    from: [7],
    rule: '10',
    facts: {
      protocol: 'HTTP',
      port: 8080,
      targetType: 'instance',
      weight: 1,
      preserveClientIp: true,
      proxyProtocolV2: false,
      registeredTargets: 5,
    },
  },
  ...catalogTargets,
];
const flat = (value: number) => Array.from({ length: 12 }, () => value);
/** A 5xx in every period of the fixture's window (11:00-12:00 UTC, 5-minute periods). */
const everyPeriod = (errors5xx: number) =>
  Array.from({ length: 12 }, (_, index) => ({
    at: new Date(Date.parse('2026-11-29T11:00:00.000Z') + index * 300_000).toISOString(),
    errors5xx,
  }));

function auditReport(): Report {
  const catalog = aStage({
    apiId: 'efteupuk',
    apiName: HOSTILE_NAME,
    apiType: 'HTTP',
    requests: 9600,
    errors5xx: 1440,
    errorRatio: 0.15,
    periodsWithErrors: 12,
    auditedPath: catalogPath,
    series: { requests: flat(800), errors5xx: [60, 80, 100, 120, 140, 160, 160, 140, 120, 120, 120, 120] },
    errorMinutes: everyPeriod(120),
  });
  const inventory = aStage({
    apiId: 'zhaxeflvvh',
    apiName: 'inventory-rest',
    requests: 6000,
    errors5xx: 1800,
    errorRatio: 0.3,
    periodsWithErrors: 12,
    series: { requests: flat(500), errors5xx: flat(150) },
    // The twin of catalog's chart: errors in every period, but nothing on its path coincided.
    errorMinutes: everyPeriod(150),
  });
  const healthy = aStage({
    apiId: 'f7bhaikagv',
    apiName: 'accounts-rest',
    requests: 3600,
    errors5xx: 0,
    errorRatio: 0,
    periodsWithErrors: 0,
    classification: 'healthy',
    series: { requests: flat(300), errors5xx: flat(0) },
  });
  const idle = aStage({
    apiId: 'fnpekspb',
    apiName: 'reports-http',
    requests: 0,
    errors5xx: 0,
    errorRatio: 0,
    periodsWithErrors: 0,
    classification: 'no-traffic',
    series: { requests: flat(0), errors5xx: flat(0) },
  });
  const payments = aStage({
    apiId: 'h6afddcfrl',
    apiName: 'payments-rest',
    stage: 'live',
    requests: 24000,
    errors5xx: 3,
    errorRatio: 3 / 24000,
    periodsWithErrors: 2,
    classification: 'low-frequency',
    series: { requests: flat(2000), errors5xx: [0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0] },
  });
  const findings: Finding[] = [
    aFinding({
      id: 'logs',
      checkId: 'stage-access-logging',
      severity: 'low',
      resourceType: 'AWS::ApiGateway::Stage',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/h6afddcfrl/stages/live',
      apis: [{ apiId: 'h6afddcfrl', stage: 'live' }],
      title: 'Access logging carries the integration error',
    }),
    aFinding({
      id: 'sg',
      checkId: 'alb-security-group-sources',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      resourceArn: ALB,
      apis: [{ apiId: 'efteupuk', stage: 'prod' }],
      title: "ALB's security group admits the VPC link",
      message: `security group sg-0abc of ALB ${HOSTILE_NAME} does not allow port 80 from the VPC link`,
      ...{
        fix: {
          commands: [
            'aws ec2 authorize-security-group-ingress --group-id sg-0abc --protocol tcp --port 80 --cidr 10.0.0.0/16',
          ],
          cloudFormation: [],
        },
      },
    }),
    aFinding({
      id: 'timeout',
      checkId: 'integration-timeout',
      severity: 'medium',
      resourceArn: catalogPath[2]?.id ?? '',
      apis: [{ apiId: 'efteupuk', stage: 'prod' }],
      title: 'Integration timeout clear of observed latency',
    }),
    aFinding({ id: 'tg', resourceArn: TG, apis: [{ apiId: 'zhaxeflvvh', stage: 'prod' }] }),
    // Healthy targets of catalog's group dipped at 11:20-11:30 (tg-healthy-dip's evidence shape).
    aFinding({
      id: 'dip',
      checkId: 'tg-healthy-dip',
      status: 'WARN',
      severity: 'medium',
      resourceArn: TG,
      apis: [{ apiId: 'efteupuk', stage: 'prod' }],
      evidence: {
        eventMinutes: ['2026-11-29T11:20:00.000Z', '2026-11-29T11:25:00.000Z', '2026-11-29T11:30:00.000Z'],
        coincidedMinutes: [
          '2026-11-29T11:20:00.000Z',
          '2026-11-29T11:25:00.000Z',
          '2026-11-29T11:30:00.000Z',
        ],
      },
    }),
    aFinding({
      id: 'pass',
      status: 'PASS',
      checkId: 'vpc-link-status',
      apis: [{ apiId: 'f7bhaikagv', stage: 'prod' }],
    }),
  ];
  return aReport({ apis: [healthy, idle, payments, inventory, catalog], findings });
}

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe('the HTML report in a headless browser', () => {
  let browser: Browser;
  let file: string;
  const screenshots = mkdtempSync(join(tmpdir(), 'html-report-screens-'));

  beforeAll(async () => {
    file = join(screenshots, 'report.html');
    writeFileSync(file, renderHtml(auditReport()));
    browser = await launchHeadlessChromium();
    process.stderr.write(`HTML report screenshots: ${screenshots}\n`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the file at a width; records script errors and every request the page makes. */
  async function open(width: number, height: number) {
    const page = await browser.newPage({ viewport: { width, height } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    return { page, problems, requests };
  }

  // Run in the page, as strings: the test's TypeScript has no DOM types.
  /** The test's TypeScript has no DOM types: the page's getComputedStyle, as the browser has it. */
  const computedStyle = (locator: Locator, property: string) =>
    locator.evaluate(
      (element, name) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(
          element,
        )[name],
      property,
    );

  const horizontalOverflow = (page: Page) =>
    page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  it.each(WIDTHS)(
    'shows the $name width ($width px) without script errors, fetches or sideways scrolling',
    async ({ name, width, height }) => {
      const { page, problems, requests } = await open(width, height);

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(
        await page.evaluate<number>("document.querySelectorAll('script, img, iframe, object').length"),
      ).toBe(0);
      expect(await page.evaluate<unknown>('window.injected')).toBeUndefined();
      await page.screenshot({ path: join(screenshots, `${name}-top.png`) });
      await page.locator('.stage').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(screenshots, `${name}-path.png`) });
      await page.screenshot({ path: join(screenshots, `${name}-full.png`), fullPage: true });
      await page.close();
    },
    60_000,
  );

  it.each(WIDTHS)(
    'lists the stages worst first at the $name width',
    async ({ width, height }) => {
      const { page } = await open(width, height);

      const verdicts = await page.locator('tbody tr .verdict').allInnerTexts();
      const names = await page.locator('tbody tr td.name').allInnerTexts();

      expect(verdicts).toEqual([
        'high-frequency',
        'high-frequency',
        'low-frequency',
        'healthy',
        'no-traffic',
      ]);
      expect(names[0]).toContain('inventory-rest/prod');
      expect(names[1]).toContain(`${HOSTILE_NAME}/prod`);
      expect(await page.locator('svg.chart').count()).toBe(5);
      expect(await page.locator('svg.chart').first().isVisible()).toBe(true);
      await page.close();
    },
    60_000,
  );

  it.each(WIDTHS)(
    'marks the blocking hop in red with its fix beside it at the $name width',
    async ({ width, height }) => {
      const { page } = await open(width, height);
      const section = page.locator('section.stage', { hasText: 'catalog' });

      const blocked = section.locator('.hop.blocked');
      expect(await blocked.count()).toBe(1);
      expect(await blocked.textContent()).toContain('ALB catalog-alb');
      expect(await blocked.textContent()).toContain('blocked here');
      const border = await computedStyle(blocked, 'borderTopColor');
      expect(border).toBe('rgb(198, 40, 40)');
      // 8 components before the targets, 3 of the 5 targets, and one "and 2 more".
      expect(await section.locator('.hop:not(.blocked)').count()).toBe(11);
      expect(
        await section.locator('.hop', { hasText: 'and 2 more targets of target group catalog-tg' }).count(),
      ).toBe(1);
      expect(await blocked.textContent()).toContain('internal application · zones us-east-1a, us-east-1b');
      expect(await blocked.textContent()).toContain('from VPC link interfaces: 10.0.21.0/24, 10.0.22.0/24');
      expect(await section.locator('.hop .codes').allInnerTexts()).toEqual(['RULE_MAY_MATCH']);
      const fix = section.locator('.fixes pre.fix');
      expect(await fix.textContent()).toContain('aws ec2 authorize-security-group-ingress');
      await blocked.scrollIntoViewIfNeeded();
      const box = await blocked.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
      expect(await fix.isVisible()).toBe(true);
      await page.close();
    },
    60_000,
  );

  it.each(WIDTHS)(
    "draws what coincided under the stage's 5xx bars, on their time axis, with its legend at the $name width",
    async ({ width, height }) => {
      const { page } = await open(width, height);
      const row = page.locator('tbody tr', { hasText: 'efteupuk' });
      const bars = row.locator('svg.chart rect.bad');
      const marks = row.locator('svg.chart rect.coincided');

      expect(await marks.count()).toBe(3);
      await row.scrollIntoViewIfNeeded();
      expect(await marks.first().isVisible()).toBe(true);
      // 11:20, 11:25, 11:30 are periods 4-6: each mark stands under the bar of its period.
      for (const [mark, period] of [
        [0, 4],
        [1, 5],
        [2, 6],
      ] as const) {
        const markBox = await marks.nth(mark).boundingBox();
        const barBox = await bars.nth(period).boundingBox();
        expect(markBox && barBox && Math.abs(markBox.x - barBox.x)).toBeLessThan(0.5);
        expect(markBox && barBox && markBox.y).toBeGreaterThan(
          (barBox?.y ?? 0) + (barBox?.height ?? 0) - 0.5,
        );
      }
      const legend = row.locator('ul.coincided li');
      expect(await legend.count()).toBe(1);
      expect(await legend.first().textContent()).toContain(
        'healthy targets dipped: target group orders-tg at 11:20-11:30 UTC',
      );
      expect(await legend.first().isVisible()).toBe(true);
      await page.close();
    },
    60_000,
  );

  it('draws no marks for the twin whose path recorded nothing in its error minutes', async () => {
    const { page } = await open(1280, 900);
    const row = page.locator('tbody tr', { hasText: 'inventory-rest' });

    expect(await row.locator('svg.chart rect.bad').count()).toBe(12);
    expect(await row.locator('svg.chart rect.coincided').count()).toBe(0);
    expect(await row.locator('ul.coincided').count()).toBe(0);
    await page.close();
  }, 60_000);

  it("falls back to the findings' resources and the remediation for a stage without an audited path", async () => {
    const { page } = await open(1280, 900);
    const section = page.locator('section.stage', { hasText: 'inventory-rest' });

    const blocked = section.locator('.hop.blocked');
    expect(await blocked.textContent()).toContain('orders-tg/131e5b932568a2ab');
    expect(await section.locator('.fixes p.fix').textContent()).toContain(
      'Start or register a healthy target',
    );
    await page.close();
  }, 60_000);

  it('draws no path for a healthy or idle stage (the healthy twin)', async () => {
    const { page } = await open(1280, 900);

    expect(await page.locator('section.stage').count()).toBe(3);
    expect(await page.locator('section.stage', { hasText: 'accounts-rest' }).count()).toBe(0);
    expect(await page.locator('section.stage', { hasText: 'reports-http' }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('marks no hop blocked for a stage whose only failure is missing evidence (a log)', async () => {
    const { page } = await open(1280, 900);
    const section = page.locator('section.stage', { hasText: 'payments-rest' });

    expect(await section.locator('.hop').count()).toBe(1);
    expect(await section.locator('.hop.blocked').count()).toBe(0);
    expect(await section.textContent()).toContain('stage-access-logging');
    await page.close();
  }, 60_000);
});
