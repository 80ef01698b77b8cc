import type { Report } from '../../../lambda/domain/types';
import { evaluateChecks } from '../../../lambda/engine/evaluate';
import { buildReport, type ReportInput } from '../../../lambda/report/build-report';
import { DEFAULT_THRESHOLDS } from '../../../lambda/triage/classify-stage';
import { aClassifiedStage, accessDenied, albScenario, nlbScenario } from '../../support/inventory-builders';
import { expectValidReport, reportSchemaErrors } from '../../support/report-schema';

const input = (overrides: Partial<ReportInput> = {}): ReportInput => {
  const failing = nlbScenario({ vpcLink: { status: 'FAILED' } })
    .failing('flowLogsByVpc', 'vpc-1', 'ec2:DescribeFlowLogs')
    .build();
  return {
    tool: { name: 'api-network-auditor', version: '0.1.0' },
    generatedAt: '2026-11-29T12:00:00.000Z',
    account: '123456789012',
    regions: ['us-east-1'],
    window: { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 300 },
    thresholds: DEFAULT_THRESHOLDS,
    stages: [
      aClassifiedStage({ apiName: 'payments', apiId: 'p1', sharesMetricsWith: ['p2'] }),
      aClassifiedStage({
        apiName: 'checkout',
        apiId: 'h1t2p3',
        apiType: 'HTTP',
        stage: '$default',
        classification: 'healthy',
      }),
    ],
    findings: [
      ...evaluateChecks(failing, { allChecks: true }),
      ...evaluateChecks(albScenario().build(), { allChecks: true }),
    ],
    stats: {
      durationMs: 812,
      awsCalls: { 'APIGateway.GetRestApis': 1, 'EC2.DescribeFlowLogs': 1 },
      retries: 0,
    },
    incompleteReasons: [],
    ...overrides,
  };
};

describe('buildReport', () => {
  it('builds a complete schemaVersion 1 report that validates against the shipped schema', () => {
    // Act
    const report = buildReport(input());
    // Assert
    expectValidReport(report);
    expect(report).toMatchObject({
      schemaVersion: 1,
      complete: true,
      incompleteReasons: [],
      account: '123456789012',
    });
    expect(report.findings.some((finding) => finding.status === 'FAIL')).toBe(true);
    expect(report.findings.some((finding) => finding.status === 'ERROR')).toBe(true);
  });

  it('names the account of every stage and finding when the account is known, and of none when it is not', () => {
    const known = buildReport(input());
    const unknown = buildReport(input({ account: null }));

    expectValidReport(known);
    expectValidReport(unknown);
    expect(new Set([...known.apis, ...known.findings].map((item) => item.account))).toEqual(
      new Set(['123456789012']),
    );
    expect([...unknown.apis, ...unknown.findings].some((item) => 'account' in item)).toBe(false);
    expect(known).not.toHaveProperty('accounts');
  });

  it('is incomplete when there are reasons, and keeps them', () => {
    const reasons = [
      `${accessDenied('ec2:DescribeFlowLogs').action} could not be read: vpc-flow-logs not evaluated`,
    ];
    const report = buildReport(input({ incompleteReasons: reasons, account: null }));
    expectValidReport(report);
    expect(report.complete).toBe(false);
    expect(report.incompleteReasons).toEqual(reasons);
  });

  it('lists stages by region, API name, id and stage, keeping the REST name collision', () => {
    const report = buildReport(input());
    expect(report.apis.map((stage) => stage.apiName)).toEqual(['checkout', 'payments']);
    expect(report.apis[1]?.sharesMetricsWith).toEqual(['p2']);
  });

  it('orders stages of several regions and same-named APIs deterministically', () => {
    const stages = [
      aClassifiedStage({ region: 'us-west-2', apiName: 'a', apiId: 'x' }),
      aClassifiedStage({ apiName: 'orders', apiId: 'o2', stage: 'prod' }),
      aClassifiedStage({ apiName: 'orders', apiId: 'o1', stage: 'prod' }),
      aClassifiedStage({ apiName: 'orders', apiId: 'o1', stage: 'beta' }),
    ];
    const report = buildReport(input({ stages, regions: ['us-east-1', 'us-west-2'] }));
    expectValidReport(report);
    expect(report.apis.map((stage) => `${stage.region}/${stage.apiId}/${stage.stage}`)).toEqual([
      'us-east-1/o1/beta',
      'us-east-1/o1/prod',
      'us-east-1/o2/prod',
      'us-west-2/x/prod',
    ]);
  });

  it('does not share mutable state with its input', () => {
    const source = input();
    const report = buildReport(source);
    source.regions.push('eu-west-1');
    source.stats.awsCalls['EC2.DescribeVpcs'] = 3;
    expect(report.regions).toEqual(['us-east-1']);
    expect(report.stats.awsCalls).not.toHaveProperty('EC2.DescribeVpcs');
  });

  it('has a schema that rejects what the contract forbids', () => {
    const report = buildReport(input());
    const [first] = report.findings;
    const broken: Record<string, unknown>[] = [
      { ...report, schemaVersion: 2 },
      { ...report, unexpected: true },
      { ...report, account: '12345' },
      { ...report, findings: [{ ...first, status: 'MAYBE' }] },
      { ...report, findings: [{ ...first, id: 'not-a-hash' }] },
      { ...report, apis: [{ ...report.apis[0], classification: 'sometimes' }] },
      { ...report, generatedAt: 'yesterday' },
      { ...report, findings: [{ ...first, account: 'prod' }] },
      { ...report, apis: [{ ...report.apis[0], account: '1234' }] },
      { ...report, accounts: [{ id: '111111111111', regions: ['us-east-1'], status: 'skipped' }] },
      { ...report, accounts: [{ id: '111111111111', regions: ['us-east-1'] }] },
      {
        ...report,
        accounts: [
          { id: '111111111111', regions: ['us-east-1'], status: 'error', error: { code: 'AccessDenied' } },
        ],
      },
    ];
    for (const candidate of broken) {
      expect(reportSchemaErrors(candidate as unknown as Report).length).toBeGreaterThan(0);
    }
  });
});
