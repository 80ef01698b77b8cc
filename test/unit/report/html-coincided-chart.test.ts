/**
 * The HTML report's per-stage chart: under the stage's 5xx bars, on the same time axis, the minutes
 * of what coincided (the findings' `evidence.eventMinutes`), with a legend naming the resource.
 * The browser-rendered view of the same marks is in test/integration/html-report.test.ts.
 */
import type { Finding } from '../../../lambda/domain/types';
import { renderHtml } from '../../../lambda/report/formats/html';
import { aFinding, aReport, aStage } from '../../support/report-builders';

// aReport's window: 11:00-12:00 UTC in 5-minute periods; 12 slots of 10 px on the 120 px chart.
const at = (clock: string) => `2026-11-29T${clock}:00.000Z`;
const BURST = [
  { at: at('11:25'), errors5xx: 400 },
  { at: at('11:30'), errors5xx: 300 },
];
const series = {
  requests: Array.from({ length: 12 }, () => 1000),
  errors5xx: [0, 0, 0, 0, 0, 400, 300, 0, 0, 0, 0, 0],
};
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/0123456789abcdef';
const NLB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/50dc6c495c0c9188';

const failing = (apiId: string, apiName: string) =>
  aStage({ apiId, apiName, classification: 'high-frequency', errorMinutes: BURST, series });

/** A dip from 11:20 to 11:30 on orders-tg (the stage failed 11:25-11:30), as tg-healthy-dip writes it. */
const dip = (apiId: string): Finding =>
  aFinding({
    id: `dip-${apiId}`,
    checkId: 'tg-healthy-dip',
    resourceArn: TG,
    apis: [{ apiId, stage: 'prod' }],
    evidence: {
      eventMinutes: [at('11:20'), at('11:25'), at('11:30')],
      coincidedMinutes: [at('11:25'), at('11:30')],
    },
  });

/** The `<tr>` of a stage in the stage table. */
function rowOf(html: string, apiName: string): string {
  const row = html.split('<tr').find((part) => part.includes(`${apiName}/prod`) && part.includes('svg'));
  if (!row) throw new Error(`no row for ${apiName}`);
  return row;
}

/** The x of each mark a check's finding has in the chart (its lane is the finding's place in the stage's order). */
const marksOf = (row: string, checkId: string): string[] =>
  [
    ...row.matchAll(
      new RegExp(`<rect class="coincided lane-\\d" data-check="${checkId}" x="([0-9.]+)"`, 'g'),
    ),
  ].map((m) => m[1] ?? '');

const xsOf = (row: string, className: string): string[] =>
  [...row.matchAll(new RegExp(`<rect class="${className}"[^>]* x="([0-9.]+)"`, 'g'))].map((m) => m[1] ?? '');

describe('the HTML chart of what coincided', () => {
  it("draws a coinciding finding's minutes under the stage's 5xx bars, on their time axis, named in a legend", () => {
    const report = aReport({
      apis: [failing('a1b2c3', 'orders')],
      findings: [dip('a1b2c3')],
    });
    const row = rowOf(renderHtml(report), 'orders');

    // Periods 4-6 (11:20-11:30) sit where the bars of those periods sit; the stage's 5xx are bars 5 and 6.
    expect(marksOf(row, 'tg-healthy-dip')).toEqual(['41.0', '51.0', '61.0']);
    expect(xsOf(row, 'bad')).toEqual(['51.0', '61.0']);
    expect(row).toContain('data-check="tg-healthy-dip"');
    expect(row).toMatch(
      /<ul class="coincided"><li data-check="tg-healthy-dip">.*healthy targets dipped: target group orders-tg at 11:20-11:30 UTC<\/li><\/ul>/,
    );
    expect(row).toContain('viewBox="0 0 120 35"');
  });

  it('gives each coinciding finding its own lane and swatch: resets on the NLB beside the dip', () => {
    const resets = aFinding({
      id: 'resets',
      checkId: 'target-resets-coincide',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      resourceArn: NLB,
      evidence: { eventMinutes: [at('11:30')], coincidedMinutes: [at('11:30')] },
    });
    const row = rowOf(
      renderHtml(aReport({ apis: [failing('a1b2c3', 'orders')], findings: [dip('a1b2c3'), resets] })),
      'orders',
    );

    expect(marksOf(row, 'target-resets-coincide')).toEqual(['61.0']);
    expect(marksOf(row, 'tg-healthy-dip')).toEqual(['41.0', '51.0', '61.0']);
    expect(row).toContain('coincided lane-1');
    expect(row).toContain('resets or connection errors: load balancer orders-nlb at 11:30 UTC');
    expect(row).toContain('viewBox="0 0 120 39"');
  });

  it('draws no marks and no legend for the healthy twin: same errors, but its path held steady', () => {
    const steady = aFinding({
      id: 'steady',
      checkId: 'tg-healthy-dip',
      status: 'PASS',
      resourceArn: TG,
      apis: [{ apiId: 'z9y8x7', stage: 'prod' }],
      evidence: { errorMinutes: [at('11:25'), at('11:30')] },
    });
    // A dip on the group, but hours of the window away from this stage's errors: it did not coincide.
    const elsewhere = aFinding({
      ...dip('z9y8x7'),
      id: 'elsewhere',
      evidence: { eventMinutes: [at('11:50')], coincidedMinutes: [] },
    });
    const html = renderHtml(
      aReport({
        apis: [failing('a1b2c3', 'orders'), failing('z9y8x7', 'twin')],
        findings: [dip('a1b2c3'), steady, elsewhere],
      }),
    );
    const twin = rowOf(html, 'twin');

    expect(xsOf(twin, 'bad')).toEqual(['51.0', '61.0']);
    expect(twin).not.toContain('coincided');
    expect(twin).toContain('viewBox="0 0 120 28"');
    expect(rowOf(html, 'orders')).toContain('coincided lane-0');
  });

  it('keeps names from AWS to one escaped line in the legend', () => {
    const hostile = aFinding({
      ...dip('a1b2c3'),
      resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x<script>\nFAKE/1',
    });
    const row = rowOf(
      renderHtml(aReport({ apis: [failing('a1b2c3', 'orders')], findings: [hostile] })),
      'orders',
    );

    expect(row).not.toContain('<script>');
    expect(row).not.toMatch(/\nFAKE/);
    expect(row).toContain('FAKE');
    expect(row).toContain('&lt;script&gt;');
  });
});
