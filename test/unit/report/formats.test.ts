/**
 * The machine formats, each validated against its published schema or shape: ASFF and OCSF against
 * the JSON Schemas in schema/ (each names its source), CSV by parsing it back (csv-parse), JUnit by
 * an XML validator and the standard testsuites/testsuite/testcase shape (fast-xml-parser).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Finding, Report } from '../../../lambda/domain/types';
import { AsffUnavailableError, renderAsff } from '../../../lambda/report/formats/asff';
import { CSV_COLUMNS, renderCsv } from '../../../lambda/report/formats/csv';
import { renderJunit } from '../../../lambda/report/formats/junit';
import { renderOcsf } from '../../../lambda/report/formats/ocsf';
import { renderSarif } from '../../../lambda/report/formats/sarif';
import asffSchema from '../../../schema/asff-finding.schema.json';
import ocsfSchema from '../../../schema/ocsf-detection-finding.schema.json';
import { aReportThatReadNothing } from '../../support/report-builders';
import { aFinding, aReport } from '../cli/fixtures/report';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateAsff = ajv.compile(asffSchema);
const validateOcsf = ajv.compile(ocsfSchema);

interface AsffFinding {
  Id: string;
  Title: string;
  ProductFields: { status: string };
  Compliance: { Status: string };
  Workflow: { Status: string };
  Resources: { Type: string }[];
}

interface OcsfFinding {
  finding_info: { uid: string; title: string };
}

const schemaErrors = (validate: typeof validateAsff, data: unknown): string[] =>
  validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

/** One finding of each status, and text from AWS that would break a naive writer of each format. */
function everyStatus(): Report {
  const hostile = 'orders, "prod" <b>&amp;</b>\n=cmd|\'/c calc\'!A1 ]]> \u0007';
  const findings: Finding[] = [
    aFinding({ id: 'f-fail', message: `target group ${hostile} has no healthy target` }),
    aFinding({ id: 'f-warn', checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium', title: hostile }),
    aFinding({ id: 'f-pass', checkId: 'vpc-link-status', status: 'PASS', severity: 'critical' }),
    aFinding({
      id: 'f-error',
      checkId: 'vpc-flow-logs',
      status: 'ERROR',
      severity: 'low',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      message: 'ec2:DescribeFlowLogs could not be read (UnauthorizedOperation)',
    }),
    aFinding({
      id: 'f-skip',
      checkId: 'stage-execution-logging',
      status: 'SKIPPED',
      message: 'HTTP APIs have no execution logs',
    }),
  ];
  return aReport({ findings });
}

describe('--format asff', () => {
  it('gives findings valid against the required ASFF attributes, PASS resolving and SKIPPED left out', () => {
    // Act
    const findings = JSON.parse(renderAsff(everyStatus())) as AsffFinding[];

    // Assert
    expect(schemaErrors(validateAsff, findings)).toEqual([]);
    expect(
      findings.map((finding) => [
        finding.ProductFields.status,
        finding.Compliance.Status,
        finding.Workflow.Status,
      ]),
    ).toEqual([
      ['FAIL', 'FAILED', 'NEW'],
      ['WARN', 'WARNING', 'NEW'],
      ['PASS', 'PASSED', 'RESOLVED'],
      ['ERROR', 'NOT_AVAILABLE', 'NEW'],
    ]);
    expect(findings[0]).toMatchObject({
      AwsAccountId: '123456789012',
      ProductArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
      GeneratorId: 'api-network-auditor/tg-unhealthy-az',
      Severity: { Label: 'HIGH' },
    });
    expect(findings[3]?.Resources[0]?.Type).toBe('AwsElbv2LoadBalancer');
    expect(findings[1]?.Title).not.toContain('\n');
    expect(findings[1]?.Title).not.toContain('\u0007');
  });

  it('keeps the same Id for the same finding across runs (so an import updates it)', () => {
    const first = JSON.parse(renderAsff(everyStatus()))[0].Id;
    const again = JSON.parse(renderAsff({ ...everyStatus(), generatedAt: '2026-11-30T00:00:00.000Z' }))[0].Id;
    expect(again).toBe(first);
  });

  it('refuses when the account is unknown rather than invent one', () => {
    expect(() => renderAsff({ ...everyStatus(), account: null })).toThrow(AsffUnavailableError);
  });

  it('is checked by a schema that refuses a finding missing a required attribute (the schema is not vacuous)', () => {
    const [finding] = JSON.parse(renderAsff(everyStatus())) as Record<string, unknown>[];
    const { ProductArn: _dropped, ...missing } = finding ?? {};
    expect(schemaErrors(validateAsff, [missing])).toEqual(["/0 must have required property 'ProductArn'"]);
  });
});

describe('--format ocsf', () => {
  it('gives OCSF Detection Findings valid against the class required attributes, for FAIL, WARN and ERROR', () => {
    // Act
    const events = JSON.parse(renderOcsf(everyStatus())) as OcsfFinding[];

    // Assert
    expect(schemaErrors(validateOcsf, events)).toEqual([]);
    expect(events.map((event) => event.finding_info.uid)).toEqual(['f-fail', 'f-warn', 'f-error']);
    expect(events[0]).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      type_uid: 200401,
      severity_id: 4,
      time: Date.parse('2026-11-29T12:00:00.000Z'),
    });
    expect(events[1]?.finding_info.title).not.toContain('\n');
    expect(events[1]?.finding_info.title).not.toContain('\u0007');
  });

  it('is checked by a schema that refuses a wrong class (the schema is not vacuous)', () => {
    const [event] = JSON.parse(renderOcsf(everyStatus())) as Record<string, unknown>[];
    expect(schemaErrors(validateOcsf, [{ ...event, class_uid: 2001 }])).toEqual([
      '/0/class_uid must be equal to constant',
    ]);
  });
});

describe('--format csv', () => {
  it('parses back to one row per finding under the documented header, whatever the text holds', () => {
    // Act
    const rows = parseCsv(renderCsv(everyStatus()), { relax_column_count: false }) as string[][];

    // Assert
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((row) => row[2])).toEqual(['FAIL', 'WARN', 'PASS', 'ERROR', 'SKIPPED']);
    expect(rows[1]?.[9]).toBe(
      'target group orders, "prod" <b>&amp;</b> =cmd|\'/c calc\'!A1 ]]> has no healthy target',
    );
    expect(rows[2]?.[8]).toBe('orders, "prod" <b>&amp;</b> =cmd|\'/c calc\'!A1 ]]>');
  });

  it('prefixes a cell that a spreadsheet would run as a formula', () => {
    const rows = parseCsv(
      renderCsv(aReport({ findings: [aFinding({ title: '=HYPERLINK("http://x")', message: '+1' })] })),
    ) as string[][];
    expect([rows[1]?.[8], rows[1]?.[9]]).toEqual(['\'=HYPERLINK("http[:]//x")', "'+1"]);
  });
});

describe('--format junit', () => {
  it('is well-formed XML of testsuites, a testsuite per check and a testcase per finding', () => {
    // Act
    const xml = renderJunit(everyStatus());

    // Assert
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml);
    const root = parsed.testsuites;
    expect([root.tests, root.failures, root.errors, root.skipped]).toEqual(['5', '1', '1', '1']);
    const suites = root.testsuite as { name: string; tests: string; testcase: Record<string, unknown>[] }[];
    expect(suites.map((suite) => suite.name)).toEqual([
      'tg-unhealthy-az',
      'lb-cross-zone',
      'vpc-link-status',
      'vpc-flow-logs',
      'stage-execution-logging',
    ]);
    const cases = suites.flatMap((suite) => suite.testcase);
    expect(
      cases.map((testcase) =>
        Object.keys(testcase).filter((key) => !['classname', 'name', 'time'].includes(key)),
      ),
    ).toEqual([['failure'], ['system-out'], [], ['error'], ['skipped']]);
    expect(cases[0]?.classname).toBe('api-network-auditor.tg-unhealthy-az');
  });

  it('escapes text from AWS so it cannot end an element or add one', () => {
    const xml = renderJunit(everyStatus());
    expect(xml).not.toContain('<b>');
    expect(xml).not.toContain('\u0007');
  });
});

describe('an incomplete audit in the machine formats', () => {
  it('makes each unreadable part a JUnit error, never an empty passing file', () => {
    // Act
    const xml = renderJunit(aReportThatReadNothing());

    // Assert
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<testsuites name="api-network-auditor" tests="2" failures="0" errors="2"/);
    expect(xml).toContain('<testsuite name="audit-completeness"');
    expect(xml).toContain('apigateway:GetRestApis failed in us-east-1 (AccessDeniedException)');
  });

  it('twin: a complete audit with nothing found has no audit-completeness error', () => {
    const xml = renderJunit(aReport({ apis: [], findings: [] }));
    expect(xml).toMatch(/tests="0" failures="0" errors="0"/);
    expect(xml).not.toContain('audit-completeness');
  });

  it('makes each unreadable part an ERROR finding on the account in ASFF and OCSF', () => {
    // Act
    const asff = JSON.parse(renderAsff(aReportThatReadNothing())) as AsffFinding[];
    const ocsf = JSON.parse(renderOcsf(aReportThatReadNothing())) as (OcsfFinding & {
      unmapped: { auditStatus: string };
    })[];

    // Assert
    expect(schemaErrors(validateAsff, asff)).toEqual([]);
    expect(
      asff.map((finding) => [
        finding.ProductFields.status,
        finding.Compliance.Status,
        finding.Resources[0]?.Type,
      ]),
    ).toEqual([
      ['ERROR', 'NOT_AVAILABLE', 'AwsAccount'],
      ['ERROR', 'NOT_AVAILABLE', 'AwsAccount'],
    ]);
    expect(schemaErrors(validateOcsf, ocsf)).toEqual([]);
    expect(ocsf.map((event) => event.unmapped.auditStatus)).toEqual(['ERROR', 'ERROR']);
  });

  it('makes each unreadable part an ERROR result in SARIF, and a complete empty audit has none (twin)', () => {
    type Sarif = { runs: { results: { ruleId: string; properties: { status: string } }[] }[] };
    const incomplete = JSON.parse(renderSarif(aReportThatReadNothing())) as Sarif;
    const complete = JSON.parse(renderSarif(aReport({ apis: [], findings: [] }))) as Sarif;
    expect(incomplete.runs[0]?.results.map((result) => [result.ruleId, result.properties.status])).toEqual([
      ['audit-completeness', 'ERROR'],
      ['audit-completeness', 'ERROR'],
    ]);
    expect(complete.runs[0]?.results).toEqual([]);
  });

  it('does not repeat an unreadable part an ERROR finding already stands for', () => {
    // Arrange: the reason describeErrors writes for the ERROR finding of everyStatus()
    const report = {
      ...everyStatus(),
      complete: false,
      incompleteReasons: ['ec2:DescribeFlowLogs could not be read: vpc-flow-logs not evaluated'],
    };
    const withAction = {
      ...report,
      findings: report.findings.map((finding) =>
        finding.status === 'ERROR' ? { ...finding, evidence: { action: 'ec2:DescribeFlowLogs' } } : finding,
      ),
    };

    // Act
    const xml = renderJunit(withAction);

    // Assert
    expect(xml).not.toContain('audit-completeness');
    expect(xml).toMatch(/<testsuites [^>]*errors="1"/);
  });
});

describe('the fix in the machine formats', () => {
  const command =
    'aws elbv2 modify-target-group-attributes --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/abc --attributes Key=load_balancing.cross_zone.enabled,Value=true';
  const withFix = () =>
    aReport({
      findings: [aFinding({ fix: { commands: [command], cloudFormation: ['TargetGroupAttributes'] } })],
    });

  it('gives the exact command as the remediation in JUnit, ASFF and OCSF', () => {
    const [asff] = JSON.parse(renderAsff(withFix())) as {
      Remediation: { Recommendation: { Text: string } };
    }[];
    const [ocsf] = JSON.parse(renderOcsf(withFix())) as { remediation: { desc: string } }[];
    expect(asff?.Remediation.Recommendation.Text).toBe(command);
    expect(ocsf?.remediation.desc).toBe(command);
    expect(renderJunit(withFix())).toContain(`Fix: ${command}`);
  });

  it('twin: without a command the remediation text stands in', () => {
    const finding = aFinding();
    const [asff] = JSON.parse(renderAsff(aReport({ findings: [finding] }))) as {
      Remediation: { Recommendation: { Text: string } };
    }[];
    expect(asff?.Remediation.Recommendation.Text).toBe(finding.remediation);
  });
});
