/**
 * `--format sarif` validated against the official OASIS SARIF 2.1.0 schema (vendored, see
 * test/fixtures/schemas/README.md), and what each status becomes.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Finding, Report } from '../../../lambda/domain/types';
import { renderSarif } from '../../../lambda/report/formats/sarif';
import sarifSchema from '../../fixtures/schemas/sarif-schema-2.1.0.json';
import { aFinding, aReport } from '../cli/fixtures/report';

/**
 * The schema is draft-04; ajv 8 reads draft-07. The only draft-04 keyword it uses is the top-level
 * `id` (no boolean exclusiveMinimum), so with `id` as `$id` and no `$schema` the rules are the same.
 */
const { $schema: _draft04, id, ...rules } = sarifSchema;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile({ $id: id, ...rules });

const schemaErrors = (data: unknown): string[] =>
  validateSarif(data) ? [] : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; help: { text: string }; helpUri?: string }[] } };
    invocations: { executionSuccessful: boolean }[];
    results: { ruleId: string; ruleIndex: number; kind: string; level: string; message: { text: string } }[];
  }[];
}

const hostile = 'orders\n\u001b[31m<b>"x"</b>';
const everyStatus = (): Report =>
  aReport({
    findings: [
      aFinding({ id: 'f1', message: `target group ${hostile} has no healthy target` }),
      aFinding({ id: 'f2', checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' }),
      aFinding({ id: 'f3', checkId: 'vpc-link-status', status: 'PASS' }),
      aFinding({
        id: 'f4',
        checkId: 'vpc-flow-logs',
        status: 'ERROR',
        message: 'ec2:DescribeFlowLogs denied',
      }),
      aFinding({ id: 'f5', checkId: 'stage-execution-logging', status: 'SKIPPED' }),
      aFinding({
        id: 'f6',
        resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/2',
      }),
    ],
  });

const parse = (report: Report) => JSON.parse(renderSarif(report)) as SarifLog;

describe('SARIF 2.1.0', () => {
  it('fits the official schema, with every status and hostile text', () => {
    const sarif = parse(everyStatus());

    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.version).toBe('2.1.0');
  });

  it('uses a schema that refuses a log without its tool (the validator is live)', () => {
    expect(schemaErrors({ version: '2.1.0', runs: [{ results: [] }] })).not.toEqual([]);
  });

  it("has one rule per check with a result, with the check's fix and docs as help", () => {
    const [run] = parse(everyStatus()).runs;

    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'tg-unhealthy-az',
      'lb-cross-zone',
      'vpc-flow-logs',
    ]);
    const rule = run?.tool.driver.rules[0];
    expect(rule?.help.text).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    expect(rule?.helpUri).toMatch(/^https:\/\//);
  });

  it('reports FAIL as an error, WARN as a warning and ERROR as undecided; PASS and SKIPPED not at all', () => {
    const results = parse(everyStatus()).runs[0]?.results ?? [];

    expect(results.map(({ ruleId, ruleIndex, kind, level }) => ({ ruleId, ruleIndex, kind, level }))).toEqual(
      [
        { ruleId: 'tg-unhealthy-az', ruleIndex: 0, kind: 'fail', level: 'error' },
        { ruleId: 'lb-cross-zone', ruleIndex: 1, kind: 'fail', level: 'warning' },
        { ruleId: 'vpc-flow-logs', ruleIndex: 2, kind: 'open', level: 'none' },
        { ruleId: 'tg-unhealthy-az', ruleIndex: 0, kind: 'fail', level: 'error' },
      ],
    );
  });

  it('keeps names from AWS to one line with no escape sequence', () => {
    const text = parse(everyStatus()).runs[0]?.results[0]?.message.text ?? '';

    expect(text).toContain('orders');
    expect([text.includes('\n'), text.includes('\u001b')]).toEqual([false, false]);
  });

  it('is a valid, empty log for a clean audit (the healthy twin)', () => {
    const clean = aReport({ findings: [aFinding({ status: 'PASS' }) as Finding] });
    const sarif = parse(clean);

    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results).toEqual([]);
    expect(sarif.runs[0]?.tool.driver.rules).toEqual([]);
    expect(sarif.runs[0]?.invocations[0]?.executionSuccessful).toBe(true);
  });

  it('says an incomplete audit did not run through', () => {
    const sarif = parse(aReport({ complete: false, incompleteReasons: ['ec2:DescribeSubnets failed'] }));

    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
  });
});
