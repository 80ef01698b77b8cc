import type { CheckDefinition } from '../../../lambda/domain/check';
import { compareFindings } from '../../../lambda/domain/finding-order';
import type { CheckResult, Classification } from '../../../lambda/domain/types';
import { evaluateChecks, mergeFindings } from '../../../lambda/engine/evaluate';
import { findingId, legacyFindingId } from '../../../lambda/engine/finding-id';
import { anInventory, aStageInventory, NLB_ARN, nlbScenario } from '../../support/inventory-builders';

const aCheck = (overrides: Partial<CheckDefinition>): CheckDefinition => ({
  id: 'test-check',
  title: 'A test check',
  group: 'high-frequency',
  severity: 'medium',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'risk',
  remediation: 'fix it',
  docs: ['https://docs.aws.amazon.com/'],
  reads: ['stages'],
  evaluate: () => [],
  ...overrides,
});

/** A check that reports `status` for the NLB once per stage it is given. */
const perStageCheck = (id: string, statusOf: (apiId: string) => CheckResult['status']): CheckDefinition =>
  aCheck({
    id,
    evaluate: ({ stages }) =>
      stages.map((stage) => ({
        resourceArn: NLB_ARN,
        resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        status: statusOf(stage.stage.apiId),
        apis: [{ region: 'us-east-1', apiId: stage.stage.apiId, stage: stage.stage.stage }],
        message: `seen from ${stage.stage.apiId}`,
      })),
  });

const stageOf = (apiId: string, classification: Classification = 'high-frequency') =>
  aStageInventory({ stage: { apiId, classification } });

describe('evaluateChecks', () => {
  it('turns a check that throws into one ERROR finding naming the check, and still runs the others', () => {
    // Arrange
    const throwing = aCheck({
      id: 'throwing-check',
      evaluate: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const working = perStageCheck('working-check', () => 'PASS');
    const inventory = anInventory().withStage(stageOf('a1')).build();
    // Act
    const findings = evaluateChecks(inventory, { allChecks: false, checks: [throwing, working] });
    // Assert
    expect(findings.map((finding) => [finding.checkId, finding.status])).toEqual([
      ['throwing-check', 'ERROR'],
      ['working-check', 'PASS'],
    ]);
    expect(findings[0]?.message).toContain(
      'check throwing-check failed while evaluating (TypeError: cannot read properties',
    );
    expect(findings[0]?.apis).toEqual([{ apiId: 'a1', stage: 'prod' }]);
  });

  it('reports a non-Error throw too', () => {
    const throwing = aCheck({
      evaluate: () => {
        throw 'plain string';
      },
    });
    const [finding] = evaluateChecks(anInventory().withStage(stageOf('a1')).build(), {
      allChecks: false,
      checks: [throwing],
    });
    expect(finding?.message).toContain('(plain string)');
  });

  it('merges results for one resource across stages: sorted unique apis, worst status and its message', () => {
    // Arrange: three stages reach the same NLB; one of them sees it failing
    const check = perStageCheck('merge-check', (apiId) => (apiId === 'b2' ? 'FAIL' : 'PASS'));
    const inventory = anInventory()
      .withStage(stageOf('c3'))
      .withStage(stageOf('b2'))
      .withStage(stageOf('a1'))
      .build();
    // Act
    const findings = evaluateChecks(inventory, { allChecks: false, checks: [check, check] });
    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'FAIL',
      message: 'seen from b2',
      apis: [
        { apiId: 'a1', stage: 'prod' },
        { apiId: 'b2', stage: 'prod' },
        { apiId: 'c3', stage: 'prod' },
      ],
    });
  });

  it('orders the merged stages of one API by stage name', () => {
    const check = perStageCheck('merge-check', () => 'PASS');
    const inventory = anInventory()
      .withStage(aStageInventory({ stage: { apiId: 'a1', stage: 'prod' } }))
      .withStage(aStageInventory({ stage: { apiId: 'a1', stage: 'beta' } }))
      .build();
    const findings = evaluateChecks(inventory, { allChecks: false, checks: [check] });
    expect(findings[0]?.apis.map((api) => api.stage)).toEqual(['beta', 'prod']);
  });

  it('fills metadata from the definition and keeps a result severity override', () => {
    const check = aCheck({
      evaluate: () => [
        {
          resourceArn: NLB_ARN,
          resourceType: 'T',
          status: 'WARN',
          severity: 'low',
          apis: [],
          message: 'm',
          evidence: { x: 1 },
        },
        { resourceArn: `${NLB_ARN}/2`, resourceType: 'T', status: 'FAIL', apis: [], message: 'n' },
      ],
    });
    const findings = evaluateChecks(anInventory().withStage(stageOf('a1')).build(), {
      allChecks: false,
      checks: [check],
    });
    expect(findings[0]).toMatchObject({
      status: 'FAIL',
      severity: 'medium',
      evidence: {},
      region: 'us-east-1',
    });
    expect(findings[1]).toMatchObject({
      severity: 'low',
      title: 'A test check',
      remediation: 'fix it',
      docs: ['https://docs.aws.amazon.com/'],
      evidence: { x: 1 },
    });
  });

  it('gives a finding a stable id: sha256 of account, Region, checkId and resourceArn, 16 hex characters', () => {
    const arn = 'arn:aws:apigateway:us-east-1::/restapis/a1/stages/prod';
    const id = findingId('stage-access-logging', arn, '123456789012', 'us-east-1');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(id).toBe(findingId('stage-access-logging', arn, '123456789012', 'us-east-1'));
    expect(id).not.toBe(findingId('stage-execution-logging', arn, '123456789012', 'us-east-1'));
    // API Gateway ARNs carry no account: two accounts sharing a state table must not share an id.
    expect(id).not.toBe(findingId('stage-access-logging', arn, '210987654321', 'us-east-1'));
    expect(id).not.toBe(findingId('stage-access-logging', arn, '123456789012', 'eu-west-1'));
    expect(findingId('a', 'b', '123456789012', 'us-east-1')).toBe('0ddbf05b264ddf57'); // printf 'v2|123456789012|us-east-1|a|b' | sha256sum
    expect(legacyFindingId('a', 'b')).toBe('0eab8a0a3380abf4'); // printf 'a|b' | sha256sum
    // An audit that could not read its account keys on an empty account, never on another account's.
    expect(findingId('a', 'b', null, 'us-east-1')).toBe('ed93c3d3ba8c6d9b'); // printf 'v2||us-east-1|a|b' | sha256sum
    const findings = evaluateChecks(nlbScenario().build(), { allChecks: false });
    expect(evaluateChecks(nlbScenario().build(), { allChecks: false }).map((f) => f.id)).toEqual(
      findings.map((f) => f.id),
    );
  });

  it('runs a check only for stages whose classification it is for, unless all checks are asked for', () => {
    // Arrange
    const seen: string[][] = [];
    const recording = aCheck({
      runsFor: ['low-frequency'],
      evaluate: ({ stages }) => {
        seen.push(stages.map((stage) => stage.stage.apiId));
        return [];
      },
    });
    const inventory = anInventory()
      .withStage(stageOf('low', 'low-frequency'))
      .withStage(stageOf('high', 'high-frequency'))
      .withStage(stageOf('calm', 'healthy'))
      .build();
    // Act
    evaluateChecks(inventory, { allChecks: false, checks: [recording] });
    evaluateChecks(inventory, { allChecks: true, checks: [recording] });
    // Assert
    expect(seen).toEqual([['low'], ['low', 'high', 'calm']]);
  });

  it('does not call a check when no stage is selected for it', () => {
    const evaluate = jest.fn(() => []);
    const inventory = anInventory().withStage(stageOf('calm', 'healthy')).build();
    expect(evaluateChecks(inventory, { allChecks: false, checks: [aCheck({ evaluate })] })).toEqual([]);
    expect(evaluate).not.toHaveBeenCalled();
  });

  it('runs the whole registry over a healthy NLB path with no FAIL, WARN or ERROR', () => {
    const findings = evaluateChecks(nlbScenario().build(), { allChecks: false });
    const statuses = new Set(findings.map((finding) => finding.status));
    expect([...statuses].sort()).toEqual(['PASS', 'SKIPPED']);
    // No network-error log line is no evidence either way: SKIPPED, never PASS.
    expect(findings.filter((f) => f.status === 'SKIPPED').map((f) => f.checkId)).toEqual([
      'alb-security-group-sources',
      // The scenario's stage carries no error minutes: nothing to compare the path's series with.
      'latency-at-timeout',
      // Its NLB's listener is TCP: no certificate.
      'listener-certificate-expiry',
      // A V1 link to an NLB without security groups: no sender filters egress.
      'sender-security-group-egress',
      'stage-deployment-drift',
      'target-resets-coincide',
      'targets-answered-5xx',
      'tg-failed-open',
      'tg-healthy-dip',
      'execution-log-network-errors',
      'nlb-access-logs-tls',
      // The scenario's target group carries no health check settings.
      'tg-health-check-port',
      'tg-tcp-health-check',
    ]);
  });

  it('sorts findings by status, then severity, check id and resource', () => {
    const finding = (
      status: CheckResult['status'],
      severity: 'high' | 'low',
      checkId: string,
      resourceArn: string,
    ) => ({
      id: '',
      checkId,
      status,
      severity,
      region: 'us-east-1',
      resourceType: 'T',
      resourceArn,
      apis: [],
      title: '',
      message: '',
      remediation: '',
      docs: [],
      evidence: {},
    });
    const sorted = [
      finding('PASS', 'high', 'a', 'x'),
      finding('FAIL', 'low', 'a', 'x'),
      finding('FAIL', 'high', 'b', 'y'),
      finding('FAIL', 'high', 'b', 'x'),
      finding('ERROR', 'high', 'a', 'x'),
      finding('WARN', 'high', 'a', 'x'),
      finding('SKIPPED', 'high', 'a', 'x'),
      finding('FAIL', 'high', 'a', 'z'),
    ].sort(compareFindings);
    expect(sorted.map((f) => `${f.status}/${f.severity}/${f.checkId}/${f.resourceArn}`)).toEqual([
      'FAIL/high/a/z',
      'FAIL/high/b/x',
      'FAIL/high/b/y',
      'FAIL/low/a/x',
      'WARN/high/a/x',
      'ERROR/high/a/x',
      'SKIPPED/high/a/x',
      'PASS/high/a/x',
    ]);
    const kept = sorted[7] as (typeof sorted)[number];
    expect(mergeFindings(kept, { ...kept, status: 'SKIPPED', message: 'skip' }).status).toBe('SKIPPED');
  });
});
